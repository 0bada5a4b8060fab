import { decodeBytesElements, encodeBytesElements } from './bytesElements';
import { TensorCodecError } from './codecError';
import type { Datatype } from '../../shared/kserveDatatypes';
import { datatypeArray, datatypeSize, elementCount, isDatatype, type NumericValues } from './datatypes';

/** A request/response parameter value (OIP: string, number or bool). */
export type ParamValue = string | number | boolean;
export type Params = Record<string, ParamValue>;

/**
 * One decoded tensor, the same whatever its wire form (JSON, HTTP binary,
 * gRPC raw or typed contents). `values` is a typed array for fixed-size
 * datatypes — BOOL as 0/1 bytes, FP16/BF16 as 16-bit patterns, INT64/UINT64
 * as bigint arrays — and one byte string per element for BYTES. Values are
 * row-major and may share memory with the buffer they were decoded from.
 */
export interface Tensor {
  name: string;
  datatype: Datatype;
  shape: number[];
  values: NumericValues | Uint8Array[];
  parameters?: Params;
}

/** Tensor header fields as they arrive (datatype and shape not yet checked). */
export interface TensorHeader {
  name: string;
  datatype: string;
  shape: readonly number[];
  parameters?: Params;
}

/** Checks datatype and shape; returns the element count. */
export function checkHeader(h: TensorHeader, what: string): { datatype: Datatype; count: number } {
  if (!isDatatype(h.datatype)) throw new TensorCodecError(`${what}: unsupported datatype '${h.datatype}'`);
  if (!Array.isArray(h.shape)) throw new TensorCodecError(`${what}: shape must be an array of integers`);
  try {
    return { datatype: h.datatype, count: elementCount(h.shape) };
  } catch (e) {
    throw new TensorCodecError(`${what}: ${(e as Error).message}`);
  }
}

/** Raw bytes of a tensor (row-major, little-endian; BYTES length-prefixed). Shares memory when it can. */
export function tensorToRaw(t: Tensor): Buffer {
  if (t.datatype === 'BYTES') return encodeBytesElements(t.values as Uint8Array[]);
  const v = t.values as NumericValues;
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

/**
 * A tensor from its raw bytes. Fixed-size datatypes must be exactly
 * count × size bytes; BYTES must hold exactly `count` elements.
 */
export function tensorFromRaw(h: TensorHeader, raw: Uint8Array, what: string): Tensor {
  const { datatype, count } = checkHeader(h, what);
  const base = { name: h.name, datatype, shape: [...h.shape], ...(h.parameters ? { parameters: h.parameters } : {}) };
  if (datatype === 'BYTES') return { ...base, values: decodeBytesElements(raw, what, count) };
  const size = datatypeSize(datatype);
  if (raw.byteLength !== count * size) {
    throw new TensorCodecError(
      `${what}: ${raw.byteLength} bytes of ${datatype} data for shape [${h.shape.join(',')}], expected ${count * size} (${count} × ${size} bytes)`,
    );
  }
  const Arr = datatypeArray(datatype)!;
  // Typed arrays need an offset aligned to their element size: copy when the
  // bytes sit at an odd place in a larger buffer (common inside HTTP bodies).
  const aligned = raw.byteOffset % size === 0 ? raw : new Uint8Array(raw);
  return { ...base, values: new Arr(aligned.buffer, aligned.byteOffset, count) };
}

/** Number of elements actually held by `values`. */
export function valueCount(t: Pick<Tensor, 'values'>): number {
  return t.values.length;
}

/** Checks that `values` agrees with `shape` (for tensors built by hand). */
export function checkTensor(t: Tensor, what: string): void {
  const { count } = checkHeader(t, what);
  if (t.values.length !== count)
    throw new TensorCodecError(
      `${what}: shape [${t.shape.join(',')}] needs ${count} element(s), the tensor holds ${t.values.length}`,
    );
}
