/**
 * vLLM `/v1/chat/completions` and `/v1/completions`: non-streaming bodies are
 * full `model_dump()`s (every field present, many null); streams (see
 * vllmStream.ts) are SSE chunks ending `data: [DONE]` (wire reference §7).
 */
import type { ServerResponse } from 'node:http';
import { endSoon, httpDate, onBody } from '../../http/respond';
import type { RouteHandler } from '../../http/router';
import { parseTextRequest, type TextRequest } from '../../openai/textRequest';
import type { EmbeddedContext } from '../../personality';
import { instantTextJob, runTextJob, type TextJobResult } from '../../textJob';
import { requestId } from '../../util/ids';
import { chatBody, completionBody, type ChoiceOut } from './vllmBodies';
import { choicesOf, reasoningOf, usageOf, type Choice } from './vllmChoices';
import type { VllmMetrics } from './vllmMetrics';
import { streamVllm } from './vllmStream';
import type { VllmPrefix } from './vllmPrefixCache';
import { injectedFault, jsonObjectOf, notReady, sendVllmFailure } from './vllmWire';

export function vllmGenerateHandler(
  ctx: EmbeddedContext,
  metrics: VllmMetrics,
  kind: 'chat' | 'completion',
  prefix?: VllmPrefix,
): RouteHandler {
  // Callback-based from body to answer: a request of a zero-cost model is
  // answered in the body's 'end' event with no promise (the benchmarked path).
  return (req, res) =>
    onBody(req, (err, raw) => {
      try {
        if (err) throw err;
        const r = parseTextRequest(jsonObjectOf(raw), kind, ctx.models);
        if (!ctx.faults.isReady(r.model.name)) throw notReady();
        prefix?.admit(r);
        const plan = ctx.faults.plan(r.model.name, r.stream);
        const id = requestId(kind === 'chat' ? 'chatcmpl' : 'cmpl');
        const nowMs = ctx.clock.epochMs();
        const created = Math.floor(nowMs / 1000);
        if (r.stream)
          return void streamVllm(ctx, metrics, r, res, plan, id, created).catch((e: unknown) =>
            sendVllmFailure(res, e),
          );
        if (plan.fail) throw injectedFault();
        const choices = choicesOf(r, undefined, res);
        const now = choices.length === 1 ? instantTextJob(choices[0].spec, plan) : undefined;
        if (now) return answer(metrics, r, res, kind, id, created, nowMs, choices, [now]);
        Promise.all(choices.map((c) => runTextJob(ctx, c.spec, plan))).then(
          (results) => answer(metrics, r, res, kind, id, created, ctx.clock.epochMs(), choices, results),
          (e: unknown) => sendVllmFailure(res, e),
        );
      } catch (e) {
        sendVllmFailure(res, e);
      }
    });
}

/** Writes the non-streaming answer: `created` is when the request started (as vLLM stamps it), `dateMs` the wall time now. */
function answer(
  metrics: VllmMetrics,
  r: TextRequest,
  res: ServerResponse,
  kind: 'chat' | 'completion',
  id: string,
  created: number,
  dateMs: number,
  choices: Choice[],
  results: TextJobResult[],
): void {
  // Plain loops, no closures: this runs once per answered request.
  const outs: ChoiceOut[] = [];
  let completion = 0;
  const thinks = reasoningOf(r);
  let reasoned = 0;
  for (let i = 0; i < results.length; i++) if (results[i].end === 'cancelled') return;
  for (let i = 0; i < results.length; i++) {
    const x = results[i];
    const c = choices[i];
    recordChoice(metrics, r, x, c.spec.promptTokens ?? 0);
    completion += x.delivered;
    const out: ChoiceOut = {
      index: i,
      text: r.echo ? r.prompts[c.promptIndex].text + x.output.text : x.output.text,
      finishReason: x.output.finishReason,
      stopReason: x.output.stopMatched ?? null,
    };
    if (thinks) {
      // A reasoning model: the first tokens are `message.reasoning`, the rest `message.content` (vLLM's reasoning parser).
      const pieces = x.output.pieces.slice(0, x.delivered);
      const k = Math.min(thinks, pieces.length);
      reasoned += k;
      out.reasoning = pieces.slice(0, k).join('');
      out.text = (r.echo ? r.prompts[c.promptIndex].text : '') + pieces.slice(k).join('');
    }
    outs.push(out);
  }
  const usage = usageOf(r, completion, thinks ? reasoned : undefined);
  const body = (kind === 'chat' ? chatBody : completionBody)(id, created, r.modelName, outs, usage);
  res.sendDate = false;
  // One object literal with every header: the shape node:http reads fastest (this is the benchmarked path).
  res.writeHead(200, {
    date: httpDate(dateMs),
    server: 'uvicorn',
    'content-length': Buffer.byteLength(body),
    'content-type': 'application/json',
  });
  endSoon(res, body);
}

function recordChoice(metrics: VllmMetrics, r: TextRequest, x: TextJobResult, promptTokens: number): void {
  metrics.sequence(r.model.name, x.timings, promptTokens, x.end === 'complete' ? x.output.finishReason : 'abort');
  if (x.timings.tokens > 1) {
    const gap = x.timings.decodeMs / (x.timings.tokens - 1);
    for (let i = 1; i < x.timings.tokens; i++) metrics.interToken(r.model.name, gap);
  }
}
