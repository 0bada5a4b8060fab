import {
  checkImageResponse,
  kserveBinaryRequest,
  kserveJsonRequest,
  rawBatch,
  tfservingRequest,
  torchserveRequest,
  type ImageBatch,
} from '../protocols/imageApis';
import type { ApiRequest } from '../protocols/apiProtocol';
import type { ImageApi } from '../spec';
import { BenchSpecError, type NormalizedSpec } from '../specNormalize';
import { imageInput, itemBytes, itemJson, loadImages, syntheticPng } from '../workload/imageWorkload';
import type { TargetFactory } from './callTarget';
import type { Endpoint } from './endpoint';
import { GrpcInferTarget } from './grpcTarget';
import { HttpTarget } from './httpTarget';
import type { ResolvedServer } from './resolveServer';

/** gRPC address for kserve-grpc: `--grpc host:port`, or the URL itself when it is `grpc://host:port`. */
export function grpcAddressOf(spec: NormalizedSpec): string {
  if (spec.grpcAddress) return spec.grpcAddress;
  if (/^grpcs?:\/\//i.test(spec.url)) return spec.url;
  throw new BenchSpecError(
    'kserve-grpc needs the gRPC address: pass --grpc host:port (Triton listens on 8001, KServe on 8081)',
  );
}

function batchOf(spec: NormalizedSpec, server: ResolvedServer, batch: number, encodedImages: boolean): ImageBatch {
  const input = imageInput(spec.image, server.metadata);
  const b: ImageBatch = { input, batch };
  if (spec.image.imagesDir) b.images = loadImages(spec.image.imagesDir);
  else if (input.datatype === 'BYTES' || encodedImages) b.images = [syntheticPng(224, 224, spec.seed)];
  if (input.datatype !== 'BYTES') {
    b.itemJson = () => itemJson(input, spec.seed);
    b.itemRaw = () => itemBytes(input, spec.seed);
  }
  return b;
}

const httpBuilders: Record<
  Exclude<ImageApi, 'kserve-grpc'>,
  { build(b: ImageBatch, model: string): ApiRequest; check: keyof typeof checkImageResponse }
> = {
  kserve: { build: kserveJsonRequest, check: 'json' },
  'kserve-binary': { build: kserveBinaryRequest, check: 'json' },
  tfserving: { build: tfservingRequest, check: 'json' },
  torchserve: { build: torchserveRequest, check: 'any' },
};

/**
 * One request body per batch size, built before the step starts (a 64-image
 * JSON body is tens of megabytes: building it per request would measure us).
 */
export function imageTargetFactory(
  spec: NormalizedSpec,
  api: ImageApi,
  server: ResolvedServer,
  endpoint: Endpoint,
  batch: number,
): TargetFactory {
  const b = batchOf(spec, server, batch, api === 'torchserve');
  if (api === 'kserve-grpc') {
    const address = grpcAddressOf(spec);
    const input = b.input;
    const shape = input.datatype === 'BYTES' ? [batch] : [batch, ...input.itemShape];
    const request = {
      model_name: server.model,
      inputs: [{ name: input.name, datatype: input.datatype, shape }],
      raw_input_contents: [rawBatch(b)],
    };
    const metadata = endpoint.headers.length ? { [endpoint.headers[0]]: endpoint.headers[1] } : undefined;
    return (connections) =>
      new GrpcInferTarget({ address, request, n: batch, metadata, channels: Math.ceil(connections / 64) });
  }
  const builder = httpBuilders[api];
  const request = builder.build(b, server.model);
  const protocol = { framing: 'none' as const, body: checkImageResponse[builder.check] };
  return (connections) =>
    new HttpTarget({
      origin: endpoint.origin,
      basePath: endpoint.basePath,
      connections,
      protocol,
      plan: () => ({ request, n: batch }),
      headers: endpoint.headers,
      countOutput: false,
      allowSelfSigned: endpoint.allowSelfSigned,
    });
}
