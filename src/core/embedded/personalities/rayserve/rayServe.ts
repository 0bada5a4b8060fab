/**
 * The Ray Serve HTTP proxy personality (wire reference §11): the proxy's own
 * `/-/healthz` ("success") and `/-/routes`, in front of one application,
 * "llm", at route prefix "/" (option `routePrefix`, e.g. "/llm") that serves
 * the OpenAI API under it as Ray Serve LLM does (the vLLM personality's
 * handlers). As real Ray Serve 2.60 does, the
 * proxy routes answer any method, and every response carries `x-request-id`
 * (the client's own, else a new UUID).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
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

/** Methods the proxy's own routes answer (Ray Serve checks only the path). */
const anyMethod = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

function withRequestId(
  handle: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
): (req: IncomingMessage, res: ServerResponse) => void | Promise<void> {
  return (req, res) => {
    const given = req.headers['x-request-id'];
    res.setHeader('x-request-id', (Array.isArray(given) ? given[0] : given) || randomUUID());
    return handle(req, res);
  };
}

/** The application's route prefix from the personality's options: "/" unless `routePrefix` names another. */
function routePrefixOf(options: Readonly<Record<string, unknown>>): string {
  const p = options.routePrefix ?? '/';
  if (typeof p !== 'string' || !/^\/[A-Za-z0-9._~/-]*$/.test(p) || p.includes('//'))
    throw new Error(`rayserve: routePrefix must be a path such as "/" or "/llm", not ${JSON.stringify(p)}`);
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

function rayRouter(ctx: EmbeddedContext): Router {
  const metrics = vllmMetrics(ctx);
  const prefix = routePrefixOf(ctx.options);
  const under = prefix === '/' ? '' : prefix;
  return new Router({
    // Inside the application's prefix its FastAPI answers; outside every route prefix the proxy does (Ray 2.60's words).
    notFound: (req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (!under || path === under || path.startsWith(`${under}/`)) sendVllmJson(res, 404, { detail: 'Not Found' });
      else sendPlain(res, 404, `Path '${path}' not found. Ping http://.../-/routes for available routes.`);
    },
    methodNotAllowed: (_req, res) => sendVllmJson(res, 405, { detail: 'Method Not Allowed' }),
    error: (_req, res, e) => sendVllmFailure(res, e),
  })
    .on(anyMethod, '/-/healthz', (_req, res) =>
      ctx.faults.isReady() ? sendPlain(res, 200, 'success') : sendPlain(res, 503, 'This node is being drained.'),
    )
    .on(anyMethod, '/-/routes', (_req, res) => sendVllmJson(res, 200, { [prefix]: 'llm' }))
    .on('GET', `${under}/v1/models`, (_req, res) => sendVllmJson(res, 200, vllmModelList(ctx)))
    .on('POST', `${under}/v1/chat/completions`, vllmGenerateHandler(ctx, metrics, 'chat'))
    .on('POST', `${under}/v1/completions`, vllmGenerateHandler(ctx, metrics, 'completion'))
    .on('POST', `${under}/v1/embeddings`, vllmEmbeddingsHandler(ctx));
}

export const rayServePersonality = httpPersonality('rayserve', 'Ray Serve', 70, (ctx) =>
  withRequestId(rayRouter(ctx).handle),
);
