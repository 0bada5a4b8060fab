import { TensorCodecError } from './codecError';
import type { Datatype } from '../../shared/kserveDatatypes';
import { datatypeArray, type NumericValues } from './datatypes';
import { fromBf16Bits, fromFp16Bits, toBf16Bits, toFp16Bits } from './half';
import { checkHeader, type ParamValue, type Tensor } from './tensor';

export type JsonValue = number | boolean | string;

const INT_RANGE: Partial<Record<Datatype, [number, number]>> = {
  UINT8: [0, 0xff],
  UINT16: [0, 0xffff],
  UINT32: [0, 0xffffffff],
  INT8: [-0x80, 0x7f],
  INT16: [-0x8000, 0x7fff],
  INT32: [-0x80000000, 0x7fffffff],
};

/** Flattens nested row-major arrays (`data` may be nested or flat). */
export function flattenData(data: unknown): unknown[] {
  if (!Array.isArray(data)) return [data];
  if (!data.some(Array.isArray)) return data;
  const out: unknown[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else out.push(v);
  };
  walk(data);
  return out;
}

function badValue(what: string, i: number, v: unknown, dt: Datatype): TensorCodecError {
  return new TensorCodecError(`${what}: element ${i} (${JSON.stringify(v) ?? String(v)}) is not a valid ${dt} value`);
}

function numericFromJson(flat: unknown[], dt: Datatype, what: string): NumericValues {
  const out = new (datatypeArray(dt)!)(flat.length);
  const range = INT_RANGE[dt];
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (dt === 'BOOL') {
      if (typeof v !== 'boolean') throw badValue(what, i, v, dt);
      out[i] = v ? 1 : 0;
    } else if (typeof v !== 'number') {
      throw badValue(what, i, v, dt);
    } else if (range) {
      if (!Number.isInteger(v) || v < range[0] || v > range[1]) throw badValue(what, i, v, dt);
      out[i] = v;
    } else if (dt === 'INT64' || dt === 'UINT64') {
      if (!Number.isInteger(v) || (dt === 'UINT64' && v < 0)) throw badValue(what, i, v, dt);
      out[i] = BigInt(v);
    } else if (dt === 'FP16') out[i] = toFp16Bits(v);
    else if (dt === 'BF16') out[i] = toBf16Bits(v);
    else out[i] = v;
  }
  return out;
}

/**
 * A tensor from its JSON form `{name, datatype, shape, data, parameters?}`.
 * `data` may be nested or flat; BYTES elements are strings (UTF-8 encoded).
 */
export function tensorFromJson(json: unknown, role: 'input' | 'output' = 'input'): Tensor {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new TensorCodecError(`each ${role} must be a JSON object`);
  const o = json as Record<string, unknown>;
  if (typeof o.name !== 'string' || !o.name) throw new TensorCodecError(`${role} is missing its 'name'`);
  const what = `${role} '${o.name}'`;
  const { datatype, count } = checkHeader(
    { name: o.name, datatype: String(o.datatype), shape: o.shape as number[] },
    what,
  );
  if (o.data === undefined) throw new TensorCodecError(`${what}: no 'data' (and no binary_data_size parameter)`);
  const flat = flattenData(o.data);
  if (flat.length !== count)
    throw new TensorCodecError(
      `${what}: shape [${(o.shape as number[]).join(',')}] needs ${count} element(s), 'data' has ${flat.length}`,
    );
  let values: Tensor['values'];
  if (datatype === 'BYTES') {
    values = flat.map((v, i) => {
      if (typeof v !== 'string') throw badValue(what, i, v, datatype);
      return Buffer.from(v, 'utf8');
    });
  } else values = numericFromJson(flat, datatype, what);
  const t: Tensor = { name: o.name, datatype, shape: [...(o.shape as number[])], values };
  const params = parametersFromJson(o.parameters, what);
  if (params) t.parameters = params;
  return t;
}

/** Flat JSON data of a tensor: numbers, booleans, or UTF-8 strings for BYTES. */
export function tensorDataToJson(t: Pick<Tensor, 'datatype' | 'values'>): JsonValue[] {
  const v = t.values;
  if (t.datatype === 'BYTES')
    return (v as Uint8Array[]).map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8'));
  const out = new Array<JsonValue>(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = (v as NumericValues)[i];
    // INT64/UINT64 become JS numbers: exact up to 2^53, as JSON readers parse them anyway.
    if (t.datatype === 'BOOL') out[i] = x !== 0;
    else if (t.datatype === 'FP16') out[i] = fromFp16Bits(x as number);
    else if (t.datatype === 'BF16') out[i] = fromBf16Bits(x as number);
    else out[i] = Number(x);
  }
  return out;
}

/** Checks an OIP `parameters` object (string, number or bool values). */
export function parametersFromJson(v: unknown, what: string): Record<string, ParamValue> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v))
    throw new TensorCodecError(`${what}: 'parameters' must be a JSON object`);
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean')
      throw new TensorCodecError(`${what}: parameter '${k}' must be a string, number or bool`);
  }
  return v as Record<string, ParamValue>;
}
