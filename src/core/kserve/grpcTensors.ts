/**
 * KServe v2 gRPC tensor data (wire reference §2): `raw_input_contents` /
 * `raw_output_contents` (one raw buffer per tensor, same order) or typed
 * `InferTensorContents`. Triton always answers raw; KServe may answer typed,
 * so decoders accept both.
 */
import type {
  InferParameter,
  InferParameters,
  InferTensor,
  InferTensorContents,
  ModelInferRequest,
  ModelInferResponse,
} from '../proto/inferenceTypes';
import { TensorCodecError } from './codecError';
import type { Datatype } from '../../shared/kserveDatatypes';
import { tensorFromJson } from './jsonTensor';
import { checkHeader, tensorFromRaw, tensorToRaw, type ParamValue, type Params, type Tensor } from './tensor';

/** The InferTensorContents field of each datatype (FP16/BF16 have none). */
const CONTENTS_FIELD: Record<Datatype, keyof InferTensorContents | undefined> = {
  BOOL: 'bool_contents',
  UINT8: 'uint_contents',
  UINT16: 'uint_contents',
  UINT32: 'uint_contents',
  UINT64: 'uint64_contents',
  INT8: 'int_contents',
  INT16: 'int_contents',
  INT32: 'int_contents',
  INT64: 'int64_contents',
  FP16: undefined,
  FP32: 'fp32_contents',
  FP64: 'fp64_contents',
  BYTES: 'bytes_contents',
  BF16: undefined,
};

export function paramsFromGrpc(p: InferParameters | undefined): Params | undefined {
  if (!p || !Object.keys(p).length) return undefined;
  const out: Params = {};
  for (const [k, v] of Object.entries(p)) {
    const key =
      v.parameter_choice ?? (Object.keys(v).find((f) => f.endsWith('_param')) as keyof InferParameter | undefined);
    if (key) out[k] = v[key] as ParamValue;
  }
  return out;
}

/** Integers become int64_param, other numbers double_param. */
export function paramsToGrpc(p: Params | undefined): InferParameters {
  const out: InferParameters = {};
  for (const [k, v] of Object.entries(p ?? {})) {
    if (typeof v === 'boolean') out[k] = { bool_param: v };
    else if (typeof v === 'string') out[k] = { string_param: v };
    else out[k] = Number.isInteger(v) ? { int64_param: v } : { double_param: v };
  }
  return out;
}

function headerOf(t: InferTensor) {
  const parameters = paramsFromGrpc(t.parameters);
  return { name: t.name, datatype: t.datatype, shape: t.shape.map(Number), ...(parameters ? { parameters } : {}) };
}

function hasContents(c: InferTensorContents | null | undefined): boolean {
  return !!c && Object.values(c).some((v) => Array.isArray(v) && v.length > 0);
}

/** A tensor from typed contents (the field must match the datatype). */
export function tensorFromContents(t: InferTensor, role: 'input' | 'output'): Tensor {
  const h = headerOf(t);
  const what = `${role} '${t.name}'`;
  const field = CONTENTS_FIELD[h.datatype as Datatype];
  if (!field) {
    if (h.datatype === 'FP16' || h.datatype === 'BF16')
      throw new TensorCodecError(`${what}: ${h.datatype} has no typed contents field; send it as raw contents`);
    throw new TensorCodecError(`${what}: unsupported datatype '${h.datatype}'`);
  }
  const values = (t.contents?.[field] ?? []) as unknown[];
  if (h.datatype !== 'BYTES') {
    // The loader hands over numbers and booleans: the JSON checks (range, count) apply as they are.
    const out = tensorFromJson({ name: h.name, datatype: h.datatype, shape: h.shape, data: values }, role);
    return h.parameters ? { ...out, parameters: h.parameters } : out;
  }
  const { count } = checkHeader(h, what);
  if (values.length !== count)
    throw new TensorCodecError(
      `${what}: shape [${h.shape.join(',')}] needs ${count} element(s), bytes_contents has ${values.length}`,
    );
  const bytes = (values as Uint8Array[]).map((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  return {
    name: h.name,
    datatype: 'BYTES',
    shape: h.shape,
    values: bytes,
    ...(h.parameters ? { parameters: h.parameters } : {}),
  };
}

function decodeList(tensors: InferTensor[], raw: Uint8Array[] | undefined, role: 'input' | 'output'): Tensor[] {
  const rawList = raw ?? [];
  if (rawList.length) {
    if (rawList.length !== tensors.length)
      throw new TensorCodecError(
        `raw_${role}_contents has ${rawList.length} entr${rawList.length === 1 ? 'y' : 'ies'} for ${tensors.length} ${role}(s)`,
      );
    return tensors.map((t, i) => {
      if (hasContents(t.contents))
        throw new TensorCodecError(
          `${role} '${t.name}': typed contents must not be set when raw_${role}_contents is used`,
        );
      return tensorFromRaw(headerOf(t), rawList[i], `${role} '${t.name}'`);
    });
  }
  return tensors.map((t) => tensorFromContents(t, role));
}

/** The input tensors of a ModelInferRequest (raw or typed). */
export function decodeGrpcInputs(req: Pick<ModelInferRequest, 'inputs' | 'raw_input_contents'>): Tensor[] {
  return decodeList(req.inputs ?? [], req.raw_input_contents, 'input');
}

/** The output tensors of a ModelInferResponse (raw or typed). */
export function decodeGrpcOutputs(res: Pick<ModelInferResponse, 'outputs' | 'raw_output_contents'>): Tensor[] {
  return decodeList(res.outputs ?? [], res.raw_output_contents, 'output');
}

/** Typed contents of a tensor (not possible for FP16/BF16). */
export function tensorToContents(t: Tensor): InferTensorContents {
  const field = CONTENTS_FIELD[t.datatype];
  if (!field) throw new TensorCodecError(`${t.name}: ${t.datatype} has no typed contents field; use raw contents`);
  if (t.datatype === 'BYTES') return { bytes_contents: t.values as Uint8Array[] };
  const nums = Array.from(t.values as ArrayLike<number | bigint>, Number);
  return { [field]: t.datatype === 'BOOL' ? nums.map((x) => x !== 0) : nums };
}

function encodeList(tensors: Tensor[], raw: boolean): { list: InferTensor[]; rawContents: Buffer[] } {
  const list = tensors.map((t) => {
    const m: InferTensor = { name: t.name, datatype: t.datatype, shape: t.shape };
    if (t.parameters) m.parameters = paramsToGrpc(t.parameters);
    if (!raw) m.contents = tensorToContents(t);
    return m;
  });
  return { list, rawContents: raw ? tensors.map(tensorToRaw) : [] };
}

/** `outputs` + `raw_output_contents` of a ModelInferResponse (Triton always answers raw). */
export function encodeGrpcOutputs(
  tensors: Tensor[],
  raw = true,
): Pick<ModelInferResponse, 'outputs' | 'raw_output_contents'> {
  const { list, rawContents } = encodeList(tensors, raw);
  return { outputs: list, raw_output_contents: rawContents };
}

/** `inputs` + `raw_input_contents` of a ModelInferRequest (raw by default; typed with `raw: false`). */
export function encodeGrpcInputs(
  tensors: Tensor[],
  raw = true,
): Pick<ModelInferRequest, 'inputs' | 'raw_input_contents'> {
  const { list, rawContents } = encodeList(tensors, raw);
  return { inputs: list, raw_input_contents: rawContents };
}
