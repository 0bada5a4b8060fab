/**
 * Ollama's framing (Go net/http: Canonical-Case headers; encoding/json:
 * `<`, `>`, `&` escaped as \u003c…, trailing newline from json.Encoder is
 * absent on gin's c.JSON), NDJSON streams, nanosecond durations with
 * `omitempty`, RFC 3339 nanosecond timestamps, and `{"error": "…"}` bodies
 * (wire reference §9).
 */
import type { ServerResponse } from 'node:http';
import { BodyTooLargeError, send } from '../../http/respond';
import type { SimulatedModel } from '../../models/registry';
import { REQUEST_ERROR_STATUS, RequestError } from '../../requestError';

/** The Ollama release whose wire behaviour this personality follows (override with `options.version`). */
export const OLLAMA_VERSION = '0.12.0';

/** JSON as Go's encoding/json writes it (HTML-safe escapes). */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function sendOllamaJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, goJson(value), { 'Content-Type': 'application/json; charset=utf-8' }, 'Content-Length');
}

export function sendOllamaText(res: ServerResponse, status: number, text: string): void {
  send(res, status, text, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Content-Length');
}

export function sendOllamaFailure(res: ServerResponse, e: unknown): void {
  if (res.headersSent) return void res.destroy();
  if (e instanceof BodyTooLargeError) return sendOllamaJson(res, 413, { error: e.message });
  const status = e instanceof RequestError ? REQUEST_ERROR_STATUS[e.reason] : 500;
  sendOllamaJson(res, status, { error: e instanceof Error ? e.message : String(e) });
}

/** Go's message for a body that is not JSON. */
export function goJsonError(text: string): string {
  const c = text.trim()[0];
  return c === undefined ? 'unexpected end of JSON input' : `invalid character '${c}' looking for beginning of value`;
}

/** `name:tag` as Ollama lists it (tag `latest` unless the model name has one). */
export function ollamaName(m: SimulatedModel): string {
  return m.name.includes(':') ? m.name : `${m.name}:latest`;
}

/** RFC 3339 with nanoseconds (trailing zeros trimmed) and the local offset, as Go's time.Time marshals. */
export function rfc3339Nano(epochMs: number, subMsNanos = 0): string {
  const d = new Date(epochMs);
  const offMin = -d.getTimezoneOffset();
  const local = new Date(epochMs + offMin * 60_000);
  const base = local.toISOString().slice(0, 19);
  const nanos = String(local.getUTCMilliseconds() * 1_000_000 + Math.max(0, Math.min(999_999, Math.round(subMsNanos))))
    .padStart(9, '0')
    .replace(/0+$/, '');
  const sign = offMin >= 0 ? '+' : '-';
  const abs = Math.abs(offMin);
  const zone =
    offMin === 0 ? 'Z' : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${base}${nanos ? `.${nanos}` : ''}${zone}`;
}

/** Drops zero, empty and undefined fields (Go `omitempty`). */
export function omitEmpty<T extends Record<string, unknown>>(o: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== 0 && v !== '' && v !== null) out[k] = v;
  return out as Partial<T>;
}

export const msToNs = (ms: number) => Math.max(0, Math.round(ms * 1e6));
