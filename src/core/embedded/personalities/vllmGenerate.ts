/**
 * vLLM `/v1/chat/completions` and `/v1/completions`: non-streaming bodies are
 * full `model_dump()`s (every field present, many null); streams (see
 * vllmStream.ts) are SSE chunks ending `data: [DONE]` (wire reference §7).
 */
import { httpDate } from '../http/respond';
import type { RouteHandler } from '../http/router';
import { parseTextRequest, type TextRequest } from '../openai/textRequest';
import type { EmbeddedContext } from '../personality';
import { runTextJob, type TextJobResult } from '../textJob';
import { requestId } from '../util/ids';
import { chatBody, completionBody, type ChoiceOut } from './vllmBodies';
import { choicesOf, usageOf } from './vllmChoices';
import type { VllmMetrics } from './vllmMetrics';
import { streamVllm } from './vllmStream';
import { injectedFault, notReady, readJsonObject, sendVllmFailure } from './vllmWire';

export function vllmGenerateHandler(ctx: EmbeddedContext, metrics: VllmMetrics, kind: 'chat' | 'completion'): RouteHandler {
  return async (req, res) => {
    try {
      const r = parseTextRequest(await readJsonObject(req), kind, ctx.models);
      if (!ctx.faults.isReady(r.model.name)) throw notReady();
      const plan = ctx.faults.plan(r.model.name, r.stream);
      const id = requestId(kind === 'chat' ? 'chatcmpl' : 'cmpl');
      const created = Math.floor(ctx.clock.epochMs() / 1000);
      if (r.stream) return await streamVllm(ctx, metrics, r, res, plan, id, created);
      if (plan.fail) throw injectedFault();
      const choices = choicesOf(r, undefined, res);
      const results = choices.length === 1 ? [await runTextJob(ctx, choices[0].spec, plan)] : await Promise.all(choices.map((c) => runTextJob(ctx, c.spec, plan)));
      if (results.some((x) => x.end === 'cancelled')) return;
      let completion = 0;
      const outs: ChoiceOut[] = results.map((x, i) => {
        recordChoice(metrics, r, x, choices[i].spec.promptTokens ?? 0);
        completion += x.delivered;
        const echo = r.echo ? r.prompts[choices[i].promptIndex].text : '';
        return { index: i, text: echo + x.output.text, finishReason: x.output.finishReason, stopReason: x.output.stopMatched ?? null };
      });
      const body = (kind === 'chat' ? chatBody : completionBody)(id, created, r.modelName, outs, usageOf(r, completion));
      res.sendDate = false;
      // One object literal with every header: the shape node:http reads fastest (this is the benchmarked path).
      res.writeHead(200, { date: httpDate(), server: 'uvicorn', 'content-length': Buffer.byteLength(body), 'content-type': 'application/json' });
      res.end(body);
    } catch (e) {
      sendVllmFailure(res, e);
    }
  };
}

function recordChoice(metrics: VllmMetrics, r: TextRequest, x: TextJobResult, promptTokens: number): void {
  metrics.sequence(r.model.name, x.timings, promptTokens, x.end === 'complete' ? x.output.finishReason : 'abort');
  if (x.timings.tokens > 1) {
    const gap = x.timings.decodeMs / (x.timings.tokens - 1);
    for (let i = 1; i < x.timings.tokens; i++) metrics.interToken(r.model.name, gap);
  }
}
