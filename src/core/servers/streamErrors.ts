/**
 * Errors that arrive inside a stream whose HTTP status is already 200
 * (wire-reference §12): TGI `/generate_stream`, Triton `generate_stream`,
 * vLLM, Ollama and TorchServe all report them in-band. Every event or line
 * must be inspected for an `error` key.
 */
import { InferenceError } from '../http/errors';
import { ndjsonLines, sseEvents } from '../http/streams';

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The in-band error in one payload (an SSE event's data or an NDJSON line), or
 * undefined. Shapes: `{"error":"…","error_type"?}` (TGI, Triton, Ollama),
 * `{"error":{"message","http_status_code"|"code"}}` (TGI chat, vLLM ≥0.10.1,
 * Ollama `/v1`), `{"object":"error","message","code"}` (vLLM <0.10.1).
 */
export function inStreamError(payload: unknown, url?: string): InferenceError | undefined {
  const j = (typeof payload === 'string' ? parse(payload) : payload) as Record<string, unknown> | undefined;
  if (!j || typeof j !== 'object' || Array.isArray(j)) return undefined;
  let message: string | undefined;
  let status: unknown;
  let type: unknown = j.error_type;
  if (typeof j.error === 'string') message = j.error;
  else if (j.error && typeof j.error === 'object') {
    const e = j.error as Record<string, unknown>;
    message = typeof e.message === 'string' ? e.message : JSON.stringify(e);
    status = e.http_status_code ?? e.code;
    type = e.type ?? type;
  } else if (j.object === 'error' && typeof j.message === 'string') {
    message = j.message;
    status = j.code;
    type = j.type;
  }
  if (message === undefined) return undefined;
  const code = typeof status === 'number' ? status : undefined;
  const what = [code ? `HTTP ${code}` : undefined, typeof type === 'string' ? type : undefined]
    .filter(Boolean)
    .join(' ');
  return new InferenceError('in-stream', `Error in the response stream${what ? ` (${what})` : ''}: ${message}`, {
    status: code,
    serverMessage: message,
    url,
  });
}

/**
 * The JSON payloads of an SSE or NDJSON stream, ending at `[DONE]` or at the
 * end of the body; throws the first in-band error as an 'in-stream'
 * InferenceError. Non-JSON SSE data is yielded as its text.
 */
export async function* streamPayloads(
  framing: 'sse' | 'ndjson',
  chunks: AsyncIterable<Uint8Array>,
  url?: string,
): AsyncGenerator<unknown> {
  const texts = framing === 'sse' ? mapData(sseEvents(chunks)) : ndjsonLines(chunks);
  for await (const text of texts) {
    if (framing === 'sse' && text.trim() === '[DONE]') return;
    const value = parse(text);
    if (value === undefined && framing === 'ndjson')
      throw new InferenceError('malformed', `Not a JSON line in the stream: ${text.slice(0, 80)}`, { url });
    const err = inStreamError(value, url);
    if (err) throw err;
    yield value ?? text;
  }
}

async function* mapData(events: AsyncIterable<{ data: string }>): AsyncGenerator<string> {
  for await (const e of events) yield e.data;
}
