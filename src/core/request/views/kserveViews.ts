/**
 * Views of KServe v2 answers decoded by the shared codec: HTTP bodies with
 * binary outputs (`Inference-Header-Content-Length`) and gRPC responses (raw
 * or typed contents). Tensors are shown with their JSON values (FP16/BF16
 * as numbers, INT64 as numbers, BYTES as text).
 */
import { decodeGrpcOutputs } from '../../kserve/grpcTensors';
import { decodeInferResponse } from '../../kserve/inferHttp';
import { tensorDataToJson } from '../../kserve/jsonTensor';
import type { Tensor } from '../../kserve/tensor';
import type { ModelInferResponse, ModelStreamInferResponse } from '../../proto/inferenceTypes';
import { bytesOf, prettyJson } from './jsonBody';
import type { ResponseView } from '../../../shared/request';
import { tensorViews, type DecodedTensor } from './tensorTable';

export function displayTensor(t: Tensor): DecodedTensor {
  return { name: t.name, datatype: t.datatype, shape: t.shape, values: tensorDataToJson(t) };
}

/** Tensor views of a body with binary outputs, then its JSON header (binary parts named by size). */
export function binaryInferViews(body: Buffer, headerLength: string): ResponseView[] {
  const res = decodeInferResponse(body, headerLength);
  const header = JSON.parse(body.subarray(0, Number(headerLength)).toString('utf8')) as unknown;
  return [...tensorViews(res.outputs.map(displayTensor)), { type: 'json', text: prettyJson(header) }];
}

/** A gRPC response as JSON, bytes fields replaced by their size. */
export function grpcJson(res: unknown): string {
  return JSON.stringify(
    res,
    (_k, v: unknown) => {
      const bytes = bytesOf(v);
      return bytes ? `(${bytes.length} bytes)` : v;
    },
    2,
  );
}

/**
 * One ModelStreamInfer message as JSON, its outputs with their decoded values (`data`, as in REST) instead of raw
 * bytes: a decoupled model's responses each carry their own tensors, and the messages view is where they show.
 */
export function grpcStreamJson(r: ModelStreamInferResponse): string {
  const res = r.infer_response;
  if (!res?.raw_output_contents?.length) return grpcJson(r);
  const decoded = decodeGrpcOutputs(res);
  const { raw_output_contents: _raw, ...rest } = res;
  return grpcJson({
    ...r,
    infer_response: {
      ...rest,
      outputs: res.outputs.map((o, i) => ({
        name: o.name,
        datatype: o.datatype,
        shape: o.shape,
        ...(o.parameters && Object.keys(o.parameters).length ? { parameters: o.parameters } : {}),
        data: tensorDataToJson(decoded[i]),
      })),
    },
  });
}

export function grpcInferViews(res: ModelInferResponse): ResponseView[] {
  return [...tensorViews(decodeGrpcOutputs(res).map(displayTensor)), { type: 'json', text: grpcJson(res) }];
}
