/**
 * The Ray Serve HTTP proxy personality (wire reference §11): the proxy's own
 * `/-/healthz` ("success") and `/-/routes`, in front of one application,
 * "llm", at route prefix "/" that serves the OpenAI API as Ray Serve LLM
 * does (the vLLM personality's handlers).
 */
import type { ServerResponse } from 'node:http';
import { httpDate, send } from '../../http/respond';
import { Router } from '../../http/router';
import type { EmbeddedContext } from '../../personality';
import { httpPersonality } from '../httpPersonality';
import { vllmEmbeddingsHandler } from '../vllm/vllmEmbeddings';
import { vllmGenerateHandler } from '../vllm/vllmGenerate';
import { vllmModelList } from '../vllm/vllmInfo';
import { vllmMetrics } from '../vllm/vllmMetrics';
import { sendVllmFailure, sendVllmJson } from '../vllm/vllmWire';

function sendPlain(res: ServerResponse, status: number, text: string): void {
  res.sendDate = false;
  send(res, status, text, { date: httpDate(), server: 'uvicorn', 'content-type': 'text/plain; charset=utf-8' });
}

function rayRouter(ctx: EmbeddedContext): Router {
  const metrics = vllmMetrics(ctx);
  return new Router({
    notFound: (_req, res) => sendVllmJson(res, 404, { detail: 'Not Found' }),
    methodNotAllowed: (_req, res) => sendVllmJson(res, 405, { detail: 'Method Not Allowed' }),
    error: (_req, res, e) => sendVllmFailure(res, e),
  })
    .on('GET', '/-/healthz', (_req, res) =>
      ctx.faults.isReady() ? sendPlain(res, 200, 'success') : sendPlain(res, 503, 'This node is being drained.'),
    )
    .on('GET', '/-/routes', (_req, res) => sendVllmJson(res, 200, { '/': 'llm' }))
    .on('GET', '/v1/models', (_req, res) => sendVllmJson(res, 200, vllmModelList(ctx)))
    .on('POST', '/v1/chat/completions', vllmGenerateHandler(ctx, metrics, 'chat'))
    .on('POST', '/v1/completions', vllmGenerateHandler(ctx, metrics, 'completion'))
    .on('POST', '/v1/embeddings', vllmEmbeddingsHandler(ctx));
}

export const rayServePersonality = httpPersonality('rayserve', 'Ray Serve', 70, (ctx) => rayRouter(ctx).handle);
