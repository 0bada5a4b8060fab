/**
 * vLLM `/v1/chat/completions` and `/v1/completions`: non-streaming bodies are
 * full `model_dump()`s (every field present, many null); streams are SSE
 * `data: {json}\n\n` chunks with only set keys, an optional `choices: []`
 * usage chunk, and `data: [DONE]\n\n` (wire reference §7).
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { RouteHandler } from '../http/router';
import { parseTextRequest, type TextRequest } from '../openai/textRequest';
import type { EmbeddedContext } from '../personality';
import { clientGone, runTextJob, type TextJobResult, type TextJobSpec } from '../textJob';
import type { VllmMetrics } from './vllmMetrics';
import { injectedFault, notReady, readJsonObject, sendVllmFailure, sendVllmJson, uvicornHeaders, vllmErrorObject } from './vllmWire';
import { INJECTED_FAULT_MESSAGE } from '../requestError';

interface Choice {
  index: number;
  promptIndex: number;
  spec: TextJobSpec;
}

function choicesOf(r: TextRequest, signal: AbortSignal): Choice[] {
  const out: Choice[] = [];
  r.prompts.forEach((p, pi) => {
    for (let i = 0; i < r.n; i++) {
      const seed = i === 0 ? r.seed : (r.seed ?? r.model.seed) + i;
      out.push({ index: pi * r.n + i, promptIndex: pi, spec: { model: r.model, prompt: p.text, promptTokens: p.tokens, maxTokens: r.maxTokens, seed, stop: r.stop, signal } });
    }
  });
  return out;
}

function usageOf(r: TextRequest, completionTokens: number) {
  const prompt = r.prompts.reduce((n, p) => n + p.tokens, 0);
  return { prompt_tokens: prompt, total_tokens: prompt + completionTokens, completion_tokens: completionTokens };
}

export function vllmGenerateHandler(ctx: EmbeddedContext, metrics: VllmMetrics, kind: 'chat' | 'completion'): RouteHandler {
  return async (req, res) => {
    try {
      const r = parseTextRequest(await readJsonObject(req), kind, ctx.models);
      if (!ctx.faults.isReady(r.model.name)) throw notReady();
      const plan = ctx.faults.plan(r.model.name, r.stream);
      const id = `${kind === 'chat' ? 'chatcmpl' : 'cmpl'}-${randomUUID().replace(/-/g, '')}`;
      const created = Math.floor(ctx.clock.epochMs() / 1000);
      if (r.stream) return await stream(ctx, metrics, r, res, plan, id, created);
      if (plan.fail) throw injectedFault();
      const choices = choicesOf(r, clientGone(res));
      const results = await Promise.all(choices.map((c) => runTextJob(ctx, c.spec, plan)));
      if (results.some((x) => x.end === 'cancelled')) return;
      results.forEach((x, i) => recordChoice(metrics, r, x, choices[i].spec.promptTokens ?? 0));
      sendVllmJson(res, 200, kind === 'chat' ? chatBody(r, results, id, created) : completionBody(r, results, choices, id, created));
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

function chatBody(r: TextRequest, results: TextJobResult[], id: string, created: number) {
  return {
    id,
    object: 'chat.completion',
    created,
    model: r.modelName,
    choices: results.map((x, index) => ({
      index,
      message: { role: 'assistant', content: x.output.text, refusal: null, annotations: null, audio: null, function_call: null, reasoning: null },
      logprobs: null,
      finish_reason: x.output.finishReason,
      stop_reason: x.output.stopMatched ?? null,
      token_ids: null,
    })),
    service_tier: null,
    system_fingerprint: null,
    usage: { ...usageOf(r, results.reduce((n, x) => n + x.delivered, 0)), prompt_tokens_details: null },
    prompt_logprobs: null,
    prompt_token_ids: null,
    kv_transfer_params: null,
  };
}

function completionBody(r: TextRequest, results: TextJobResult[], choices: Choice[], id: string, created: number) {
  return {
    id,
    object: 'text_completion',
    created,
    model: r.modelName,
    choices: results.map((x, i) => ({
      index: i,
      text: (r.echo ? r.prompts[choices[i].promptIndex].text : '') + x.output.text,
      logprobs: null,
      finish_reason: x.output.finishReason,
      stop_reason: x.output.stopMatched ?? null,
      token_ids: null,
      prompt_logprobs: null,
      prompt_token_ids: null,
    })),
    service_tier: null,
    system_fingerprint: null,
    usage: { ...usageOf(r, results.reduce((n, x) => n + x.delivered, 0)), prompt_tokens_details: null },
    kv_transfer_params: null,
  };
}

async function stream(ctx: EmbeddedContext, metrics: VllmMetrics, r: TextRequest, res: ServerResponse, plan: ReturnType<EmbeddedContext['faults']['plan']>, id: string, created: number): Promise<void> {
  res.sendDate = false;
  res.writeHead(200, uvicornHeaders('text/event-stream; charset=utf-8'));
  res.flushHeaders();
  const object = r.kind === 'chat' ? 'chat.completion.chunk' : 'text_completion';
  let produced = 0;
  const write = (choices: unknown[], usage?: unknown) => {
    const chunk: Record<string, unknown> = { id, object, created, model: r.modelName, choices };
    if (usage) chunk.usage = usage;
    else if (r.continuousUsage) chunk.usage = usageOf(r, produced);
    res.write(`data: ${JSON.stringify(chunk)}\n\n`);
  };
  const siblings = new AbortController();
  const signal = AbortSignal.any([clientGone(res), siblings.signal]);
  const choices = choicesOf(r, signal);
  const started = new Set<number>();
  const begin = (c: Choice) => {
    if (started.has(c.index)) return;
    started.add(c.index);
    if (r.kind === 'chat') write([{ index: c.index, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]);
  };
  const results = await Promise.all(
    choices.map(async (c) => {
      let last = 0;
      const x = await runTextJob(ctx, c.spec, plan, (i, piece, ev) => {
        begin(c);
        produced++;
        if (i > 0) metrics.interToken(r.model.name, ev.at - last);
        last = ev.at;
        if (r.kind === 'chat') write([{ index: c.index, delta: { content: piece }, logprobs: null, finish_reason: null }]);
        else write([{ index: c.index, text: i === 0 && r.echo ? r.prompts[c.promptIndex].text + piece : piece, logprobs: null, finish_reason: null, stop_reason: null }]);
      });
      if (x.end !== 'complete') {
        siblings.abort();
        return x;
      }
      begin(c);
      const fin = x.output.finishReason;
      if (r.kind === 'chat') write([{ index: c.index, delta: { content: '' }, logprobs: null, finish_reason: fin, stop_reason: x.output.stopMatched ?? null }]);
      else write([{ index: c.index, text: '', logprobs: null, finish_reason: fin, stop_reason: x.output.stopMatched ?? null }]);
      metrics.sequence(r.model.name, x.timings, c.spec.promptTokens ?? 0, fin);
      return x;
    }),
  );
  if (results.some((x) => x.end === 'disconnect')) return void res.destroy();
  if (results.some((x) => x.end === 'failed')) {
    res.write(`data: ${JSON.stringify({ error: vllmErrorObject(500, INJECTED_FAULT_MESSAGE, null) })}\n\n`);
  } else if (results.some((x) => x.end === 'cancelled')) {
    return void res.end();
  } else if (r.includeUsage) {
    write([], usageOf(r, produced));
  }
  res.end('data: [DONE]\n\n');
}
