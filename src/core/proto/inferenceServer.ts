import { once } from 'node:events';
import * as grpc from '@grpc/grpc-js';
import { GrpcStatusError } from './grpcErrors';
import type {
  ModelInferRequest,
  ModelInferResponse,
  ModelMetadataRequest,
  ModelMetadataResponse,
  ModelReadyRequest,
  ModelReadyResponse,
  ModelStatisticsRequest,
  ModelStatisticsResponse,
  ModelStreamInferResponse,
  RepositoryIndexRequest,
  RepositoryIndexResponse,
  ServerLiveResponse,
  ServerMetadataResponse,
  ServerReadyResponse,
} from './inferenceTypes';
import { healthServiceDefinition, inferenceServiceDefinition } from './protoFiles';

/** What a handler gets besides the request. */
export interface GrpcCallContext {
  /** Aborts when the client cancels or disconnects. */
  signal: AbortSignal;
  /** Request metadata, lower-case keys (binary entries left out). */
  metadata: Record<string, string>;
}

type Unary<Req, Res> = (req: Req, ctx: GrpcCallContext) => Res | Promise<Res>;

/**
 * The embedded server's implementation of `inference.GRPCInferenceService`.
 * Throw a GrpcStatusError to answer with a chosen status; anything else
 * becomes INTERNAL with its message.
 */
export interface InferenceServiceHandlers {
  serverLive: Unary<Record<string, never>, ServerLiveResponse>;
  serverReady: Unary<Record<string, never>, ServerReadyResponse>;
  modelReady: Unary<ModelReadyRequest, ModelReadyResponse>;
  serverMetadata: Unary<Record<string, never>, ServerMetadataResponse>;
  modelMetadata: Unary<ModelMetadataRequest, ModelMetadataResponse>;
  modelInfer: Unary<ModelInferRequest, ModelInferResponse>;
  modelStatistics: Unary<ModelStatisticsRequest, ModelStatisticsResponse>;
  repositoryIndex: Unary<RepositoryIndexRequest, RepositoryIndexResponse>;
  /** Consumes the request stream and produces responses in any order (Triton semantics). */
  modelStreamInfer(
    requests: AsyncIterable<ModelInferRequest>,
    ctx: GrpcCallContext,
  ): AsyncIterable<ModelStreamInferResponse>;
}

function contextOf(
  call: grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>,
): GrpcCallContext {
  const ctrl = new AbortController();
  call.on('cancelled', () => ctrl.abort());
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(call.metadata.getMap())) if (typeof v === 'string') metadata[k] = v;
  return { signal: ctrl.signal, metadata };
}

function toServiceError(e: unknown): Partial<grpc.StatusObject> {
  if (e instanceof GrpcStatusError) return { code: e.code, details: e.message };
  return { code: grpc.status.INTERNAL, details: e instanceof Error ? e.message : String(e) };
}

function unary<Req, Res>(fn: Unary<Req, Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const ctx = contextOf(call as grpc.ServerUnaryCall<unknown, unknown>);
    Promise.resolve()
      .then(() => fn(call.request, ctx))
      .then(
        (res) => callback(null, res),
        (e) => callback(toServiceError(e)),
      );
  };
}

function bidi(
  handlers: InferenceServiceHandlers,
): grpc.handleBidiStreamingCall<ModelInferRequest, ModelStreamInferResponse> {
  return (call) => {
    const ctx = contextOf(call as grpc.ServerDuplexStream<unknown, unknown>);
    // Not `for await (… of call)`: Node's default stream iterator destroys the
    // whole duplex when the client half-closes, which would drop the responses
    // still being computed.
    const requests = call.iterator({ destroyOnReturn: false }) as AsyncIterable<ModelInferRequest>;
    void (async () => {
      try {
        for await (const res of handlers.modelStreamInfer(requests, ctx)) {
          if (ctx.signal.aborted) return;
          if (!call.write(res)) await once(call, 'drain', { signal: ctx.signal });
        }
        call.end();
      } catch (e) {
        if (!ctx.signal.aborted) call.emit('error', toServiceError(e));
      }
    })();
  };
}

/** Registers `inference.GRPCInferenceService` on a grpc-js server. */
export function addInferenceService(server: grpc.Server, handlers: InferenceServiceHandlers): void {
  server.addService(inferenceServiceDefinition().service, {
    ServerLive: unary(handlers.serverLive),
    ServerReady: unary(handlers.serverReady),
    ModelReady: unary(handlers.modelReady),
    ServerMetadata: unary(handlers.serverMetadata),
    ModelMetadata: unary(handlers.modelMetadata),
    ModelInfer: unary(handlers.modelInfer),
    ModelStatistics: unary(handlers.modelStatistics),
    RepositoryIndex: unary(handlers.repositoryIndex),
    ModelStreamInfer: bidi(handlers),
  });
}

export type HealthStatus = 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

/**
 * Registers `grpc.health.v1.Health/Check`. `check('')` is the whole server;
 * a service name the server does not know should return SERVICE_UNKNOWN,
 * which we answer with NOT_FOUND as the gRPC health protocol asks.
 */
export function addHealthService(server: grpc.Server, check: (service: string) => HealthStatus): void {
  server.addService(healthServiceDefinition().service, {
    Check: unary<{ service: string }, { status: HealthStatus }>((req) => {
      const status = check(req.service ?? '');
      if (status === 'SERVICE_UNKNOWN')
        throw new GrpcStatusError(grpc.status.NOT_FOUND, `unknown service ${req.service}`);
      return { status };
    }),
  });
}

/** Binds a grpc-js server; resolves with the port actually bound (pass 0 for a free one). */
export function bindGrpcServer(server: grpc.Server, host: string, port: number): Promise<number> {
  const target = host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
  return new Promise((resolve, reject) => {
    server.bindAsync(target, grpc.ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    );
  });
}
