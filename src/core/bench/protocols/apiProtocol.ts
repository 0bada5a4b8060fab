import { inStreamError } from '../../servers/streamErrors';

/** What a stream (or a body) told us beyond timing: generated text, usage, an in-band error. */
export interface StreamState {
  text: string;
  usageIn?: number;
  usageOut?: number;
  error?: string;
}

export interface ApiRequest {
  path: string;
  body: Buffer;
  contentType: string;
  /** Extra flat header pairs (e.g. Inference-Header-Content-Length). */
  headers?: string[];
}

export interface ApiContext {
  model: string;
  ignoreEos: boolean;
}

/** One HTTP API as the engine drives it: how to build a request and how to read its answer. */
export interface ApiProtocol<Item> {
  framing: 'sse' | 'ndjson' | 'none';
  request(item: Item, ctx: ApiContext): ApiRequest;
  /** One streamed payload (SSE data or NDJSON line) → EV_* flags. */
  event?(payload: string, st: StreamState): number;
  /** A complete non-streamed 2xx body: checks its shape and picks up usage. */
  body?(body: Buffer, st: StreamState): void;
}

/** Parses a payload; an in-band error goes to `st.error`. Undefined for non-JSON or error payloads. */
export function parsePayload(payload: string, st: StreamState): Record<string, unknown> | undefined {
  let j: unknown;
  try {
    j = JSON.parse(payload);
  } catch {
    st.error ??= `Not JSON in the stream: ${payload.slice(0, 80)}`;
    return undefined;
  }
  if (!j || typeof j !== 'object' || Array.isArray(j)) {
    st.error ??= `Unexpected stream payload: ${payload.slice(0, 80)}`;
    return undefined;
  }
  const err = inStreamError(j);
  if (err) {
    st.error ??= err.message;
    return undefined;
  }
  return j as Record<string, unknown>;
}

export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function jsonBody(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

/**
 * A non-streamed answer must at least look like what the API returns; the
 * engine does not parse large tensors or vectors (that would measure our
 * JSON parser), it checks the first byte and reads usage from the tail.
 */
export function checkJsonBody(body: Buffer, st: StreamState, expect: '{' | '[' | '{['): void {
  let k = 0;
  while (k < body.length && (body[k] === 0x20 || body[k] === 0x0a || body[k] === 0x0d || body[k] === 0x09)) k++;
  const first = String.fromCharCode(body[k] ?? 0);
  if (!expect.includes(first)) st.error ??= `Unexpected response body: ${body.toString('utf8', 0, Math.min(body.length, 80)) || '(empty)'}`;
}

/** Reads `"key": <int>` from the last bytes of a body (usage fields come last in these APIs). */
export function tailNumber(body: Buffer, key: string): number | undefined {
  const tail = body.toString('utf8', Math.max(0, body.length - 2048));
  const m = new RegExp(`"${key}"\\s*:\\s*(\\d+)`).exec(tail);
  return m ? Number(m[1]) : undefined;
}
