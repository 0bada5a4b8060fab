/**
 * Image-classification request bodies (wire reference §1, §1.3, §5, §6), built
 * once per batch size: a run sends the same ready Buffer again and again, so
 * tensor encoding never counts against the server.
 */
import { BenchSpecError } from '../specNormalize';
import type { ImageInput } from '../workload/imageWorkload';
import { checkJsonBody, malformed, type ApiRequest, type StreamState } from './apiProtocol';

export interface ImageBatch {
  input: ImageInput;
  batch: number;
  /** One item as JSON numbers (tensor inputs). */
  itemJson?: () => string;
  /** One item as raw little-endian bytes (tensor inputs). */
  itemRaw?: () => Buffer;
  /** Encoded image files, one per item (BYTES inputs, TorchServe, TF Serving b64). */
  images?: Buffer[];
}

const modelPath = (model: string) => `/v2/models/${encodeURIComponent(model)}/infer`;

function batchShape(b: ImageBatch): number[] {
  return b.input.datatype === 'BYTES'
    ? [b.batch, ...(b.input.itemShape.length ? b.input.itemShape.map((d) => (d > 0 ? d : 1)) : [])]
    : [b.batch, ...b.input.itemShape];
}

/** KServe v2 JSON tensors: flat `data` in row-major order. */
export function kserveJsonRequest(b: ImageBatch, model: string): ApiRequest {
  if (b.input.datatype === 'BYTES')
    throw new BenchSpecError('Image files cannot travel as JSON tensors: use --api kserve-binary or kserve-grpc');
  const item = b.itemJson!();
  const data = new Array<string>(b.batch).fill(item).join(',');
  const head = JSON.stringify({ name: b.input.name, shape: batchShape(b), datatype: b.input.datatype }).slice(0, -1);
  return {
    path: modelPath(model),
    contentType: 'application/json',
    body: Buffer.from(`{"inputs":[${head},"data":[${data}]}]}`),
  };
}

/** The raw bytes of a batch: tensor items back to back, or BYTES elements each with a 4-byte length. */
export function rawBatch(b: ImageBatch): Buffer {
  if (b.input.datatype !== 'BYTES') return Buffer.concat(new Array<Buffer>(b.batch).fill(b.itemRaw!()));
  const parts: Buffer[] = [];
  for (let k = 0; k < b.batch; k++) {
    const img = b.images![k % b.images!.length];
    const len = Buffer.alloc(4);
    len.writeUInt32LE(img.length);
    parts.push(len, img);
  }
  return Buffer.concat(parts);
}

/** KServe v2 binary tensor extension: JSON header, then the bytes; outputs asked in binary too. */
export function kserveBinaryRequest(b: ImageBatch, model: string): ApiRequest {
  const data = rawBatch(b);
  const header = Buffer.from(
    JSON.stringify({
      inputs: [
        {
          name: b.input.name,
          shape: batchShape(b),
          datatype: b.input.datatype,
          parameters: { binary_data_size: data.length },
        },
      ],
      ...(b.input.outputName
        ? { outputs: [{ name: b.input.outputName, parameters: { binary_data: true } }] }
        : { parameters: { binary_data_output: true } }),
    }),
  );
  return {
    path: modelPath(model),
    contentType: 'application/octet-stream',
    headers: ['inference-header-content-length', String(header.length)],
    body: Buffer.concat([header, data]),
  };
}

/** Nests flat values into arrays of `shape` (TF Serving's row format wants nested instances). */
export function nest(values: string[], shape: number[]): string {
  let k = 0;
  const walk = (d: number): string => {
    if (d === shape.length) return values[k++];
    const out = new Array<string>(shape[d]);
    for (let i = 0; i < shape[d]; i++) out[i] = walk(d + 1);
    return `[${out.join(',')}]`;
  };
  return walk(0);
}

/** TF Serving REST predict, row format: `{"instances": [...]}`; images as `{"b64": …}`. */
export function tfservingRequest(b: ImageBatch, model: string): ApiRequest {
  let instances: string[];
  if (b.input.datatype === 'BYTES')
    instances = Array.from({ length: b.batch }, (_, k) =>
      JSON.stringify({ b64: b.images![k % b.images!.length].toString('base64') }),
    );
  else instances = new Array<string>(b.batch).fill(nest(b.itemJson!().split(','), b.input.itemShape));
  return {
    path: `/v1/models/${encodeURIComponent(model)}:predict`,
    contentType: 'application/json',
    body: Buffer.from(`{"instances":[${instances.join(',')}]}`),
  };
}

/** TorchServe `/predictions/{m}`: the encoded image itself is the body (the handler decodes it). */
export function torchserveRequest(b: ImageBatch, model: string): ApiRequest {
  if (b.batch !== 1)
    throw new BenchSpecError(
      'TorchServe predictions take one image per request (it batches on the server side): use batch size 1',
    );
  return {
    path: `/predictions/${encodeURIComponent(model)}`,
    contentType: 'application/octet-stream',
    body: b.images![0],
  };
}

export const checkImageResponse = {
  json: (body: Buffer, st: StreamState) => checkJsonBody(body, st, '{'),
  any: (body: Buffer, st: StreamState) => {
    if (!body.length) malformed(st, 'Empty response body');
  },
};
