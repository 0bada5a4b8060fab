/**
 * Ollama `/api/embed` (`{model, input: str|[str], truncate?, dimensions?}` →
 * `{model, embeddings, total_duration, load_duration, prompt_eval_count}`)
 * and the deprecated `/api/embeddings` (`{model, prompt}` → `{embedding}`).
 */
import type { RouteHandler } from '../../http/router';
import type { EmbeddingModel } from '../../models/embeddingModel';
import { countTokens, tokenPieces } from '../../../text/tokenizer';
import type { EmbeddedContext } from '../../personality';
import { INJECTED_FAULT_MESSAGE, NOT_READY_MESSAGE, RequestError } from '../../requestError';
import { clientGone } from '../../textJob';
import { readOllamaJson } from './ollamaGenerate';
import type { OllamaModels } from './ollamaModels';
import { msToNs, omitEmpty, sendOllamaFailure, sendOllamaJson } from './ollamaWire';

function embeddingModel(models: OllamaModels, name: unknown): EmbeddingModel {
  const m = models.resolve(name);
  if (m.kind !== 'embedding')
    throw new RequestError('unsupported-model', `"${String(name)}" does not support embeddings`);
  return m;
}

/** Inputs cut to the context length (truncate, the default) or refused. */
function fit(model: EmbeddingModel, text: string, truncate: boolean): string {
  if (countTokens(text) <= model.maxInputTokens) return text;
  if (!truncate) throw new RequestError('context-length', 'input length exceeds maximum context length');
  return tokenPieces(text).slice(0, model.maxInputTokens).join('');
}

export function ollamaEmbedHandler(ctx: EmbeddedContext, models: OllamaModels, legacy: boolean): RouteHandler {
  return async (req, res) => {
    try {
      const body = await readOllamaJson(req);
      const model = embeddingModel(models, body.model);
      models.touch(model, body.keep_alive);
      const raw = legacy ? body.prompt : body.input;
      const inputs =
        typeof raw === 'string'
          ? [raw]
          : Array.isArray(raw) && raw.every((s) => typeof s === 'string')
            ? (raw as string[])
            : undefined;
      if (!inputs) throw new RequestError('validation', legacy ? 'prompt must be a string' : 'invalid input type');
      if (!ctx.faults.isReady(model.name)) throw new RequestError('not-ready', NOT_READY_MESSAGE);
      const plan = ctx.faults.plan(model.name, false);
      if (plan.fail) throw new RequestError('injected', INJECTED_FAULT_MESSAGE);
      const fitted = inputs.map((t) => fit(model, t, body.truncate !== false));
      const dims = typeof body.dimensions === 'number' ? body.dimensions : undefined;
      const t = await ctx.engine.runBatch(model, fitted.length, {
        extraDelayMs: plan.extraDelayMs,
        signal: clientGone(res),
      });
      if (legacy)
        return sendOllamaJson(res, 200, { embedding: fitted[0] ? Array.from(model.embed(fitted[0], dims)) : [] });
      sendOllamaJson(res, 200, {
        model: String(body.model),
        embeddings: fitted.map((s) => Array.from(model.embed(s, dims))),
        ...omitEmpty({
          total_duration: msToNs(t.queueMs + t.computeMs),
          load_duration: msToNs(plan.extraDelayMs),
          prompt_eval_count: fitted.reduce((n, s) => n + countTokens(s), 0),
        }),
      });
    } catch (e) {
      if (!res.destroyed) sendOllamaFailure(res, e);
    }
  };
}
