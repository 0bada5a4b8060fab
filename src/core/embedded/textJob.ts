/**
 * One text generation as every text personality runs it: decide the output
 * (simulated model), the faults (injector) and the timing (engine), then
 * deliver tokens to the personality's writer as they become due.
 */
import type { FaultPlan } from './faults';
import type { GenerationTimings, TokenEvent } from './latency/engine';
import type { GeneratedText, TextModel } from './models/textModel';
import type { EmbeddedContext } from './personality';

export interface TextJobSpec {
  model: TextModel;
  /** Prompt text (seeds the output). */
  prompt: string;
  /** Prompt tokens; defaults to the tokenizer count of `prompt`. */
  promptTokens?: number;
  maxTokens: number;
  seed?: number;
  stop?: readonly string[];
  signal?: AbortSignal;
}

/** How a job ended: `failed` = injected server error, `disconnect` = injected cut of the stream. */
export type TextJobEnd = 'complete' | 'cancelled' | 'failed' | 'disconnect';

export interface TextJobResult {
  output: GeneratedText;
  promptTokens: number;
  /** Tokens delivered to `onToken`. */
  delivered: number;
  timings: GenerationTimings;
  end: TextJobEnd;
}

/**
 * Runs one job. `onToken` also gets the whole planned output, so a writer
 * can tell the last token (`index === output.pieces.length - 1`).
 * With `onToken` (streaming), an injected error arrives after
 * the first token and a disconnect after the planned token count; without it,
 * the caller checks `plan.fail` itself before calling (non-streaming errors
 * are answered before any work).
 */
export async function runTextJob(
  ctx: EmbeddedContext,
  spec: TextJobSpec,
  plan: FaultPlan,
  onToken?: (index: number, piece: string, ev: TokenEvent, output: GeneratedText) => void,
): Promise<TextJobResult> {
  const output = spec.model.generate(spec.prompt, { maxTokens: spec.maxTokens, seed: spec.seed, stop: spec.stop });
  const promptTokens = spec.promptTokens ?? spec.model.countTokens(spec.prompt);
  const gen = ctx.engine.generate(spec.model, { promptTokens, outputTokens: output.pieces.length, extraDelayMs: plan.extraDelayMs, signal: spec.signal });
  let delivered = 0;
  let end: TextJobEnd = 'complete';
  if (onToken) {
    for await (const ev of gen) {
      if (plan.disconnectAfterTokens !== undefined && delivered >= plan.disconnectAfterTokens) {
        end = 'disconnect';
        break;
      }
      onToken(ev.index, output.pieces[ev.index], ev, output);
      delivered++;
      if (plan.fail) {
        end = 'failed';
        break;
      }
    }
  }
  const timings = await gen.done;
  if (end === 'complete' && timings.cancelled) end = 'cancelled';
  if (!onToken) delivered = timings.tokens;
  return { output: truncated(output, delivered), promptTokens, delivered, timings, end };
}

/** The output as far as it was delivered (a cut or cancelled stream reports only what was sent). */
function truncated(o: GeneratedText, n: number): GeneratedText {
  if (n >= o.pieces.length) return o;
  const pieces = o.pieces.slice(0, n);
  return { ...o, pieces, tokenIds: o.tokenIds.slice(0, n), text: pieces.join('') };
}

/** An AbortSignal that fires when the client goes away before the response ends. */
export function clientGone(res: { on(e: 'close', f: () => void): unknown; writableFinished: boolean }): AbortSignal {
  const ctrl = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) ctrl.abort();
  });
  return ctrl.signal;
}
