import * as grpc from '@grpc/grpc-js';
import { InferenceError } from '../http/errors';
import { toGrpcCallError } from './grpcErrors';
import { openStream, type InferStream } from './grpcStream';
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
import { inferenceServiceDefinition } from './protoFiles';

export interface GrpcTlsOptions {
  /** PEM root certificate(s); default: the system roots. */
  ca?: string | Buffer;
  /** PEM client certificate and key for mutual TLS. */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Accept self-signed certificates (explicit per-server opt-in only). */
  allowSelfSigned?: boolean;
}

export interface InferenceClientOptions {
  /** Aborting it cancels every call in flight and closes the channel. */
  signal?: AbortSignal;
  /** Default deadline for unary calls (ms). Streams have none unless set per call. */
  deadlineMs?: number;
  /** `true` for TLS with system roots; implied by `https://` / `grpcs://` addresses. */
  tls?: boolean | GrpcTlsOptions;
  /** Sent with every call, e.g. `{authorization: 'Bearer …'}`; never logged. */
  metadata?: Record<string, string>;
}

export interface GrpcCallOptions {
  signal?: AbortSignal;
  deadlineMs?: number;
  metadata?: Record<string, string>;
}

/** Promise and async-iterable wrappers over `inference.GRPCInferenceService`. */
export interface InferenceClient {
  readonly address: string;
  serverLive(o?: GrpcCallOptions): Promise<ServerLiveResponse>;
  serverReady(o?: GrpcCallOptions): Promise<ServerReadyResponse>;
  modelReady(req: ModelReadyRequest, o?: GrpcCallOptions): Promise<ModelReadyResponse>;
  serverMetadata(o?: GrpcCallOptions): Promise<ServerMetadataResponse>;
  modelMetadata(req: ModelMetadataRequest, o?: GrpcCallOptions): Promise<ModelMetadataResponse>;
  modelInfer(req: ModelInferRequest, o?: GrpcCallOptions): Promise<ModelInferResponse>;
  modelStatistics(req: ModelStatisticsRequest, o?: GrpcCallOptions): Promise<ModelStatisticsResponse>;
  repositoryIndex(req: RepositoryIndexRequest, o?: GrpcCallOptions): Promise<RepositoryIndexResponse>;
  /** Sends every request of `requests`, then half-closes; yields responses as they arrive. */
  modelStreamInfer(
    requests: Iterable<ModelInferRequest> | AsyncIterable<ModelInferRequest>,
    o?: GrpcCallOptions,
  ): AsyncIterable<ModelStreamInferResponse>;
  /** An open ModelStreamInfer call to write to at your own pace. */
  openModelStream(o?: GrpcCallOptions): InferStream;
  close(): void;
}

/**
 * Splits `host:port`, `grpc://host:port`, `http(s)://host:port` into the
 * target grpc-js wants and whether the scheme asks for TLS.
 */
export function parseGrpcAddress(address: string): { target: string; tls: boolean } {
  const trimmed = address.trim();
  const m = /^(grpcs?|https?):\/\/(.*)$/i.exec(trimmed);
  const hostPort = (m ? m[2] : trimmed).replace(/\/+$/, '');
  const tls = m ? /^(grpcs|https)$/i.test(m[1]) : false;
  if (
    !/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+):\d{1,5}$/i.test(hostPort) ||
    Number(hostPort.slice(hostPort.lastIndexOf(':') + 1)) > 65535
  ) {
    throw new InferenceError(
      'invalid-url',
      `Not a valid gRPC address: "${address}". Expected host:port, e.g. 127.0.0.1:8001`,
    );
  }
  return { target: hostPort, tls };
}

function credentialsFor(tls: boolean | GrpcTlsOptions | undefined, schemeTls: boolean): grpc.ChannelCredentials {
  if (!tls && !schemeTls) return grpc.credentials.createInsecure();
  const o: GrpcTlsOptions = typeof tls === 'object' ? tls : {};
  const buf = (v: string | Buffer | undefined) => (v === undefined ? null : Buffer.from(v));
  const verify: grpc.VerifyOptions = o.allowSelfSigned
    ? { rejectUnauthorized: false, checkServerIdentity: () => undefined }
    : {};
  return grpc.credentials.createSsl(buf(o.ca), buf(o.key), buf(o.cert), verify);
}

