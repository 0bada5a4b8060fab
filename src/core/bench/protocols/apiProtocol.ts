import { jsonSyntaxError } from './jsonSyntax';
import { inStreamError } from '../../servers/streamErrors';
import { escapedBytes } from '../../util/terminalText';

/** What a stream (or a body) told us beyond timing: generated text, usage, an in-band error. */
export interface StreamState {
  text: string;
  /** Reasoning text of a reasoning model (chat deltas' `reasoning_content` / `reasoning`), kept apart from `text`. */
  reasoning?: string;
  usageIn?: number;
  usageOut?: number;
  /** The server's count of reasoning tokens (`usage.completion_tokens_details.reasoning_tokens`), where it sends one. */
  usageReasoning?: number;
  /** `usage.prompt_tokens_details.cached_tokens`: prompt tokens the server found in its prefix cache. */
  usageCached?: number;
  error?: string;
  /** The answer is not what the API returns (not JSON, wrong shape, wrong content type): a "malformed" failure. */
  malformed?: boolean;
  /** The response's Content-Type, as the server sent it. */
  contentType?: string;
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
    malformed(st, `Not JSON in the stream: ${escapedBytes(Buffer.from(payload))}`);
    return undefined;
  }
  if (!j || typeof j !== 'object' || Array.isArray(j)) {
    malformed(st, `Unexpected stream payload: ${escapedBytes(Buffer.from(payload))}`);
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

/** Records the first reason an answer is not what the API returns. */
export function malformed(st: StreamState, reason: string): void {
  if (st.error !== undefined) return;
  st.error = reason;
  st.malformed = true;
}

const isSpace = (b: number | undefined) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * A non-streamed answer must be what the API returns: JSON by its content
 * type, starting with the expected bracket, and JSON all through. The whole
 * body is checked byte by byte (jsonSyntaxError: nothing is built, memory is
 * bounded by the nesting depth), so a bad byte in the middle of a large
 * vector or tensor answer is found, not only a missing end.
 */
export function checkJsonBody(body: Buffer, st: StreamState, expect: '{' | '[' | '{['): void {
  if (st.contentType !== undefined && !/json/i.test(st.contentType)) {
    return malformed(st, `Unexpected content type "${st.contentType}" (expected JSON); received ${escapedBytes(body)}`);
  }
  let k = 0;
  while (k < body.length && isSpace(body[k])) k++;
  const first = String.fromCharCode(body[k] ?? 0);
  if (!expect.includes(first))
    return malformed(
      st,
      `Unexpected response body (expected JSON starting with ${expect.split('').join(' or ')}); received ${escapedBytes(body)}`,
    );
  const e = jsonSyntaxError(body);
  if (!e) return;
  const near = e.truncated ? '' : `, near ${escapedBytes(body.subarray(Math.max(0, e.at - 24), e.at + 24), 48)}`;
  malformed(
    st,
    e.truncated
      ? `Response body is not valid JSON (cut short: ${body.length} bytes, it ${e.reason}); received ${escapedBytes(body)}`
      : `Response body is not valid JSON (${e.reason} at byte ${e.at} of ${body.length}${near}); received ${escapedBytes(body)}`,
  );
}

/** Reads `"key": <int>` from the last bytes of a body (usage fields come last in these APIs). */
export function tailNumber(body: Buffer, key: string): number | undefined {
  const tail = body.toString('utf8', Math.max(0, body.length - 2048));
  const m = new RegExp(`"${key}"\\s*:\\s*(\\d+)`).exec(tail);
  return m ? Number(m[1]) : undefined;
}
