/** vLLM `/v1/embeddings` (OpenAI shape), timed by the model's dynamic batcher. */
import type { RouteHandler } from '../../http/router';
import { encodeEmbedding, parseEmbeddingRequest } from '../../openai/embeddingRequest';
import type { EmbeddedContext } from '../../personality';
import { clientGone } from '../../textJob';
import { requestId } from '../../util/ids';
import { injectedFault, notReady, readJsonObject, sendVllmFailure, sendVllmJson } from './vllmWire';

export function vllmEmbeddingsHandler(ctx: EmbeddedContext): RouteHandler {
  return async (req, res) => {
    try {
      const r = parseEmbeddingRequest(await readJsonObject(req), ctx.models);
      if (!ctx.faults.isReady(r.model.name)) throw notReady();
      const plan = ctx.faults.plan(r.model.name, false);
      if (plan.fail) throw injectedFault();
      await ctx.engine.runBatch(r.model, r.inputs.length, { extraDelayMs: plan.extraDelayMs, signal: clientGone(res) });
      const promptTokens = r.tokens.reduce((a, b) => a + b, 0);
      sendVllmJson(res, 200, {
        id: requestId('embd'),
        object: 'list',
        created: Math.floor(ctx.clock.epochMs() / 1000),
        model: r.modelName,
        data: r.inputs.map((text, index) => ({
          index,
          object: 'embedding',
          embedding: encodeEmbedding(r.model.embed(text, r.dimensions), r.encoding),
        })),
        usage: {
          prompt_tokens: promptTokens,
          total_tokens: promptTokens,
          completion_tokens: 0,
          prompt_tokens_details: null,
        },
      });
    } catch (e) {
      if (!res.destroyed) sendVllmFailure(res, e);
    }
  };
}
