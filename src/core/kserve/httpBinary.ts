/**
 * The binary tensor data extension of KServe v2 HTTP (wire reference §1.3):
 * a JSON inference header, then the tensors' raw bytes in the order the
 * tensors appear in it, with `Inference-Header-Content-Length` giving the
 * JSON's size and `parameters.binary_data_size` each tensor's share.
 */
import { JsonHeaderError, TensorCodecError } from './codecError';
import { tensorDataToJson, tensorFromJson } from './jsonTensor';
import { tensorFromRaw, tensorToRaw, type Params, type Tensor } from './tensor';

/** Header name as Triton writes it (canonical case); HTTP header lookups are case-insensitive. */
export const INFERENCE_HEADER_CONTENT_LENGTH = 'Inference-Header-Content-Length';

/** Splits a body into its JSON header and binary part. `header` is undefined for a raw binary request (length 0). */
export function splitInferBody(
  body: Buffer,
  headerLength: string | number | undefined,
): { header: Record<string, unknown> | undefined; binary: Buffer } {
  let jsonLen = body.length;
  if (headerLength !== undefined) {
    const text = String(headerLength).trim();
    if (!/^\d+$/.test(text))
      throw new TensorCodecError(`${INFERENCE_HEADER_CONTENT_LENGTH} must be a non-negative integer, got '${text}'`);
    jsonLen = Number(text);
    if (jsonLen > body.length) {
      throw new TensorCodecError(
        `${INFERENCE_HEADER_CONTENT_LENGTH} is ${jsonLen} but the body has only ${body.length} byte(s)`,
      );
    }
    if (jsonLen === 0) return { header: undefined, binary: body };
  }
  let header: unknown;
  try {
    header = JSON.parse(body.subarray(0, jsonLen).toString('utf8'));
  } catch (e) {
    const hint =
      headerLength === undefined && body.includes(0)
        ? ` (binary data without an ${INFERENCE_HEADER_CONTENT_LENGTH} header?)`
        : '';
    throw new JsonHeaderError(`failed to parse the request JSON buffer: ${(e as Error).message}${hint}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw new TensorCodecError('the inference header must be a JSON object');
  return { header: header as Record<string, unknown>, binary: body.subarray(jsonLen) };
}

function binarySize(params: unknown, what: string): number | undefined {
  if (typeof params !== 'object' || params === null) return undefined;
  const v = (params as Record<string, unknown>).binary_data_size;
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw new TensorCodecError(`${what}: binary_data_size must be a non-negative integer`);
  return v;
}

/**
 * Decodes the `inputs` (or `outputs`) list of an inference header: tensors
 * with `data` from JSON, tensors with `binary_data_size` from `binary` in
 * order. Every binary byte must belong to a tensor.
 */
export function decodeTensorList(list: unknown, binary: Uint8Array, role: 'input' | 'output'): Tensor[] {
  if (!Array.isArray(list)) throw new TensorCodecError(`'${role}s' must be an array of tensors`);
  let offset = 0;
  const tensors = list.map((item: unknown) => {
    const o = (item ?? {}) as Record<string, unknown>;
    const what = `${role} '${String(o.name)}'`;
    const size = binarySize(o.parameters, what);
    if (size === undefined) return tensorFromJson(item, role);
    if (o.data !== undefined) throw new TensorCodecError(`${what}: has both 'data' and binary_data_size`);
    if (typeof o.name !== 'string' || !o.name) throw new TensorCodecError(`${role} is missing its 'name'`);
    if (offset + size > binary.length) {
      throw new TensorCodecError(
        `${what}: binary_data_size ${size} goes past the end of the binary data (${binary.length - offset} byte(s) left)`,
      );
    }
    const { binary_data_size: _size, ...rest } = o.parameters as Record<string, unknown>;
    const parameters = Object.keys(rest).length ? (rest as Params) : undefined;
    const t = tensorFromRaw(
      { name: o.name, datatype: String(o.datatype), shape: o.shape as number[], parameters },
      binary.subarray(offset, offset + size),
      what,
    );
    offset += size;
    return t;
  });
  if (offset !== binary.length) {
    throw new TensorCodecError(
      `${binary.length - offset} byte(s) of binary data after the last ${role} are not claimed by any binary_data_size`,
    );
  }
  return tensors;
}

/**
 * The JSON of one tensor in Triton's key order, either with `data` or with
 * `parameters.binary_data_size` (its raw bytes then go into `chunks`).
 */
export function tensorToJson(t: Tensor, binary: boolean, chunks: Buffer[]): Record<string, unknown> {
  const json: Record<string, unknown> = { name: t.name, datatype: t.datatype, shape: t.shape };
  if (binary) {
    const raw = tensorToRaw(t);
    chunks.push(raw);
    json.parameters = { ...t.parameters, binary_data_size: raw.length };
    return json;
  }
  if (t.parameters && Object.keys(t.parameters).length) json.parameters = t.parameters;
  json.data = tensorDataToJson(t);
  return json;
}

export interface EncodedInferBody {
  body: Buffer;
  /** Set when binary data follows the JSON: send it as Inference-Header-Content-Length. */
  headerLength: number | undefined;
  /** `application/octet-stream` with binary data (as Triton answers), else `application/json`. */
  contentType: 'application/json' | 'application/octet-stream';
}

/** Serializes an inference header and the binary chunks its tensors refer to. */
export function joinInferBody(header: object, chunks: Buffer[]): EncodedInferBody {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  if (!chunks.length) return { body: json, headerLength: undefined, contentType: 'application/json' };
  return { body: Buffer.concat([json, ...chunks]), headerLength: json.length, contentType: 'application/octet-stream' };
}
