/**
 * KServe v2 / Open Inference Protocol tensor datatypes (wire reference §1.1):
 * element size, the JS typed array that holds decoded values, and the names
 * other formats use for the same type (Triton config enum, TF DataType). The list
 * itself is src/shared/kserveDatatypes.ts (the request panel offers it too).
 */
import { DATATYPES, type Datatype } from '../../shared/kserveDatatypes';

/** Decoded values of a fixed-size datatype (BOOL as 0/1 bytes, FP16/BF16 as their 16-bit patterns). */
export type NumericValues =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | BigUint64Array
  | BigInt64Array
  | Float32Array
  | Float64Array;

interface TypedArrayClass {
  readonly BYTES_PER_ELEMENT: number;
  new (length: number): NumericValues;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): NumericValues;
}

interface DatatypeInfo {
  /** Bytes per element; 0 for BYTES (variable, 4-byte length prefix each). */
  size: number;
  array: TypedArrayClass | undefined;
  triton: string;
  tf: string;
}

const INFO: Record<Datatype, DatatypeInfo> = {
  BOOL: { size: 1, array: Uint8Array, triton: 'TYPE_BOOL', tf: 'DT_BOOL' },
  UINT8: { size: 1, array: Uint8Array, triton: 'TYPE_UINT8', tf: 'DT_UINT8' },
  UINT16: { size: 2, array: Uint16Array, triton: 'TYPE_UINT16', tf: 'DT_UINT16' },
  UINT32: { size: 4, array: Uint32Array, triton: 'TYPE_UINT32', tf: 'DT_UINT32' },
  UINT64: { size: 8, array: BigUint64Array, triton: 'TYPE_UINT64', tf: 'DT_UINT64' },
  INT8: { size: 1, array: Int8Array, triton: 'TYPE_INT8', tf: 'DT_INT8' },
  INT16: { size: 2, array: Int16Array, triton: 'TYPE_INT16', tf: 'DT_INT16' },
  INT32: { size: 4, array: Int32Array, triton: 'TYPE_INT32', tf: 'DT_INT32' },
  INT64: { size: 8, array: BigInt64Array, triton: 'TYPE_INT64', tf: 'DT_INT64' },
  FP16: { size: 2, array: Uint16Array, triton: 'TYPE_FP16', tf: 'DT_HALF' },
  FP32: { size: 4, array: Float32Array, triton: 'TYPE_FP32', tf: 'DT_FLOAT' },
  FP64: { size: 8, array: Float64Array, triton: 'TYPE_FP64', tf: 'DT_DOUBLE' },
  // Triton's TYPE_STRING is "BYTES" on the wire.
  BYTES: { size: 0, array: undefined, triton: 'TYPE_STRING', tf: 'DT_STRING' },
  BF16: { size: 2, array: Uint16Array, triton: 'TYPE_BF16', tf: 'DT_BFLOAT16' },
};

export function isDatatype(v: unknown): v is Datatype {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(INFO, v);
}

/** Bytes per element (0 for BYTES). */
export function datatypeSize(dt: Datatype): number {
  return INFO[dt].size;
}

/** The typed array class holding decoded values (undefined for BYTES). */
export function datatypeArray(dt: Datatype): TypedArrayClass | undefined {
  return INFO[dt].array;
}

/** Triton model-config enum name, e.g. `TYPE_FP32` (BYTES → `TYPE_STRING`). */
export function tritonConfigType(dt: Datatype): string {
  return INFO[dt].triton;
}

/** TensorFlow DataType name, e.g. `DT_FLOAT`. */
export function tfDataType(dt: Datatype): string {
  return INFO[dt].tf;
}

/** The OIP datatype of a TF DataType name, if there is one. */
export function datatypeFromTf(tf: string): Datatype | undefined {
  return DATATYPES.find((d) => INFO[d].tf === tf);
}

/** Product of the dimensions; throws on a negative or non-integer dimension. */
export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new RangeError(`invalid dimension ${d} in shape [${shape.join(',')}]`);
    n *= d;
  }
  return n;
}
