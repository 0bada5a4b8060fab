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
import type { ModelInferResponse } from '../../proto/inferenceTypes';
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

export function grpcInferViews(res: ModelInferResponse): ResponseView[] {
  return [...tensorViews(decodeGrpcOutputs(res).map(displayTensor)), { type: 'json', text: grpcJson(res) }];
}