function metadataFrom(...maps: (Record<string, string> | undefined)[]): grpc.Metadata {
  const md = new grpc.Metadata();
  for (const m of maps) for (const [k, v] of Object.entries(m ?? {})) md.set(k.toLowerCase(), v);
  return md;
}

type UnaryFn = (
  req: unknown,
  md: grpc.Metadata,
  opts: grpc.CallOptions,
  cb: (e: grpc.ServiceError | null, r?: unknown) => void,
) => grpc.ClientUnaryCall;

/** Creates a client for a KServe v2 / Triton gRPC endpoint (no connection is made until the first call). */
export function createInferenceClient(address: string, options: InferenceClientOptions = {}): InferenceClient {
  const { target, tls } = parseGrpcAddress(address);
  const Service = inferenceServiceDefinition();
  const raw = new Service(target, credentialsFor(options.tls, tls), {
    'grpc.max_receive_message_length': 256 * 1024 * 1024,
    'grpc.max_send_message_length': 256 * 1024 * 1024,
  });
  const onClientAbort = () => raw.close();
  options.signal?.addEventListener('abort', onClientAbort, { once: true });
  const signals = (o: GrpcCallOptions = {}) => [options.signal, o.signal].filter((s): s is AbortSignal => !!s);

  function unary<Res>(method: string, req: unknown, o: GrpcCallOptions = {}): Promise<Res> {
    const deadlineMs = o.deadlineMs ?? options.deadlineMs;
    const all = signals(o);
    const aborted = all.find((s) => s.aborted);
    if (aborted)
      return Promise.reject(toGrpcCallError({ code: grpc.status.CANCELLED, details: 'Cancelled' }, target, aborted));
    return new Promise<Res>((resolve, reject) => {
      const callOpts: grpc.CallOptions = deadlineMs ? { deadline: Date.now() + deadlineMs } : {};
      const fn = (raw as unknown as Record<string, UnaryFn>)[method].bind(raw);
      const cancel = () => call.cancel();
      const call = fn(req, metadataFrom(options.metadata, o.metadata), callOpts, (err, res) => {
        for (const s of all) s.removeEventListener('abort', cancel);
        if (err) reject(toGrpcCallError(err, target, all.find((s) => s.aborted) ?? (all.length ? all[0] : undefined)));
        else resolve(res as Res);
      });
      for (const s of all) s.addEventListener('abort', cancel, { once: true });
    });
  }

  function stream(o: GrpcCallOptions = {}): InferStream {
    const deadlineMs = o.deadlineMs;
    const callOpts: grpc.CallOptions = deadlineMs ? { deadline: Date.now() + deadlineMs } : {};
    const call = (
      raw as unknown as {
        ModelStreamInfer(
          md: grpc.Metadata,
          o: grpc.CallOptions,
        ): grpc.ClientDuplexStream<ModelInferRequest, ModelStreamInferResponse>;
      }
    ).ModelStreamInfer(metadataFrom(options.metadata, o.metadata), callOpts);
    return openStream(call, target, signals(o));
  }

  return {
    address: target,
    serverLive: (o) => unary('ServerLive', {}, o),
    serverReady: (o) => unary('ServerReady', {}, o),
    modelReady: (req, o) => unary('ModelReady', req, o),
    serverMetadata: (o) => unary('ServerMetadata', {}, o),
    modelMetadata: (req, o) => unary('ModelMetadata', req, o),
    modelInfer: (req, o) => unary('ModelInfer', req, o),
    modelStatistics: (req, o) => unary('ModelStatistics', req, o),
    repositoryIndex: (req, o) => unary('RepositoryIndex', req, o),
    modelStreamInfer(requests, o) {
      const s = stream(o);
      s.sendAll(requests);
      return s.responses;
    },
    openModelStream: (o) => stream(o),
    close() {
      options.signal?.removeEventListener('abort', onClientAbort);
      raw.close();
    },
  };
}
