/**
 * A request as it goes on the wire, built from a draft. Credentials appear
 * only as API_KEY_PLACEHOLDER: the executor substitutes the key from secret
 * storage at send time, and "Copy as …" turns it into an environment
 * variable reference, so no built request ever holds a secret.
 */
import type { ModelInferRequest } from '../../proto/inferenceTypes';
import { API_KEY_PLACEHOLDER, type TemplateId } from '../../../shared/request';

export { API_KEY_PLACEHOLDER };
/** The environment variable copied commands read the key from. */
export const API_KEY_ENV = 'INFERENCE_LAB_API_KEY';

/** What the answer is expected to be: decides the reader and the "wrong content type" check. */
export type Expect = 'json' | 'sse' | 'ndjson' | 'chunked' | 'any';

export interface HttpWire {
  transport: 'http';
  template: TemplateId;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  expect: Expect;
}

export interface GrpcWire {
  transport: 'grpc';
  template: TemplateId;
  /** host:port, or grpc(s)://host:port. */
  address: string;
  /** ModelInfer (unary) or ModelStreamInfer (bidirectional, one request sent). */
  stream: boolean;
  request: ModelInferRequest;
  metadata: Record<string, string>;
}

export interface WsWire {
  transport: 'websocket';
  template: TemplateId;
  url: string;
  headers: Record<string, string>;
  messages: string[];
}

export type WireRequest = HttpWire | GrpcWire | WsWire;

/** RGBA pixels of an image already decoded and resized (by the webview's canvas). */
export interface RgbaImage {
  width: number;
  height: number;
  /** width × height × 4 bytes, row-major. */
  data: Uint8Array;
}

/** What building needs besides the draft. */
export interface BuildContext {
  /** The server has an API key in secret storage: add its header with the placeholder. */
  hasApiKey: boolean;
  /** Reads a file named in the draft (TorchServe file body). */
  readFile(path: string): Promise<Uint8Array>;
  /** Decoded images for inputs that use an image, by input name. */
  images?: Record<string, RgbaImage>;
}

export function bearer(hasApiKey: boolean): Record<string, string> {
  return hasApiKey ? { authorization: `Bearer ${API_KEY_PLACEHOLDER}` } : {};
}

/** Replaces the placeholder by the key in every header (the only place a key goes). */
export function withApiKey(headers: Record<string, string>, apiKey: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v.includes(API_KEY_PLACEHOLDER)) {
      if (!apiKey)
        throw new Error(`Header "${k}" uses ${API_KEY_PLACEHOLDER} but no API key is stored for this server`);
      out[k] = v.split(API_KEY_PLACEHOLDER).join(apiKey);
    } else out[k] = v;
  }
  return out;
}
