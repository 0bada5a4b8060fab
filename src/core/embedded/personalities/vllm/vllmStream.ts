/**
 * vLLM SSE streaming for chat and completions: per choice, a role chunk
 * (chat) before its first token, one chunk per token, the finish reason on
 * the last token's chunk when max_tokens ended it (as vLLM 0.32.0 sends it),
 * else on an empty finish chunk (end of sequence, stop string); then
 * the optional `choices: []` usage chunk and `data: [DONE]`. An injected
 * error arrives in-band as `data: {"error":{…}}` before `[DONE]` (status
 * stays 200); an injected disconnect cuts the socket.
 */
import type { ServerResponse } from 'node:http';
import type { FaultPlan } from '../../faults';
import { cutStream, TickWriter } from '../../http/respond';
import type { TextRequest } from '../../openai/textRequest';
import type { EmbeddedContext } from '../../personality';
import { INJECTED_FAULT_MESSAGE } from '../../requestError';
import { clientGone, isInstant, runTextJob } from '../../textJob';
import { ChunkWriter } from './vllmBodies';
import { choicesOf, reasoningOf, usageOf, type Choice } from './vllmChoices';
import type { VllmMetrics } from './vllmMetrics';
import { uvicornHeaders, vllmErrorObject } from './vllmWire';

export async function streamVllm(
  ctx: EmbeddedContext,
  metrics: VllmMetrics,
  r: TextRequest,
  res: ServerResponse,
  plan: FaultPlan,
  id: string,
  created: number,
): Promise<void> {
  res.sendDate = false;
  // A zero-cost model's chunks are all due at once: they leave as one chunk of one write. A timed model's chunks are
  // written as they come (their timing is what clients measure).
  const out = new TickWriter(res);
  const write = isInstant(r.model.latency, plan)
    ? (chunk: string) => out.write(chunk)
    : (chunk: string) => res.write(chunk);
  res.writeHead(200, uvicornHeaders('text/event-stream; charset=utf-8'));
  res.flushHeaders();
  const w = new ChunkWriter(id, created, r.modelName, r.kind === 'chat');
  let produced = 0;
  // A reasoning model's first tokens are reasoning: `delta.reasoning`, counted apart in usage (vLLM's reasoning parser).
  const thinks = reasoningOf(r);
  let reasoned = 0;
  const usage = () => (r.continuousUsage ? usageOf(r, produced, thinks ? reasoned : undefined) : undefined);
  const siblings = new AbortController();
  // One choice (the usual request) has no sibling to stop: the response itself cancels it, with no AbortSignal to build.
  const choices =
    r.prompts.length * r.n === 1
      ? choicesOf(r, undefined, res)
      : choicesOf(r, AbortSignal.any([clientGone(res), siblings.signal]));
  const started = new Set<number>();
  const begin = (c: Choice) => {
    if (started.has(c.index)) return;
    started.add(c.index);
    if (r.kind === 'chat') write(w.role(c.index, usage()));
  };
  const results = await Promise.all(
    choices.map(async (c) => {
      let last = 0;
      let finished = false;
      const x = await runTextJob(ctx, c.spec, plan, (i, piece, ev, output) => {
        begin(c);
        produced++;
        const reasoning = i < thinks;
        if (reasoning) reasoned++;
        if (i > 0) metrics.interToken(r.model.name, ev.at - last);
        last = ev.at;
        const text = i === 0 && r.echo && r.kind === 'completion' ? r.prompts[c.promptIndex].text + piece : piece;
        finished =
          output.finishReason === 'length' &&
          i === output.pieces.length - 1 &&
          !plan.fail &&
          plan.disconnectAfterTokens === undefined;
        write(
          finished
            ? w.finish(c.index, 'length', null, usage(), text, reasoning)
            : w.content(c.index, text, usage(), reasoning),
        );
      });
      if (x.end !== 'complete') {
        siblings.abort();
        return x;
      }
      begin(c);
      if (!finished) write(w.finish(c.index, x.output.finishReason, x.output.stopMatched ?? null, usage()));
      metrics.sequence(r.model.name, x.timings, c.spec.promptTokens ?? 0, x.output.finishReason);
      return x;
    }),
  );
  if (results.some((x) => x.end === 'disconnect')) {
    out.flush();
    return cutStream(res);
  }
  if (results.some((x) => x.end === 'failed')) {
    write(`data: ${JSON.stringify({ error: vllmErrorObject(500, INJECTED_FAULT_MESSAGE, null) })}\n\n`);
  } else if (results.some((x) => x.end === 'cancelled')) {
    return void out.end('');
  } else if (r.includeUsage) {
    write(w.usage(usageOf(r, produced, thinks ? reasoned : undefined)));
  }
  out.end('data: [DONE]\n\n');
}
