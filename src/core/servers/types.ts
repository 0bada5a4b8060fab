/**
 * The contract every inference-server adapter fulfils, and the shapes it
 * returns. The host's Servers tree, the prober and the CLI only see these
 * types, never a server's own wire format.
 */
import type { MetricsSnapshot } from '../metrics/types';

/** Every server kind we speak natively (wire-reference §0). */
export const serverKinds = [
  'triton',
  'kserve',
  'oip',
  'vllm',
  'openai',
  'tgi',
  'ollama',
  'torchserve',
  'tfserving',
  'tei',
  'rayserve',
] as const;

export type ServerKind = (typeof serverKinds)[number];

export function isServerKind(v: unknown): v is ServerKind {
  return typeof v === 'string' && (serverKinds as readonly string[]).includes(v);
}

/** One configured server. `apiKey` is supplied at runtime from secret storage and never persisted by core. */
export interface ServerConfig {
  id: string;
  name: string;
  /** Base URL of the main HTTP endpoint (inference port). */
  url: string;
  kind?: ServerKind | 'auto';
  apiKey?: string;
  /** Model names to check on servers that cannot list models (TF Serving). */
  models?: string[];
  /** TorchServe management API; derived from the inference port (+1) when absent. */
  managementUrl?: string;
  /** Full URL of the Prometheus endpoint when it is not `<url>/metrics`. */
  metricsUrl?: string;
  /** host:port of the KServe v2 gRPC endpoint, when known. */
  grpcAddress?: string;
  /** Accept a self-signed TLS certificate (explicit per-server opt-in). */
  allowSelfSigned?: boolean;
  /** Per-call timeout in ms (default 5000). */
  timeoutMs?: number;
}

export interface FingerprintResult {
  matched: boolean;
  version?: string;
  /** What matched (or what was missing), in words: "GET /v2 → name \"triton\"". */
  evidence: string;
}

export interface HealthResult {
  live: boolean;
  ready: boolean;
  /** The server's own words when it is not ready, or why readiness is unknown. */
  detail?: string;
}

export interface ModelInfo {
  name: string;
  /** Undefined when the server gives no per-model readiness. */
  ready?: boolean;
  versions?: string[];
  /** Server-specific state word (Triton READY/UNAVAILABLE, TF Serving AVAILABLE, Ollama loaded). */
  state?: string;
  /** Why the model is not ready, when the server says. */
  reason?: string;
  /**
   * Ray Serve: the application that serves this model and the route prefix its API sits under (requests go to
   * the server's URL + route). Absent where the server itself serves the model.
   */
  application?: { name: string; route: string };
}

export interface TensorSpec {
  name: string;
  /** OIP datatype string (FP32, INT64, BYTES, …). */
  datatype: string;
  /** -1 = variable dimension; undefined = unknown rank. */
  shape?: number[];
}

export interface ModelMetadata {
  name: string;
  platform?: string;
  versions?: string[];
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  /** Facts worth showing that are not tensors (context length, owner, workers…). */
  properties: Record<string, string | number | boolean>;
}

/** How a server frames streamed responses (wire-reference §0, last column). */
export type StreamFraming = 'sse' | 'ndjson' | 'chunked' | 'app-defined' | 'none';

export interface ServerAdapter {
  readonly kind: ServerKind;
  readonly config: ServerConfig;
  readonly streamFraming: StreamFraming;
  fingerprint(baseUrl: string, signal?: AbortSignal): Promise<FingerprintResult>;
  health(signal?: AbortSignal): Promise<HealthResult>;
  listModels(signal?: AbortSignal): Promise<ModelInfo[]>;
  modelMetadata(model: string, signal?: AbortSignal): Promise<ModelMetadata>;
  metrics(signal?: AbortSignal): Promise<MetricsSnapshot>;
  /** Where this server's Prometheus text is (its own port and path), or why it has none. */
  metricsEndpoint?(): { url?: string; reason?: string };
  /** The server's version when it tells (from its identity endpoint). */
  version(signal?: AbortSignal): Promise<string | undefined>;
  /** OIP servers only: health and metadata over gRPC when a gRPC address is configured. */
  grpc?(): OipGrpcProbe | undefined;
}

export interface OipServerMetadata {
  name: string;
  version?: string;
  extensions: string[];
}

/** The gRPC side of an OIP server (KServe v2 `inference.GRPCInferenceService`): health and metadata. */
export interface OipGrpcProbe {
  readonly address: string;
  /** Not configured: the address tried at the HTTP port + 1 (Triton 8000/8001, KServe and MLServer 8080/8081). */
  readonly derived?: boolean;
  health(signal?: AbortSignal): Promise<HealthResult>;
  serverMetadata(signal?: AbortSignal): Promise<OipServerMetadata>;
  modelMetadata(model: string, signal?: AbortSignal, version?: string): Promise<ModelMetadata>;
}
