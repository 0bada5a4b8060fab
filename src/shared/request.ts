/**
 * The data of the request panel: what a request is (a draft the user edits),
 * where it goes (a target), and what came back (a result with views, timing
 * and streaming metrics). Pure types and helpers in the bottom layer (src/shared imports nothing):
 * core, host and the webview bundle all read them from here.
 */
import { SECRET_NAME } from './redact';

/** Stands for the server's stored API key wherever a request would carry it. */
export const API_KEY_PLACEHOLDER = '${apiKey}';

/** Header names whose values are credentials (Authorization, x-api-key, any name with key, token, secret…): never stored or shown as typed. */
export const SENSITIVE_HEADER = SECRET_NAME;

/** A credential header's value with its secret replaced by the placeholder ("Bearer abc" → "Bearer ${apiKey}"); other headers unchanged. */
export function maskHeaderValue(name: string, value: string): string {
  if (!SENSITIVE_HEADER.test(name.trim()) || !value || value.includes(API_KEY_PLACEHOLDER)) return value;
  const scheme = /^(Bearer|Basic|Token|Digest|Api-?Key)\s+/i.exec(value);
  return scheme ? `${scheme[0]}${API_KEY_PLACEHOLDER}` : API_KEY_PLACEHOLDER;
}

/** Server kinds (mirrors src/core/servers/types.ts `ServerKind`; kept as a string here so webviews need no core import). */
export type TargetKind = string;

/** Where requests go: one server, optionally one model on it. Never holds a secret. */
export interface RequestTarget {
  serverId: string;
  serverName: string;
  kind: TargetKind;
  /** Base URL of the inference HTTP endpoint, without trailing slash. */
  baseUrl: string;
  /** host:port of the KServe v2 gRPC endpoint, when known. */
  grpcAddress?: string;
  /** URL of a WebSocket streaming endpoint (ws:// or wss://), when the server has one. */
  wsUrl?: string;
  model?: string;
  allowSelfSigned?: boolean;
}

/** A model's declared tensors and facts, as the panel shows them (a browser-safe copy of ModelMetadata). */
export interface MetadataView {
  inputs: Array<{ name: string; datatype: string; shape?: number[] }>;
  outputs: Array<{ name: string; datatype: string; shape?: number[] }>;
  platform?: string;
  properties: Record<string, string | number | boolean>;
}

export type TemplateId =
  | 'openai-chat'
  | 'openai-completions'
  | 'openai-embeddings'
  | 'tgi-generate'
  | 'tgi-generate-stream'
  | 'ollama-generate'
  | 'ollama-chat'
  | 'ollama-embed'
  | 'tei-embed'
  | 'kserve-infer'
  | 'torchserve-predict'
  | 'tfserving-predict'
  | 'websocket'
  | 'raw';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Sampling parameters of the generative templates; absent = the server's default. */
export interface GenerationParams {
  temperature?: number;
  maxTokens?: number;
  stop?: string[];
  stream: boolean;
}

/** How an image file becomes an input tensor. */
export interface ImagePreprocess {
  /** Workspace-relative or absolute path of the image (kept so a saved request can be re-run). */
  path: string;
  width: number;
  height: number;
  /** stretch: scale to width×height; crop: scale the shorter side, then centre-crop. */
  resize: 'stretch' | 'crop';
  layout: 'NCHW' | 'NHWC';
  /** unit: x/255; imagenet: (x/255 - mean)/std; none: raw 0..255. */
  normalize: 'none' | 'unit' | 'imagenet';
}

export interface TensorDraft {
  name: string;
  datatype: string;
  shape: number[];
  /** JSON text of the values (nested or flat array); ignored when `image` is set. */
  data: string;
  image?: ImagePreprocess;
}

export type KserveTransport = 'rest' | 'grpc' | 'grpc-stream';

export interface RawHeader {
  name: string;
  value: string;
}

