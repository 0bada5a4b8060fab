/**
 * TGI's OpenAI Messages API `/v1/chat/completions` (wire reference §8): the
 * `model` field is ignored (the served model answers), `object` is the first
 * key, `id` is empty, every delta repeats the role, the last token chunk
 * carries `finish_reason`, frames are `data:{…}` without a space and the
 * stream ends `data:[DONE]`.
 */
import { cutStream } from '../../http/respond';
import type { RouteHandler } from '../../http/router';
import type { TextModel } from '../../models/textModel';
import { parseTextRequest } from '../../openai/textRequest';
import type { EmbeddedContext } from '../../personality';
import { INJECTED_FAULT_MESSAGE, NOT_READY_MESSAGE, RequestError } from '../../requestError';
import { runTextJob } from '../../textJob';
import type { TgiMetrics } from './tgiMetrics';
import { sendTgiFailure, sendTgiJson, startTgiSse, tgiEvent } from './tgiWire';
import { readJsonObject } from '../vllm/vllmWire';

export function tgiChatHandler(
  ctx: EmbeddedContext,
  model: TextModel,
  metrics: TgiMetrics,
  fingerprint: string,
): RouteHandler {
  return async (req, res) => {
    try {
      const body = await readJsonObject(req);
      const r = parseTextRequest({ ...body, model: model.name }, 'chat', ctx.models);
      if (r.n > 1) throw new RequestError('validation', '`n` > 1 is not supported');
      if (!ctx.faults.isReady(model.name)) throw new RequestError('not-ready', NOT_READY_MESSAGE);
      const plan = ctx.faults.plan(model.name, r.stream);
      const created = Math.floor(ctx.clock.epochMs() / 1000);
      const prompt = r.prompts[0];
      const head = {
        object: 'chat.completion.chunk',
        id: '',
        created,
        model: model.name,
        system_fingerprint: fingerprint,
      };
      const spec = {
        model,
        prompt: prompt.text,
        promptTokens: prompt.tokens,
        maxTokens: r.maxTokens,
        seed: r.seed,
        stop: r.stop,
        client: res,
      };
      const usage = (n: number) => ({
        prompt_tokens: prompt.tokens,
        completion_tokens: n,
        total_tokens: prompt.tokens + n,
      });
      if (!r.stream) {
        if (plan.fail) throw new RequestError('injected', INJECTED_FAULT_MESSAGE);
        const x = await runTextJob(ctx, spec, plan);
        if (x.end === 'cancelled') return;
        metrics.success(x.timings, prompt.tokens, r.maxTokens);
        const choice = {
          index: 0,
          message: { role: 'assistant', content: x.output.text },
          logprobs: null,
          finish_reason: x.output.finishReason,
        };
        return sendTgiJson(res, 200, {
          object: 'chat.completion',
          id: '',
          created,
          model: model.name,
          system_fingerprint: fingerprint,
          choices: [choice],
          usage: usage(x.delivered),
        });
      }
      startTgiSse(res);
      const chunk = (content: string, fin: string | null) =>
        tgiEvent({
          ...head,
          choices: [{ index: 0, delta: { role: 'assistant', content }, logprobs: null, finish_reason: fin }],
          usage: null,
        });
      const x = await runTextJob(ctx, spec, plan, (i, piece, _ev, o) =>
        res.write(chunk(piece, i === o.pieces.length - 1 ? o.finishReason : null)),
      );
      if (x.end === 'disconnect') return cutStream(res);
      if (x.end === 'cancelled') return void res.end();
      if (x.end === 'failed') {
        metrics.failure('generation');
        res.write(
          tgiEvent({
            error: {
              message: `Request failed during generation: Server error: ${INJECTED_FAULT_MESSAGE}`,
              http_status_code: 424,
            },
          }),
        );
      } else {
        metrics.success(x.timings, prompt.tokens, r.maxTokens);
        if (x.delivered === 0) res.write(chunk('', x.output.finishReason));
        if (r.includeUsage) res.write(tgiEvent({ ...head, choices: [], usage: usage(x.delivered) }));
      }
      res.end('data:[DONE]\n\n');
    } catch (e) {
      metrics.failure('validation');
      sendTgiFailure(res, e);
    }
  };
}
