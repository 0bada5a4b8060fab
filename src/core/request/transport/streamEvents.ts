/**
 * Reads one event of any token stream we speak to: OpenAI chat and
 * completion chunks (vLLM, TGI, Ollama /v1), TGI generate_stream tokens,
 * Triton generate_stream `text_output`, Ollama NDJSON lines. Every event is
 * checked for an error first, because these servers keep HTTP 200 once the
 * stream has started and report failures in-band (wire reference §12).
 */
import { terminalSafeLine } from '../../util/terminalText';
import type { ServerFigures } from './streamMeter';

export interface DecodedEvent {
  /** New text to append (empty string = an event without content, e.g. a role chunk). */
  text?: string;
  /** The stream's own end marker was seen (`[DONE]`, Ollama `done: true`, TGI final event). */
  done?: boolean;
  /** An error reported inside the stream. */
  error?: string;
  server?: ServerFigures;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The error an event carries, in any of the servers' shapes, or undefined. */
export function inStreamError(e: Obj): string | undefined {
  const err = e.error;
  if (typeof err === 'string') return e.error_type ? `${err} (${String(e.error_type)})` : err;
  if (isObj(err)) return str(err.message) ?? JSON.stringify(err);
  if (e.object === 'error') return str(e.message) ?? 'error';
  return undefined;
}

function fromOpenAi(e: Obj): DecodedEvent {
  const out: DecodedEvent = {};
  const usage = isObj(e.usage) ? e.usage : undefined;
  if (usage) out.server = { completionTokens: num(usage.completion_tokens), promptTokens: num(usage.prompt_tokens) };
  const choice = (e.choices as unknown[]).find((c) => isObj(c) && (c.index ?? 0) === 0) as Obj | undefined;
  if (!choice) return out;
  const delta = isObj(choice.delta) ? choice.delta : undefined;
  out.text = str(delta?.content) ?? str(choice.text) ?? '';
  const finish = str(choice.finish_reason);
  if (finish) out.server = { ...out.server, finishReason: finish };
  return out;
}

function fromTgi(e: Obj): DecodedEvent {
  const token = isObj(e.token) ? e.token : {};
  const out: DecodedEvent = { text: token.special === true ? '' : (str(token.text) ?? '') };
  if (typeof e.generated_text === 'string') {
    out.done = true;
    const d = isObj(e.details) ? e.details : {};
    out.server = { completionTokens: num(d.generated_tokens), finishReason: str(d.finish_reason) };
  }
  return out;
}

function fromOllama(e: Obj): DecodedEvent {
  const message = isObj(e.message) ? e.message : undefined;
  const out: DecodedEvent = { text: str(message?.content) ?? str(e.response) ?? '' };
  if (e.done === true) {
    out.done = true;
    const count = num(e.eval_count);
    const ns = num(e.eval_duration);
    out.server = {
      completionTokens: count,
      promptTokens: num(e.prompt_eval_count),
      tokensPerSecond: count !== undefined && ns ? Math.round((count / ns) * 1e9 * 100) / 100 : undefined,
      finishReason: str(e.done_reason),
    };
  }
  return out;
}

/**
 * Decodes one parsed JSON event. Unknown shapes carry no text rather than
 * failing, and no `text` field at all: only a generation event (one the API
 * sends with generated text, even empty) has one.
 */
export function decodeStreamEvent(e: unknown): DecodedEvent {
  if (!isObj(e)) return {};
  const error = inStreamError(e);
  if (error) return { error };
  if (Array.isArray(e.choices)) return fromOpenAi(e);
  if (isObj(e.token) || 'generated_text' in e) return fromTgi(e);
  if (typeof e.text_output === 'string') return { text: e.text_output };
  if ('done' in e && ('response' in e || 'message' in e || 'model' in e)) return fromOllama(e);
  return {};
}

/** Parses an SSE data field or NDJSON line; `[DONE]` ends OpenAI-style streams. */
export function parseStreamData(data: string, index: number): DecodedEvent {
  const t = data.trim();
  if (t === '[DONE]') return { done: true };
  if (!t) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(t);
  } catch (e) {
    const preview = terminalSafeLine(t.length > 120 ? `${t.slice(0, 120)}…` : t);
    throw new Error(
      `Stream event ${index + 1} is not valid JSON (${terminalSafeLine((e as Error).message)}): ${preview}`,
    );
  }
  return decodeStreamEvent(parsed);
}