/** Everything the form holds. Fields not used by the chosen template are ignored. */
export interface RequestDraft {
  template: TemplateId;
  model: string;
  messages?: ChatMessage[];
  prompt?: string;
  /** Embedding inputs, one per line in the form. */
  inputs?: string[];
  params?: GenerationParams;
  tensors?: TensorDraft[];
  /** Requested outputs (empty = all). */
  outputs?: string[];
  encoding?: 'json' | 'binary';
  kserveTransport?: KserveTransport;
  modelVersion?: string;
  /** TorchServe: a JSON/text body or a file sent as the raw body. */
  bodyMode?: 'json' | 'file';
  filePath?: string;
  /** TF Serving row (`instances`) or columnar (`inputs`) format. */
  tfFormat?: 'instances' | 'inputs';
  /** JSON/text body of torchserve, tfserving and raw templates. */
  body?: string;
  method?: string;
  path?: string;
  headers?: RawHeader[];
  /** Raw mode: how to read the answer. */
  framing?: 'auto' | 'sse' | 'ndjson' | 'chunked';
  /** WebSocket: messages sent in order after the connection opens. */
  wsMessages?: string[];
}

export interface TimingBreakdown {
  /** DNS + TCP connect (ms); undefined when an open connection was reused or the transport does not tell (gRPC). */
  connectMs?: number;
  tlsMs?: number;
  /** Request start to the response headers (HTTP) or first message (gRPC, WebSocket). */
  ttfbMs?: number;
  /** First byte to the last byte. */
  downloadMs?: number;
  totalMs: number;
}

export interface LatencySummary {
  meanMs: number;
  p50Ms: number;
  maxMs: number;
}

/** Live and final metrics of a token stream: ours, and what the server reported. */
export interface StreamMetrics {
  /** Request start to the first non-empty token. */
  ttftMs?: number;
  itl?: LatencySummary;
  /** Tokens after the first divided by the time between first and last token. */
  tokensPerSecond?: number;
  /** Content-bearing events we received. */
  tokenCount: number;
  elapsedMs: number;
  server?: {
    completionTokens?: number;
    promptTokens?: number;
    tokensPerSecond?: number;
    finishReason?: string;
  };
}

export interface TensorTable {
  name: string;
  datatype: string;
  shape: number[];
  /** Row-major rows of the last dimension (capped); strings for BYTES. */
  rows: Array<Array<number | string | boolean>>;
  totalElements: number;
  truncated: boolean;
  stats?: { min: number; max: number; mean: number };
}

export interface LabelScore {
  label: string;
  score: number;
  index?: number;
}

export interface EmbeddingSummary {
  index: number;
  dims: number;
  norm: number;
  preview: number[];
}

export type ResponseView =
  | { type: 'json'; text: string }
  | { type: 'text'; text: string; truncated?: boolean }
  | { type: 'generation'; text: string; finishReason?: string }
  | { type: 'tensors'; tensors: TensorTable[] }
  | { type: 'topk'; output: string; labels: LabelScore[] }
  | { type: 'embeddings'; items: EmbeddingSummary[] }
  | { type: 'messages'; items: Array<{ direction: 'sent' | 'received'; atMs: number; data: string }> };

export interface RequestError {
  kind: string;
  message: string;
}

export interface RequestResult {
  /** True for a 2xx (or gRPC OK) answer without an error in the body or stream. */
  ok: boolean;
  status?: number;
  statusText?: string;
  headers: Record<string, string>;
  /** Bytes of response body received (all of it, even beyond what was kept). */
  sizeBytes: number;
  timing: TimingBreakdown;
  stream?: StreamMetrics;
  views: ResponseView[];
  error?: RequestError;
  cancelled?: boolean;
  /** Non-fatal remarks ("the server ignored stream: true"). */
  notes?: string[];
}

/** One line of the per-server history (the draft is already masked). */
export interface HistoryEntry {
  id: string;
  at: string;
  target: RequestTarget;
  draft: RequestDraft;
  summary: string;
  status?: number;
  ok: boolean;
  timing: TimingBreakdown;
  stream?: StreamMetrics;
}

/** The request as sent, for the "Request" tab: credentials already dotted out. */
export interface SentSummary {
  transport: 'http' | 'grpc' | 'websocket';
  method: string;
  url: string;
  headers: Record<string, string>;
  /** Body text (or a description of a binary body), capped. */
  body?: string;
}

export type CopyFormat = 'curl' | 'grpcurl' | 'python' | 'typescript';
