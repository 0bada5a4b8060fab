/**
 * KServe v2 HTTP inference messages, both directions, JSON or with the binary
 * tensor extension: the embedded Triton decodes requests and encodes
 * responses; clients (request panel, benchmarks) do the reverse.
 */
import { TensorCodecError } from './codecError';
import { decodeTensorList, joinInferBody, splitInferBody, tensorToJson, type EncodedInferBody } from './httpBinary';
import { parametersFromJson } from './jsonTensor';
import type { Params, Tensor } from './tensor';

export interface RequestedOutput {
  name: string;
  /** e.g. `{binary_data: true}`, `{classification: 3}`. */
  parameters?: Params;
}

export interface InferRequestMessage {
  id?: string;
  parameters?: Params;
  inputs: Tensor[];
  /** Omit for every output. */
  outputs?: RequestedOutput[];
}

export interface DecodedInferRequest extends InferRequestMessage {
  /**
   * A "raw binary request" (`Inference-Header-Content-Length: 0`): the whole
   * body is the data of the model's single input, which the server names.
   */
  rawInput?: Buffer;
}

export interface InferResponseMessage {
  id?: string;
  model_name: string;
  model_version?: string;
  parameters?: Params;
  outputs: Tensor[];
}

function requestedOutputs(v: unknown): RequestedOutput[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw new TensorCodecError("'outputs' must be an array of {name, parameters?}");
  return v.map((o: unknown) => {
    const r = (o ?? {}) as Record<string, unknown>;
    if (typeof r.name !== 'string' || !r.name) throw new TensorCodecError("each requested output needs a 'name'");
    const parameters = parametersFromJson(r.parameters, `output '${r.name}'`);
    return parameters ? { name: r.name, parameters } : { name: r.name };
  });
}

/** Decodes an HTTP inference request body (`headerLength` = the Inference-Header-Content-Length header, if sent). */
export function decodeInferRequest(body: Buffer, headerLength?: string | number): DecodedInferRequest {
  const { header, binary } = splitInferBody(body, headerLength);
  if (!header) return { inputs: [], rawInput: binary };
  if (header.id !== undefined && typeof header.id !== 'string') throw new TensorCodecError("'id' must be a string");
  if (header.inputs === undefined) throw new TensorCodecError("the request has no 'inputs'");
  const req: DecodedInferRequest = { inputs: decodeTensorList(header.inputs, binary, 'input') };
  if (typeof header.id === 'string') req.id = header.id;
  const parameters = parametersFromJson(header.parameters, 'request');
  if (parameters) req.parameters = parameters;
  const outputs = requestedOutputs(header.outputs);
  if (outputs) req.outputs = outputs;
  return req;
}

/**
 * Whether the client asked for `name` as binary data: per output
 * `binary_data` wins over the request-level `binary_data_output`.
 */
export function wantsBinaryOutput(req: Pick<InferRequestMessage, 'parameters' | 'outputs'>, name: string): boolean {
  const own = req.outputs?.find((o) => o.name === name)?.parameters?.binary_data;
  if (typeof own === 'boolean') return own;
  return req.parameters?.binary_data_output === true;
}

/** Encodes a response in Triton's key order: id, model_name, model_version, parameters, outputs. */
export function encodeInferResponse(
  res: InferResponseMessage,
  binaryOutput: (name: string) => boolean = () => false,
): EncodedInferBody {
  const chunks: Buffer[] = [];
  const header: Record<string, unknown> = {};
  if (res.id !== undefined && res.id !== '') header.id = res.id;
  header.model_name = res.model_name;
  if (res.model_version !== undefined) header.model_version = res.model_version;
  if (res.parameters && Object.keys(res.parameters).length) header.parameters = res.parameters;
  header.outputs = res.outputs.map((t) => tensorToJson(t, binaryOutput(t.name), chunks));
  return joinInferBody(header, chunks);
}

export interface EncodeRequestOptions {
  /** Send input data as binary (all inputs, or the named ones). */
  binaryInputs?: boolean | readonly string[];
  /** Ask for every output as binary data (`binary_data_output`). */
  binaryOutputs?: boolean;
}

/** Encodes a client request (JSON, or JSON + binary inputs). */
export function encodeInferRequest(req: InferRequestMessage, opts: EncodeRequestOptions = {}): EncodedInferBody {
  const chunks: Buffer[] = [];
  const isBinary = (n: string) =>
    Array.isArray(opts.binaryInputs) ? opts.binaryInputs.includes(n) : opts.binaryInputs === true;
  const header: Record<string, unknown> = {};
  if (req.id !== undefined) header.id = req.id;
  const parameters = { ...req.parameters, ...(opts.binaryOutputs ? { binary_data_output: true } : {}) };
  if (Object.keys(parameters).length) header.parameters = parameters;
  header.inputs = req.inputs.map((t) => tensorToJson(t, isBinary(t.name), chunks));
  if (req.outputs) header.outputs = req.outputs;
  return joinInferBody(header, chunks);
}

/** Decodes a server's inference response, JSON or with binary outputs. */
export function decodeInferResponse(body: Buffer, headerLength?: string | number): InferResponseMessage {
  const { header, binary } = splitInferBody(body, headerLength);
  if (!header) throw new TensorCodecError('a response cannot be a raw binary body (Inference-Header-Content-Length 0)');
  if (typeof header.model_name !== 'string') throw new TensorCodecError("the response has no 'model_name'");
  const res: InferResponseMessage = {
    model_name: header.model_name,
    outputs: decodeTensorList(header.outputs ?? [], binary, 'output'),
  };
  if (typeof header.id === 'string') res.id = header.id;
  // KServe sends null for an unversioned model; Triton a string.
  if (typeof header.model_version === 'string') res.model_version = header.model_version;
  const parameters = parametersFromJson(header.parameters, 'response');
  if (parameters) res.parameters = parameters;
  return res;
}
