/**
 * KServe v2 infer requests from the tensor editor (wire reference §1–§2):
 * REST with JSON tensors or the binary tensor extension, and gRPC ModelInfer
 * or ModelStreamInfer with raw contents. Values are checked against each
 * datatype by the shared KServe codec.
 */
import { encodeGrpcInputs } from '../../kserve/grpcTensors';
import { INFERENCE_HEADER_CONTENT_LENGTH } from '../../kserve/httpBinary';
import { encodeInferRequest, type RequestedOutput } from '../../kserve/inferHttp';
import { tensorFromJson } from '../../kserve/jsonTensor';
import type { Tensor } from '../../kserve/tensor';
import { joinUrl } from '../../servers/serverHttp';
import { imageTensor } from './imageTensor';
import type { RequestDraft, RequestTarget } from '../../../shared/request';
import { tensorValues } from './tensorDefaults';
import { bearer, type BuildContext, type GrpcWire, type HttpWire } from './wire';

const enc = encodeURIComponent;

/** The draft's inputs as tensors: typed values, generated values, or an image through its preprocessing. */
export function draftTensors(d: RequestDraft, ctx: Pick<BuildContext, 'images'>): Tensor[] {
  const list = d.tensors ?? [];
  if (!list.length) throw new Error('Add at least one input tensor');
  return list.map((t) => {
    if (!t.name.trim()) throw new Error('Every input needs a name');
    if (t.image) {
      const img = ctx.images?.[t.name];
      if (!img) throw new Error(`Input "${t.name}": choose an image file (its pixels were not supplied)`);
      return imageTensor(t.name, t.datatype, img, t.image);
    }
    return tensorFromJson({ name: t.name, datatype: t.datatype, shape: t.shape, data: tensorValues(t) });
  });
}

function requested(d: RequestDraft, binary: boolean): RequestedOutput[] | undefined {
  const names = (d.outputs ?? []).filter((n) => n.trim());
  return names.length
    ? names.map((name) => (binary ? { name, parameters: { binary_data: true } } : { name }))
    : undefined;
}

export function buildKserveRest(d: RequestDraft, target: RequestTarget, ctx: BuildContext): HttpWire {
  const binary = d.encoding === 'binary';
  const outputs = requested(d, binary);
  const body = encodeInferRequest(
    { inputs: draftTensors(d, ctx), outputs },
    { binaryInputs: binary, binaryOutputs: binary && !outputs },
  );
  const headers: Record<string, string> = { 'content-type': body.contentType, ...bearer(ctx.hasApiKey) };
  if (body.headerLength !== undefined)
    headers[INFERENCE_HEADER_CONTENT_LENGTH.toLowerCase()] = String(body.headerLength);
  const path = `/v2/models/${enc(d.model)}${d.modelVersion ? `/versions/${enc(d.modelVersion)}` : ''}/infer`;
  return {
    transport: 'http',
    template: 'kserve-infer',
    method: 'POST',
    url: joinUrl(target.baseUrl, path),
    headers,
    body: binary ? body.body : body.body.toString('utf8'),
    expect: 'json',
  };
}

export function buildKserveGrpc(d: RequestDraft, target: RequestTarget, ctx: BuildContext): GrpcWire {
  if (!target.grpcAddress)
    throw new Error(`${target.serverName} has no gRPC address: set one in its server settings, or use REST`);
  const outputs = (d.outputs ?? []).filter((n) => n.trim()).map((name) => ({ name }));
  return {
    transport: 'grpc',
    template: 'kserve-infer',
    address: target.grpcAddress,
    stream: d.kserveTransport === 'grpc-stream',
    request: {
      model_name: d.model,
      model_version: d.modelVersion ?? '',
      ...encodeGrpcInputs(draftTensors(d, ctx)),
      ...(outputs.length ? { outputs } : {}),
    },
    metadata: bearer(ctx.hasApiKey),
  };
}
