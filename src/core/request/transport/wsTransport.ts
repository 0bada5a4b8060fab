/**
 * WebSocket transport (the `ws` client): connects with the upgrade headers,
 * sends the draft's messages in order, and shows every message both ways.
 * Token messages (`{"type":"token","text"}`, the embedded vLLM's `/v1/stream`
 * format, or any OpenAI/TGI/Ollama-shaped chunk) feed the streaming view and
 * its metrics; the exchange ends when every sent request has had its `done`
 * or `error`, when the server closes, or on cancel.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { toInferenceError } from '../../http/errors';
import { callController, cancelledMessage, round2, type ExecOptions } from './execOptions';
import type { RequestResult, ResponseView } from '../../../shared/request';
import { decodeStreamEvent, inStreamError } from './streamEvents';
import { StreamMeter } from './streamMeter';
import { withApiKey, type WsWire } from '../build/wire';

type Msg = Extract<ResponseView, { type: 'messages' }>['items'][number];

/** What one received message means for the exchange. */
function classify(data: string): { text?: string; done?: boolean; error?: string; usage?: number } {
  let j: unknown;
  try {
    j = JSON.parse(data);
  } catch {
    return { text: undefined };
  }
  if (!j || typeof j !== 'object' || Array.isArray(j)) return {};
  const o = j as Record<string, unknown>;
  if (o.type === 'token') return { text: typeof o.text === 'string' ? o.text : '' };
  if (o.type === 'done') {
    const u = o.usage as { completion_tokens?: unknown } | undefined;
    return { done: true, usage: typeof u?.completion_tokens === 'number' ? u.completion_tokens : undefined };
  }
  const err = inStreamError(o);
  if (err || o.type === 'error') return { error: err ?? JSON.stringify(o), done: true };
  const ev = decodeStreamEvent(o);
  return { text: ev.text, done: ev.done, error: ev.error };
}

export function runWebSocket(wire: WsWire, o: ExecOptions = {}): Promise<RequestResult> {
  const t0 = performance.now();
  const meter = new StreamMeter(t0);
  const messages: Msg[] = [];
  const result: RequestResult = { ok: false, headers: {}, sizeBytes: 0, timing: { totalMs: 0 }, views: [] };
  const call = callController(o, 'Opening the WebSocket');
  let text = '';
  let pending = wire.messages.length;
  let openedAt: number | undefined;
  let firstAt: number | undefined;
  return new Promise<RequestResult>((resolve) => {
    let ws: WebSocket | undefined;
    let finished = false;
    const finish = (error?: RequestResult['error']) => {
      if (finished) return;
      finished = true;
      call.dispose();
      if (error && !result.error) result.error = error;
      if (ws && ws.readyState !== WebSocket.CLOSED) ws.terminate();
      const end = performance.now();
      result.timing = {
        connectMs: openedAt !== undefined ? round2(openedAt - t0) : undefined,
        ttfbMs: firstAt !== undefined ? round2(firstAt - t0) : undefined,
        totalMs: round2(end - t0),
      };
      result.stream = meter.snapshot(end);
      result.views = [
        { type: 'generation', text },
        { type: 'messages', items: messages },
      ];
      result.ok = !result.error && openedAt !== undefined;
      resolve(result);
    };
    try {
      ws = new WebSocket(wire.url, {
        headers: withApiKey(wire.headers, o.apiKey),
        rejectUnauthorized: !o.allowSelfSigned,
        handshakeTimeout: o.firstByteTimeoutMs ?? 60_000,
      });
    } catch (e) {
      return finish({ kind: 'invalid-url', message: `Cannot open ${wire.url}: ${(e as Error).message}` });
    }
    const record = (direction: Msg['direction'], data: string) => {
      const atMs = round2(performance.now() - t0);
      o.onEvent?.({ type: 'message', direction, data, atMs });
      messages.push({ direction, atMs, data: data.length > 4096 ? `${data.slice(0, 4096)}…` : data });
    };
    call.ctrl.signal.addEventListener('abort', () => {
      const reason: unknown = call.ctrl.signal.reason;
      if (o.signal?.aborted) {
        result.cancelled = true;
        finish({ kind: 'cancelled', message: cancelledMessage(meter.tokenCount) });
      } else finish({ kind: 'timeout', message: (reason as Error)?.message ?? 'Timed out' });
    });
    const sock = ws;
    sock.on('unexpected-response', (_req, res) => {
      result.status = res.statusCode;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        finish({
          kind: res.statusCode === 401 || res.statusCode === 403 ? 'auth' : 'http',
          message: `The server refused the WebSocket upgrade with HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString('utf8').slice(0, 300) || '(empty body)'}`,
        }),
      );
    });
    sock.on('upgrade', (res) => {
      result.status = res.statusCode;
      for (const [k, v] of Object.entries(res.headers))
        if (v !== undefined) result.headers[k] = Array.isArray(v) ? v.join(', ') : v;
    });
    sock.on('open', () => {
      openedAt = performance.now();
      call.started();
      for (const m of wire.messages) {
        sock.send(m);
        record('sent', m);
      }
      if (!pending) finish();
    });
    sock.on('message', (raw, isBinary) => {
      const data = isBinary ? `(binary, ${(raw as Buffer).length} bytes)` : raw.toString();
      result.sizeBytes += (raw as Buffer).length ?? 0;
      call.progress();
      firstAt ??= performance.now();
      record('received', data);
      const c = isBinary ? {} : classify(data);
      if (c.text) {
        text += c.text;
        meter.token();
        o.onEvent?.({ type: 'delta', text: c.text, metrics: meter.snapshot() });
      }
      if (c.usage !== undefined) meter.serverReport({ completionTokens: c.usage });
      if (c.error) result.error = { kind: 'in-stream', message: `The server reported an error: ${c.error}` };
      if (c.done && --pending <= 0) finish();
    });
    sock.on('close', (code, reason) =>
      finish(
        pending > 0
          ? {
              kind: 'connection-reset',
              message: `The server closed the WebSocket (code ${code}${reason.length ? `: ${reason.toString()}` : ''}) before answering every message`,
            }
          : undefined,
      ),
    );
    sock.on('error', (e) =>
      finish({ kind: toInferenceError(e, wire.url).kind, message: toInferenceError(e, wire.url).message }),
    );
  });
}
