/**
 * The Hugging Face TEI personality (wire reference §10): one embedding model
 * (`options.model`, default the first), `/health`, `/info`, `/embed` (a bare
 * array of vectors), OpenAI `/v1/embeddings`, `/metrics` (te_*), and
 * `{"error","error_type"}` bodies with capitalised types.
 */
import type { ServerResponse } from 'node:http';
import { BodyTooLargeError, isObject, parseJson, readBody, send } from '../../http/respond';
import { Router } from '../../http/router';
import type { EmbeddingModel } from '../../models/embeddingModel';
import { countTokens } from '../../../text/tokenizer';
import type { EmbeddedContext } from '../../personality';
import { httpPersonality } from '../httpPersonality';
import { INJECTED_FAULT_MESSAGE, NOT_READY_MESSAGE } from '../../requestError';
import { clientGone } from '../../textJob';
import { servedModel } from '../servedModel';
import { teiMetrics } from './teiMetrics';
import { axumHeaders, sendTgiEmpty, sendTgiJson } from '../tgi/tgiWire';

export const TEI_VERSION = '1.8.0';
const MAX_CLIENT_BATCH = 32;

const STATUS: Record<string, number> = {
  Validation: 422,
  Tokenizer: 422,
  Overloaded: 429,
  Backend: 424,
  Unhealthy: 503,
  Empty: 400,
};

export class TeiError extends Error {
  constructor(
    readonly type: keyof typeof STATUS,
    message: string,
  ) {
    super(message);
  }
}

function sendTeiError(res: ServerResponse, e: unknown, openai: boolean): void {
  if (res.headersSent) return void res.destroy();
  const err =
    e instanceof TeiError
      ? e
      : e instanceof BodyTooLargeError
        ? new TeiError('Validation', e.message)
        : new TeiError('Backend', e instanceof Error ? e.message : String(e));
  const status = STATUS[err.type];
  sendTgiJson(
    res,
    status,
    openai ? { message: err.message, code: status, type: err.type } : { error: err.message, error_type: err.type },
  );
}

function info(model: EmbeddingModel, version: string) {
  return {
    model_id: model.name,
    model_sha: null,
    model_dtype: 'float32',
    served_model_name: model.name,
    model_type: { embedding: { pooling: 'mean' } },
    max_concurrent_requests: 512,
    max_input_length: model.maxInputTokens,
    max_batch_tokens: 16384,
    max_batch_requests: null,
    max_client_batch_size: MAX_CLIENT_BATCH,
    auto_truncate: false,
    tokenization_workers: 2,
    version,
    sha: null,
    docker_label: null,
  };
}

/** Inputs of `/embed` (`inputs`) or `/v1/embeddings` (`input`), checked as TEI does. */
function readInputs(v: unknown, model: EmbeddingModel, truncate: boolean): string[] {
  const inputs =
    typeof v === 'string'
      ? [v]
      : Array.isArray(v) && v.every((s) => typeof s === 'string')
        ? (v as string[])
        : undefined;
  if (!inputs)
    throw new TeiError('Validation', 'Input validation error: `inputs` must be a string or a list of strings');
  if (!inputs.length) throw new TeiError('Empty', 'Batch is empty');
  if (inputs.length > MAX_CLIENT_BATCH)
    throw new TeiError(
      'Validation',
      `Input validation error: batch size ${inputs.length} > maximum allowed batch size ${MAX_CLIENT_BATCH}`,
    );
  for (const s of inputs) {
    const n = countTokens(s);
    if (n > model.maxInputTokens && !truncate)
      throw new TeiError(
        'Validation',
        `Input validation error: \`inputs\` must have less than ${model.maxInputTokens} tokens. Given: ${n}`,
      );
  }
  return inputs;
}

function embedHandler(
  ctx: EmbeddedContext,
  model: EmbeddingModel,
  metrics: ReturnType<typeof teiMetrics>,
  openai: boolean,
) {
  return async (req: Parameters<Router['handle']>[0], res: ServerResponse) => {
    try {
      const parsed = parseJson(await readBody(req));
      if (!parsed.ok || !isObject(parsed.value))
        throw new TeiError(
          'Validation',
          `Failed to deserialize the JSON body into the target type: ${parsed.ok ? 'expected an object' : parsed.message}`,
        );
      const body = parsed.value;
      const inputs = readInputs(openai ? body.input : body.inputs, model, body.truncate === true);
      if (!ctx.faults.isReady(model.name)) throw new TeiError('Unhealthy', NOT_READY_MESSAGE);
      const plan = ctx.faults.plan(model.name, false);
      if (plan.fail) throw new TeiError('Backend', INJECTED_FAULT_MESSAGE);
      const t = await ctx.engine.runBatch(model, inputs.length, {
        extraDelayMs: plan.extraDelayMs,
        signal: clientGone(res),
      });
      const dims = typeof body.dimensions === 'number' ? body.dimensions : undefined;
      const vectors = inputs.map((s) => Array.from(model.embed(s, dims, body.normalize !== false)));
      const tokens = inputs.reduce((n, s) => n + Math.min(model.maxInputTokens, countTokens(s)), 0);
      metrics.success(t, tokens);
      if (!openai) return sendTgiJson(res, 200, vectors);
      sendTgiJson(res, 200, {
        object: 'list',
        data: vectors.map((embedding, index) => ({ object: 'embedding', embedding, index })),
        model: model.name,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      });
    } catch (e) {
      metrics.failure(e instanceof TeiError ? e.type.toLowerCase() : 'backend');
      if (!res.destroyed) sendTeiError(res, e, openai);
    }
  };
}

function teiRouter(ctx: EmbeddedContext, model: EmbeddingModel): Router {
  const version = typeof ctx.options.version === 'string' ? ctx.options.version : TEI_VERSION;
  const metrics = teiMetrics(ctx, model);
  const health = (_req: unknown, res: ServerResponse) =>
    ctx.faults.isReady(model.name)
      ? sendTgiEmpty(res, 200)
      : sendTgiJson(res, 503, { error: NOT_READY_MESSAGE, error_type: 'Unhealthy' });
  return new Router({
    notFound: (_req, res) => sendTgiEmpty(res, 404),
    methodNotAllowed: (_req, res) => sendTgiEmpty(res, 405),
    error: (_req, res, e) => sendTeiError(res, e, false),
  })
    .on('GET', '/health', health)
    .on('GET', '/', health)
    .on('GET', '/ping', health)
    .on('GET', '/info', (_req, res) => sendTgiJson(res, 200, info(model, version)))
    .on('GET', '/metrics', (_req, res) => {
      res.sendDate = false;
      send(res, 200, metrics.render(), axumHeaders('text/plain; charset=utf-8'));
    })
    .on('POST', '/embed', embedHandler(ctx, model, metrics, false))
    .on('POST', '/v1/embeddings', embedHandler(ctx, model, metrics, true));
}

export const teiPersonality = httpPersonality(
  'tei',
  'Hugging Face TEI',
  60,
  (ctx) => teiRouter(ctx, servedModel(ctx, 'embedding', 'TEI')).handle,
);
