/**
 * The vLLM / OpenAI-compatible personality (wire reference §7): OpenAI routes
 * under `/v1` (guarded by the optional API key), `/health`, `/version`,
 * `/metrics` with vllm:* names, `/tokenize`, and a WebSocket streaming
 * endpoint at `/v1/stream` (see vllmWebSocket.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenHttp } from '../../http/listen';
import { send } from '../../http/respond';
import { Router } from '../../http/router';
import type { EmbeddedContext, Personality } from '../../personality';
import { apiKeyOption, hasBearer } from '../bearerAuth';
import { vllmEmbeddingsHandler } from './vllmEmbeddings';
import { vllmGenerateHandler } from './vllmGenerate';
import { vllmPrefixOptions } from './vllmPrefixCache';
import { vllmMetrics, type VllmMetrics } from './vllmMetrics';
import { vllmModelList, vllmTokenizeHandler } from './vllmInfo';
import { attachVllmWebSocket } from './vllmWebSocket';
import { sendVllmFailure, sendVllmJson, uvicornHeaders } from './vllmWire';

/** The vLLM release whose wire behaviour this personality follows (override with `options.version`). */
export const VLLM_VERSION = '0.32.0';

function emptyStatus(res: ServerResponse, status: number): void {
  res.sendDate = false;
  send(res, status, '', uvicornHeaders(undefined));
}

export function vllmRouter(ctx: EmbeddedContext, metrics: VllmMetrics): Router {
  const version = typeof ctx.options.version === 'string' ? ctx.options.version : VLLM_VERSION;
  const prefix = vllmPrefixOptions(ctx, metrics);
  const router = new Router({
    notFound: (_req, res) => sendVllmJson(res, 404, { detail: 'Not Found' }),
    methodNotAllowed: (_req, res) => sendVllmJson(res, 405, { detail: 'Method Not Allowed' }),
    error: (_req, res, e) => sendVllmFailure(res, e),
  });
  const health = (_req: IncomingMessage, res: ServerResponse) => emptyStatus(res, ctx.faults.isReady() ? 200 : 503);
  router
    .on('GET', '/health', health)
    .on(['GET', 'POST'], '/ping', health)
    .on('GET', '/version', (_req, res) => sendVllmJson(res, 200, { version }))
    .on('GET', '/load', (_req, res) => {
      const load = ctx.models
        .ofKind('text-generation')
        .reduce((n, m) => n + ctx.engine.textStats(m).running + ctx.engine.textStats(m).waiting, 0);
      sendVllmJson(res, 200, { server_load: load });
    })
    .on('GET', '/metrics', (_req, res) => {
      res.sendDate = false;
      send(res, 200, metrics.render(), uvicornHeaders('text/plain; version=0.0.4; charset=utf-8'));
    })
    .on('GET', '/v1/models', (_req, res) => sendVllmJson(res, 200, vllmModelList(ctx)))
    .on('POST', '/v1/chat/completions', vllmGenerateHandler(ctx, metrics, 'chat', prefix))
    .on('POST', '/v1/completions', vllmGenerateHandler(ctx, metrics, 'completion', prefix))
    .on('POST', '/v1/embeddings', vllmEmbeddingsHandler(ctx))
    .on('POST', '/tokenize', vllmTokenizeHandler(ctx));
  return router;
}

export const vllmPersonality: Personality = {
  name: 'vllm',
  title: 'vLLM (OpenAI-compatible)',
  portOffset: 0,
  portCount: 1,
  async start(ctx: EmbeddedContext, host: string, port: number, signal?: AbortSignal) {
    const metrics = vllmMetrics(ctx);
    const router = vllmRouter(ctx, metrics);
    const apiKey = apiKeyOption(ctx.options);
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      // vLLM guards only the /v1 prefix; OPTIONS is never checked (wire reference §7).
      if (apiKey && req.method !== 'OPTIONS' && req.url?.startsWith('/v1') && !hasBearer(req, apiKey)) {
        return sendVllmJson(res, 401, { error: 'Unauthorized' });
      }
      router.handle(req, res);
    };
    const l = await listenHttp(handler, host, port, signal);
    const ws = attachVllmWebSocket(ctx, metrics, l.server, apiKey);
    return {
      endpoints: { vllm: l.url },
      async close() {
        ws.close();
        await l.close();
      },
    };
  },
};
