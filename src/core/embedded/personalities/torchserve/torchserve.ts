/**
 * The TorchServe personality (wire reference §5): inference API on its first
 * port (`/ping`, `/predictions/{m}[/{v}]`), management API on the second
 * (`/models`), Prometheus metrics on the third, as 8080/8081/8082. Serves
 * every simulated model; the text generator streams.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenHttp, type HttpListener } from '../../http/listen';
import { readBody, send } from '../../http/respond';
import { Router } from '../../http/router';
import type { EmbeddedContext, Personality } from '../../personality';
import { apiKeyOption, hasBearer } from '../bearerAuth';
import { readTsInput } from './torchserveInput';
import { describeModel, listModels } from './torchserveManagement';
import { torchserveMetrics, type TorchServeMetrics } from './torchserveMetrics';
import { predict } from './torchservePredict';
import {
  apiDescription,
  METHOD_MESSAGE,
  modelNotFound,
  noWorker,
  NOT_FOUND_MESSAGE,
  sendTsError,
  sendTsJson,
  TORCHSERVE_MODEL_VERSION,
  TorchServeError,
  versionNotFound,
} from './torchserveWire';

/** Since 0.11 a bad or missing token is a 400, not a 401. */
function checkToken(ctx: EmbeddedContext, req: IncomingMessage): void {
  const key = apiKeyOption(ctx.options);
  if (key && !hasBearer(req, key)) {
    throw new TorchServeError(
      400,
      'InvalidKeyException',
      'Token Authorization failed. Token either incorrect, expired, or not provided correctly',
    );
  }
}

function tsRouter(): Router {
  return new Router({
    notFound: (_req, res) =>
      sendTsJson(res, 404, { code: 404, type: 'ResourceNotFoundException', message: NOT_FOUND_MESSAGE }),
    methodNotAllowed: (_req, res) =>
      sendTsJson(res, 405, { code: 405, type: 'MethodNotAllowedException', message: METHOD_MESSAGE }),
    error: (_req, res, e) => sendTsError(res, e),
  });
}

function predictionsHandler(ctx: EmbeddedContext, metrics: TorchServeMetrics) {
  return async (req: IncomingMessage, res: ServerResponse, [name, version]: string[]) => {
    const startedAt = ctx.clock.now();
    checkToken(ctx, req);
    const model = ctx.models.get(name);
    if (!model) throw modelNotFound(name);
    if (version && version !== TORCHSERVE_MODEL_VERSION) throw versionNotFound(name, version);
    const body = await readBody(req);
    if (!ctx.faults.isReady(name)) throw noWorker(name);
    // Counted once it reaches the model's worker, whether the prediction then succeeds or fails (as 0.12 does).
    metrics.received(name, version || 'default');
    // The request counters are labelled with the version asked for, "default" when the URL names none.
    const counted: TorchServeMetrics = {
      ...metrics,
      success: (m, totalMs, queueMs, _v, streamed) =>
        metrics.success(m, totalMs, queueMs, version || 'default', streamed),
    };
    await predict(ctx, res, model, readTsInput(req, body), counted, startedAt);
  };
}

const inferencePaths = ['/', '/ping', '/predictions/{model_name}', '/predictions/{model_name}/{model_version}'];

function inferenceRouter(ctx: EmbeddedContext, metrics: TorchServeMetrics): Router {
  const predictions = predictionsHandler(ctx, metrics);
  // `curl -T` sends PUT: TorchServe does not check the method of a prediction.
  return tsRouter()
    .on('GET', '/ping', (_req, res) =>
      ctx.faults.isReady()
        ? sendTsJson(res, 200, { status: 'Healthy' })
        : sendTsJson(res, 500, { status: 'Unhealthy' }),
    )
    .on(['POST', 'PUT'], /^\/predictions\/([^/]+)(?:\/([^/]+))?$/, predictions)
    .on('GET', '/api-description', (_req, res) => sendTsJson(res, 200, apiDescription(inferencePaths)))
    .on('OPTIONS', '/', (_req, res) => sendTsJson(res, 200, apiDescription(inferencePaths)));
}

function managementRouter(ctx: EmbeddedContext): Router {
  return tsRouter()
    .on('GET', '/models', (req, res, _p, query) => {
      checkToken(ctx, req);
      sendTsJson(res, 200, listModels(ctx.models.list(), query));
    })
    .on('GET', /^\/models\/([^/]+)(?:\/([^/]+))?$/, (req, res, [name, version]) => {
      checkToken(ctx, req);
      describeModel(ctx, res, name, version || undefined);
    });
}

function metricsRouter(metrics: TorchServeMetrics): Router {
  return tsRouter().on('GET', '/metrics', (_req, res, _p, query) => {
    send(res, 200, metrics.render(query.getAll('name[]')), {
      'content-type': 'text/plain; version=0.0.4; charset=utf-8',
    });
  });
}

export const torchservePersonality: Personality = {
  name: 'torchserve',
  title: 'TorchServe',
  portOffset: 40,
  portCount: 3,
  async start(ctx, host, port, signal) {
    const metrics = torchserveMetrics(ctx);
    // Requests2XX/4XX/5XX count every answer of the three ports (pings, management, metrics and unknown paths
    // too), as 0.12 does.
    const counted = (r: Router) => (req: IncomingMessage, res: ServerResponse) => {
      res.once('finish', () => metrics.answered(res.statusCode));
      return r.handle(req, res);
    };
    const routers = [inferenceRouter(ctx, metrics), managementRouter(ctx), metricsRouter(metrics)].map(counted);
    const opened: HttpListener[] = [];
    try {
      for (const [i, r] of routers.entries()) opened.push(await listenHttp(r, host, port === 0 ? 0 : port + i, signal));
    } catch (e) {
      await Promise.allSettled(opened.map((l) => l.close()));
      throw e;
    }
    return {
      endpoints: { torchserve: opened[0].url, torchserveManagement: opened[1].url, torchserveMetrics: opened[2].url },
      close: async () => void (await Promise.allSettled(opened.map((l) => l.close()))),
    };
  },
};
