/**
 * The Hugging Face TGI personality (wire reference §8): one served model
 * (`options.model`, default the first text model), `/info`, `/health`,
 * `/generate`, `/generate_stream`, compat `POST /`, `/v1/chat/completions`,
 * `/v1/models`, `/metrics`. With `options.apiKey`, only generation routes
 * need the Bearer key and a failure is a bare 401.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { send } from '../../http/respond';
import { Router } from '../../http/router';
import type { TextModel } from '../../models/textModel';
import type { EmbeddedContext } from '../../personality';
import { httpPersonality } from '../httpPersonality';
import { apiKeyOption, hasBearer } from '../bearerAuth';
import { tgiChatHandler } from './tgiChat';
import { tgiGenerateHandler } from './tgiGenerate';
import { tgiMetrics } from './tgiMetrics';
import { axumHeaders, sendTgiEmpty, sendTgiFailure, sendTgiJson, TGI_VERSION } from './tgiWire';
import { TGI_MAX_STOP_SEQUENCES } from './tgiRequest';
import { servedModel } from '../servedModel';

function info(ctx: EmbeddedContext, model: TextModel, version: string) {
  return {
    model_id: model.name,
    model_sha: null,
    model_pipeline_tag: 'text-generation',
    max_concurrent_requests: Number(ctx.options.maxConcurrentRequests ?? 128),
    max_best_of: 2,
    max_stop_sequences: TGI_MAX_STOP_SEQUENCES,
    max_input_tokens: model.maxModelLen - 1,
    max_total_tokens: model.maxModelLen,
    validation_workers: 2,
    max_client_batch_size: 4,
    router: 'text-generation-router',
    version,
    sha: null,
    docker_label: null,
  };
}

function tgiRouter(ctx: EmbeddedContext, model: TextModel): Router {
  const version = typeof ctx.options.version === 'string' ? ctx.options.version : TGI_VERSION;
  const metrics = tgiMetrics(ctx, model);
  const health = (_req: IncomingMessage, res: ServerResponse) =>
    ctx.faults.isReady(model.name)
      ? sendTgiEmpty(res, 200)
      : sendTgiJson(res, 503, { error: 'unhealthy', error_type: 'healthcheck' });
  return new Router({
    notFound: (_req, res) => sendTgiEmpty(res, 404),
    methodNotAllowed: (_req, res) => sendTgiEmpty(res, 405),
    error: (_req, res, e) => sendTgiFailure(res, e),
  })
    .on('GET', '/health', health)
    .on('GET', '/', health)
    .on('GET', '/ping', health)
    .on('GET', '/info', (_req, res) => sendTgiJson(res, 200, info(ctx, model, version)))
    .on('GET', '/v1/models', (_req, res) =>
      sendTgiJson(res, 200, {
        object: 'list',
        data: [{ id: model.name, object: 'model', created: 0, owned_by: model.name }],
      }),
    )
    .on('GET', '/metrics', (_req, res) => {
      res.sendDate = false;
      send(res, 200, metrics.render(), axumHeaders('text/plain; charset=utf-8'));
    })
    .on('POST', '/generate', tgiGenerateHandler(ctx, model, metrics, 'generate'))
    .on('POST', '/generate_stream', tgiGenerateHandler(ctx, model, metrics, 'stream'))
    .on('POST', '/', tgiGenerateHandler(ctx, model, metrics, 'compat'))
    .on('POST', '/v1/chat/completions', tgiChatHandler(ctx, model, metrics, `${version}-native`));
}

const GUARDED = new Set(['/generate', '/generate_stream', '/', '/v1/chat/completions']);

export const tgiPersonality = httpPersonality('tgi', 'Hugging Face TGI', 20, (ctx) => {
  const router = tgiRouter(ctx, servedModel(ctx, 'text-generation', 'TGI'));
  const apiKey = apiKeyOption(ctx.options);
  return (req, res) => {
    if (apiKey && req.method === 'POST' && GUARDED.has((req.url ?? '').split('?')[0]) && !hasBearer(req, apiKey))
      return sendTgiEmpty(res, 401);
    router.handle(req, res);
  };
});
