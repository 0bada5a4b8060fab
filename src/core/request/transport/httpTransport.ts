/**
 * One HTTP exchange of the request panel over undici, with a per-request
 * timed connection. It differs from `httpRequest`/`httpStream` on purpose:
 * the panel shows the status, headers and body of every answer (a 4xx is a
 * result here, not an exception) and needs the connect / TLS / first byte /
 * download phases. It never throws: every failure becomes `result.error`.
 */
import { performance } from 'node:perf_hooks';
import { request, type Dispatcher } from 'undici';
import { toInferenceError } from '../../http/errors';
import { CancelledError } from '../../util/abort';
import { bodyViews } from '../views/bodyViews';
import { callController, cancelledMessage, round2, defaultMaxBodyBytes, type ExecOptions } from './execOptions';
import type { RequestResult } from '../../../shared/request';
import { StreamMeter } from './streamMeter';
import { StreamReader } from './streamReader';
import { timedAgent, type SocketTiming } from './timedAgent';
import { withApiKey, type HttpWire } from '../build/wire';

const endMarked = new Set([
  'openai-chat',
  'openai-completions',
  'ollama-generate',
  'ollama-chat',
  'tgi-generate-stream',
]);

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function socketPhases(t: SocketTiming): Pick<RequestResult['timing'], 'connectMs' | 'tlsMs'> {
  if (t.startedAt === undefined || t.tcpAt === undefined) return {};
  return {
    connectMs: round2(t.tcpAt - t.startedAt),
    tlsMs: t.tlsAt !== undefined ? round2(t.tlsAt - t.tcpAt) : undefined,
  };
}

export async function runHttp(wire: HttpWire, o: ExecOptions = {}): Promise<RequestResult> {
  const t0 = performance.now();
  const ta = timedAgent({ allowSelfSigned: o.allowSelfSigned });
  const call = callController(o, 'Waiting for the response headers');
  const meter = new StreamMeter(t0);
  const reader = new StreamReader(meter, o.onEvent);
  const result: RequestResult = { ok: false, headers: {}, sizeBytes: 0, timing: { totalMs: 0 }, views: [] };
  let headersAt: number | undefined;
  let lastByteAt: number | undefined;
  let streaming = false;
  const counted = async function* (body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const c of body) {
      result.sizeBytes += c.length;
      lastByteAt = performance.now();
      call.progress();
      yield c;
    }
  };
  try {
    const res = await request(wire.url, {
      method: wire.method as Dispatcher.HttpMethod,
      headers: withApiKey(wire.headers, o.apiKey),
      body: wire.body,
      dispatcher: ta.agent,
      signal: call.ctrl.signal,
    });
    call.started();
    headersAt = performance.now();
    result.status = res.statusCode;
    result.headers = flatHeaders(res.headers);
    o.onEvent?.({ type: 'headers', status: res.statusCode, headers: result.headers, ttfbMs: round2(headersAt - t0) });
    const ct = result.headers['content-type'] ?? '';
    const ok2xx = res.statusCode >= 200 && res.statusCode < 300;
    const framing = /text\/event-stream/i.test(ct)
      ? 'sse'
      : /ndjson/i.test(ct)
        ? 'ndjson'
        : isChunkedText(wire, result.headers)
          ? 'chunked'
          : undefined;
    if (ok2xx && framing) {
      streaming = true;
      const out =
        framing === 'chunked'
          ? await reader.readChunks(counted(res.body))
          : await reader.read(counted(res.body), framing);
      result.views = out.views;
      result.error = out.error;
      // A generation API that ended its stream without generating anything did not answer.
      if (out.sawEnd && !out.error && endMarked.has(wire.template)) result.error = reader.noGeneration();
      if (!out.sawEnd && !out.error && endMarked.has(wire.template)) {
        result.error = {
          kind: 'incomplete',
          message:
            'The stream ended before its end marker: the answer may be cut short (did the server stop or restart?)',
        };
      }
    } else {
      await readBuffered(counted(res.body), wire, o, result);
      if (ok2xx && (wire.expect === 'sse' || wire.expect === 'ndjson') && !result.error) {
        (result.notes ??= []).push(`A stream was requested but the server answered with one ${ct || 'untyped'} body`);
      }
    }
  } catch (e) {
    const reason = call.ctrl.signal.aborted ? call.ctrl.signal.reason : undefined;
    if (streaming) result.views = reader.outcome(false).views;
    if (o.signal?.aborted || reason instanceof CancelledError) {
      result.cancelled = true;
      result.error = { kind: 'cancelled', message: cancelledMessage(streaming ? reader.tokens : undefined) };
    } else {
      const err = toInferenceError(reason ?? e, wire.url);
      result.error = { kind: err.kind, message: err.message };
    }
  } finally {
    call.dispose();
    await ta.close();
  }
  const end = performance.now();
  result.timing = {
    ...socketPhases(ta.timing),
    ttfbMs: headersAt !== undefined ? round2(headersAt - t0) : undefined,
    downloadMs: headersAt !== undefined ? round2((lastByteAt ?? headersAt) - headersAt) : undefined,
    totalMs: round2(end - t0),
  };
  if (streaming) result.stream = meter.snapshot(lastByteAt ?? end);
  result.ok = !result.error && result.status !== undefined && result.status >= 200 && result.status < 300;
  return result;
}

/** A raw chunked text stream: asked for (raw mode), or a TorchServe answer streamed without a length or a JSON type. */
function isChunkedText(wire: HttpWire, h: Record<string, string>): boolean {
  if (wire.expect === 'chunked') return true;
  const chunked = /chunked/i.test(h['transfer-encoding'] ?? '') && h['content-length'] === undefined;
  return wire.template === 'torchserve-predict' && chunked && !/json/i.test(h['content-type'] ?? '');
}

async function readBuffered(
  chunks: AsyncIterable<Uint8Array>,
  wire: HttpWire,
  o: ExecOptions,
  result: RequestResult,
): Promise<void> {
  const max = o.maxBodyBytes ?? defaultMaxBodyBytes;
  const kept: Uint8Array[] = [];
  let keptBytes = 0;
  for await (const c of chunks) {
    if (keptBytes < max) {
      const part = c.subarray(0, max - keptBytes);
      kept.push(part);
      keptBytes += part.length;
    }
  }
  const body = Buffer.concat(kept);
  const ct = result.headers['content-type'] ?? '';
  const outcome = bodyViews({
    status: result.status ?? 0,
    contentType: ct,
    body,
    sizeBytes: result.sizeBytes,
    cutAt: result.sizeBytes > max ? max : undefined,
    expect: wire.expect,
    inferHeaderLength: result.headers['inference-header-content-length'],
  });
  result.views = outcome.views;
  result.error = outcome.error;
  if (outcome.notes.length) result.notes = outcome.notes;
}
