/**
 * TGI's framing (axum: lower-case headers, SSE `data:{json}` with NO space)
 * and its `{"error","error_type"}` bodies with their statuses (wire
 * reference §8).
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { BodyTooLargeError, httpDate, send } from '../../http/respond';
import { RequestError } from '../../requestError';

/** The TGI release whose wire behaviour this personality follows (override with `options.version`). */
export const TGI_VERSION = '3.3.5';

export function axumHeaders(contentType?: string, extra: OutgoingHttpHeaders = {}): OutgoingHttpHeaders {
  const h: OutgoingHttpHeaders = {};
  if (contentType) h['content-type'] = contentType;
  Object.assign(h, extra);
  h.date = httpDate();
  return h;
}

export function sendTgiJson(res: ServerResponse, status: number, value: unknown, extra?: OutgoingHttpHeaders): void {
  res.sendDate = false;
  send(res, status, JSON.stringify(value), axumHeaders('application/json', extra));
}

/** An empty-bodied answer (health 200, 401 for a bad key, unknown routes). */
export function sendTgiEmpty(res: ServerResponse, status: number): void {
  res.sendDate = false;
  send(res, status, '', axumHeaders());
}

export interface TgiErrorBody {
  error: string;
  error_type: string;
}

const MAP: Record<RequestError['reason'], [number, string]> = {
  validation: [422, 'validation'],
  'model-not-found': [422, 'validation'],
  'unsupported-model': [422, 'validation'],
  'context-length': [422, 'validation'],
  'not-ready': [503, 'unhealthy'],
  overloaded: [429, 'overloaded'],
  injected: [424, 'generation'],
};

/** Status and body TGI gives for a request problem. */
export function tgiError(e: unknown): [number, TgiErrorBody] {
  if (e instanceof BodyTooLargeError) return [413, { error: e.message, error_type: 'validation' }];
  if (!(e instanceof RequestError))
    return [500, { error: e instanceof Error ? e.message : String(e), error_type: 'incomplete_generation' }];
  const [status, type] = MAP[e.reason];
  const prefix =
    type === 'validation'
      ? 'Input validation error: '
      : type === 'generation'
        ? 'Request failed during generation: Server error: '
        : '';
  return [status, { error: prefix + e.message, error_type: type }];
}

export function sendTgiFailure(res: ServerResponse, e: unknown): void {
  if (res.headersSent) return void res.destroy();
  const [status, body] = tgiError(e);
  sendTgiJson(res, status, body);
}

/** Starts an SSE response the way axum's `Sse` does. */
export function startTgiSse(res: ServerResponse): void {
  res.sendDate = false;
  res.writeHead(200, axumHeaders('text/event-stream', { 'cache-control': 'no-cache' }));
  res.flushHeaders();
}

/** One SSE event in axum framing: `data:` + JSON + blank line, no space. */
export function tgiEvent(value: unknown): string {
  return `data:${JSON.stringify(value)}\n\n`;
}
