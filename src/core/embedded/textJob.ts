/**
 * One text generation as every text personality runs it: decide the output
 * (simulated model), the faults (injector) and the timing (engine), then
 * deliver tokens to the personality's writer as they become due.
 */
import type { FaultPlan } from './faults';
import type { Generation, JobTimings, TokenEvent } from './latency/engine';
import type { GeneratedText, TextModel } from './models/textModel';
import type { EmbeddedContext } from './personality';

export interface TextJobSpec {
  model: TextModel;
  /** Prompt text (seeds the output). */
  prompt: string;
  /** Prompt tokens; defaults to the tokenizer count of `prompt`. */
  promptTokens?: number;
  /** Prompt tokens found in a prefix cache: not computed again (shorter prefill). */
  cachedTokens?: number;
  maxTokens: number;
  seed?: number;
  stop?: readonly string[];
  /** Generate until `maxTokens` (or a stop string), ignoring the model's end of sequence. */
  ignoreEos?: boolean;
  signal?: AbortSignal;
  /**
   * The HTTP response being answered: the job is cancelled if it closes
   * before finishing. Cheaper than an AbortSignal on the hot path.
   */
  client?: ClientLink;
}

/** What runTextJob needs of a ServerResponse. */
export interface ClientLink {
  readonly writableFinished: boolean;
  once(event: 'close', listener: () => void): unknown;
  off(event: 'close', listener: () => void): unknown;
}

/** How a job ended: `failed` = injected server error, `disconnect` = injected cut of the stream. */
export type TextJobEnd = 'complete' | 'cancelled' | 'failed' | 'disconnect';

export interface TextJobResult {
  output: GeneratedText;
  promptTokens: number;
  /** Tokens delivered to `onToken`. */
  delivered: number;
  timings: JobTimings;
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
export function runTextJob(
  ctx: EmbeddedContext,
  spec: TextJobSpec,
  plan: FaultPlan,
  onToken?: (index: number, piece: string, ev: TokenEvent, output: GeneratedText) => void,
): Promise<TextJobResult> {
  const now = onToken ? undefined : instantTextJob(spec, plan);
  if (now) return Promise.resolve(now);
  return runTimed(ctx, spec, plan, generate(spec), promptTokensOf(spec), onToken);
}

/**
 * A non-streaming job of a zero-cost model (benchmarks of server overhead)
 * has nothing to wait for: its result, at once, with no promise. Undefined
 * when the job takes time; then use runTextJob.
 */
export function instantTextJob(spec: TextJobSpec, plan: FaultPlan): TextJobResult | undefined {
  if (!isInstant(spec.model.latency, plan)) return undefined;
  return instantResult(generate(spec), promptTokensOf(spec));
}

function generate(spec: TextJobSpec): GeneratedText {
  return spec.model.generate(spec.prompt, {
    maxTokens: spec.maxTokens,
    seed: spec.seed,
    stop: spec.stop,
    ignoreEos: spec.ignoreEos,
  });
}

function promptTokensOf(spec: TextJobSpec): number {
  return spec.promptTokens ?? spec.model.countTokens(spec.prompt);
}

/** A zero-cost model (benchmarks of server overhead) has nothing to schedule: skip the engine. */
export function isInstant(l: TextModel['latency'], plan: FaultPlan): boolean {
  return plan.extraDelayMs <= 0 && l.prefillBaseMs <= 0 && l.prefillPerTokenMs <= 0 && l.decodePerTokenMs <= 0;
}

/** A zero-cost job's result: every duration 0 (no clock is read: this is the benchmarked path). */
function instantResult(output: GeneratedText, promptTokens: number): TextJobResult {
  const timings: JobTimings = {
    queueMs: 0,
    prefillMs: 0,
    decodeMs: 0,
    ttftMs: 0,
    totalMs: 0,
    tokens: output.pieces.length,
    cancelled: false,
  };
  return { output, promptTokens, delivered: output.pieces.length, timings, end: 'complete' };
}

async function runTimed(
  ctx: EmbeddedContext,
  spec: TextJobSpec,
  plan: FaultPlan,
  output: GeneratedText,
  promptTokens: number,
  onToken: ((index: number, piece: string, ev: TokenEvent, output: GeneratedText) => void) | undefined,
): Promise<TextJobResult> {
  const gen = ctx.engine.generate(spec.model, {
    promptTokens,
    cachedTokens: spec.cachedTokens,
    outputTokens: output.pieces.length,
    extraDelayMs: plan.extraDelayMs,
    signal: spec.signal,
  });
  const client = spec.client;
  const onClose = () => {
    if (!client?.writableFinished) gen.cancel();
  };
  client?.once('close', onClose);
  try {
    return await deliver(gen, output, promptTokens, plan, onToken);
  } finally {
    client?.off('close', onClose);
  }
}

async function deliver(
  gen: Generation,
  output: GeneratedText,
  promptTokens: number,
  plan: FaultPlan,
  onToken: ((index: number, piece: string, ev: TokenEvent, output: GeneratedText) => void) | undefined,
): Promise<TextJobResult> {
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
