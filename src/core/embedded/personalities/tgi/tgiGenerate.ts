/**
 * TGI `/generate`, `/generate_stream` and the compat `POST /` (wire
 * reference §8). `/generate_stream` always answers 200: validation and
 * generation errors arrive as an SSE event. Token events count from 1; the
 * last one carries `generated_text` (and `details` when asked). No `[DONE]`.
 */
import type { ServerResponse } from 'node:http';
import { cutStream } from '../../http/respond';
import type { RouteHandler } from '../../http/router';
import type { GeneratedText, TextModel } from '../../models/textModel';
import type { EmbeddedContext } from '../../personality';
import { INJECTED_FAULT_MESSAGE, NOT_READY_MESSAGE, RequestError } from '../../requestError';
import { runTextJob, type TextJobResult } from '../../textJob';
import { hashString } from '../../../util/rng';
import { readJsonObject } from '../vllm/vllmWire';
import { parseTgiGenerate, type TgiGenerateRequest } from './tgiRequest';
import type { TgiMetrics } from './tgiMetrics';
import { sendTgiFailure, sendTgiJson, startTgiSse, tgiError, tgiEvent } from './tgiWire';

/** A stable pseudo log-probability for a token (simulated model: no real distribution). */
export function tokenLogprob(piece: string): number {
  return -Math.round((hashString(piece) % 4000) + 1) / 1000;
}

function finishReason(o: GeneratedText): 'length' | 'eos_token' | 'stop_sequence' {
  return o.finishReason === 'length' ? 'length' : o.stopMatched !== undefined ? 'stop_sequence' : 'eos_token';
}

function tokenObj(id: number, text: string) {
  return { id, text, logprob: tokenLogprob(text), special: false };
}

function admit(ctx: EmbeddedContext, model: TextModel): void {
  if (!ctx.faults.isReady(model.name)) throw new RequestError('not-ready', NOT_READY_MESSAGE);
  const s = ctx.engine.textStats(model);
  const max = Number(ctx.options.maxConcurrentRequests ?? 128);
  if (s.running + s.waiting >= max) throw new RequestError('overloaded', 'Model is overloaded');
}

function timingHeaders(x: TextJobResult, r: TgiGenerateRequest): Record<string, string> {
  const t = x.timings;
  const inference = t.prefillMs + t.decodeMs;
  return {
    'x-compute-type': 'gpu+optimized',
    'x-compute-time': (t.totalMs / 1000).toString(),
    'x-compute-characters': String(r.inputs.length),
    'x-total-time': String(Math.round(t.totalMs)),
    'x-validation-time': '0',
    'x-queue-time': String(Math.round(t.queueMs)),
    'x-inference-time': String(Math.round(inference)),
    'x-time-per-token': String(Math.round(x.delivered ? inference / x.delivered : 0)),
    'x-prompt-tokens': String(r.inputTokens),
    'x-generated-tokens': String(x.delivered),
  };
}

async function generateOnce(
  ctx: EmbeddedContext,
  model: TextModel,
  metrics: TgiMetrics,
  r: TgiGenerateRequest,
  res: ServerResponse,
  wrapInArray: boolean,
): Promise<void> {
  admit(ctx, model);
  const plan = ctx.faults.plan(model.name, false);
  if (plan.fail) throw new RequestError('injected', INJECTED_FAULT_MESSAGE);
  const x = await runTextJob(
    ctx,
    {
      model,
      prompt: r.inputs,
      promptTokens: r.inputTokens,
      maxTokens: r.maxNewTokens,
      seed: r.seed,
      stop: r.stop,
      client: res,
    },
    plan,
  );
  if (x.end === 'cancelled') return;
  metrics.success(x.timings, r.inputTokens, r.maxNewTokens);
  const body: Record<string, unknown> = { generated_text: (r.returnFullText ? r.inputs : '') + x.output.text };
  if (r.details) {
    body.details = {
      finish_reason: finishReason(x.output),
      generated_tokens: x.delivered,
      seed: r.seed ?? null,
      prefill: [],
      tokens: x.output.pieces.map((p, i) => tokenObj(x.output.tokenIds[i], p)),
    };
  }
  sendTgiJson(res, 200, wrapInArray ? [body] : body, timingHeaders(x, r));
}

async function generateStream(
  ctx: EmbeddedContext,
  model: TextModel,
  metrics: TgiMetrics,
  r: TgiGenerateRequest,
  res: ServerResponse,
): Promise<void> {
  admit(ctx, model);
  const plan = ctx.faults.plan(model.name, true);
  startTgiSse(res);
  const text = (o: GeneratedText) => (r.returnFullText ? r.inputs : '') + o.text;
  const details = (o: GeneratedText, n: number) =>
    r.details
      ? { finish_reason: finishReason(o), generated_tokens: n, seed: r.seed ?? null, input_length: r.inputTokens }
      : null;
  const x = await runTextJob(
    ctx,
    {
      model,
      prompt: r.inputs,
      promptTokens: r.inputTokens,
      maxTokens: r.maxNewTokens,
      seed: r.seed,
      stop: r.stop,
      client: res,
    },
    plan,
    (index, piece, _ev, o) => {
      const last = index === o.pieces.length - 1;
      res.write(
        tgiEvent({
          index: index + 1,
          token: tokenObj(o.tokenIds[index], piece),
          generated_text: last ? text(o) : null,
          details: last ? details(o, o.pieces.length) : null,
        }),
      );
    },
  );
  if (x.end === 'disconnect') return cutStream(res);
  if (x.end === 'cancelled') return void res.end();
  if (x.end === 'failed') {
    metrics.failure('generation');
    return void res.end(tgiEvent(tgiError(new RequestError('injected', INJECTED_FAULT_MESSAGE))[1]));
  }
  metrics.success(x.timings, r.inputTokens, r.maxNewTokens);
  if (x.delivered === 0) {
    // Nothing generated (a stop sequence at once): TGI still ends with one event, the EOS token.
    res.write(
      tgiEvent({
        index: 1,
        token: { id: 2, text: '</s>', logprob: tokenLogprob('</s>'), special: true },
        generated_text: text(x.output),
        details: details(x.output, 0),
      }),
    );
  }
  res.end();
}

/** `/generate` (kind "generate"), `/generate_stream` ("stream") and `POST /` ("compat"). */
export function tgiGenerateHandler(
  ctx: EmbeddedContext,
  model: TextModel,
  metrics: TgiMetrics,
  kind: 'generate' | 'stream' | 'compat',
): RouteHandler {
  return async (req, res) => {
    let streaming = kind === 'stream';
    try {
      const body = await readJsonObject(req).catch((e: unknown) => {
        throw new RequestError(
          'validation',
          `Failed to deserialize the JSON body into the target type: ${e instanceof Error ? e.message.split('\n').pop()?.trim() : String(e)}`,
        );
      });
      if (kind === 'compat') streaming = body.stream === true;
      const r = parseTgiGenerate(body, model);
      if (streaming) return await generateStream(ctx, model, metrics, r, res);
      await generateOnce(ctx, model, metrics, r, res, kind === 'compat');
    } catch (e) {
      metrics.failure(e instanceof RequestError && e.reason === 'validation' ? 'validation' : 'generation');
      if (!streaming || res.headersSent) return sendTgiFailure(res, e);
      startTgiSse(res);
      res.end(tgiEvent(tgiError(e)[1]));
    }
  };
}
