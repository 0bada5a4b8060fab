/**
 * The TensorFlow Serving REST personality (wire reference §6): model status,
 * `/metadata`, `:predict` (row and columnar), TF's error bodies, no model
 * listing (`GET /v1/models` → 400 "Malformed request", as the real server),
 * and Prometheus metrics at the path its monitoring config usually sets.
 * Paths under /v1/ match case-insensitively. Listens on offset 51, mirroring
 * the REST port 8501 next to TF Serving's gRPC 8500.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, send } from '../../http/respond';
import { Router } from '../../http/router';
import type { SimulatedModel } from '../../models/registry';
import type { EmbeddedContext } from '../../personality';
import { NOT_READY_MESSAGE } from '../../requestError';
import { clientGone } from '../../textJob';
import { httpPersonality } from '../httpPersonality';
import { tfMetadata } from './tfservingModels';
import { parsePredict, runPredict } from './tfservingPredict';
import { parseError, protoJson, rapidPretty, sendTfBody, sendTfError, TfError } from './tfservingWire';

const MODEL_PATH =
  /^\/v1\/models\/([^/:]+)(?:\/versions\/([^/:]+)|\/labels\/([^/:]+))?(\/metadata|:predict|:classify|:regress)?$/i;
const METRICS_PATH = '/monitoring/prometheus/metrics';
const VERSION = '1';
const LATENCY_BUCKETS = Array.from({ length: 20 }, (_, i) => 10 * 2 ** i);

const malformed = (req: IncomingMessage) =>
  new TfError('INVALID_ARGUMENT', `Malformed request: ${req.method} ${req.url}`);

/** The model of a request, with TF Serving's not-found messages for names, versions and labels. */
function servable(
  ctx: EmbeddedContext,
  name: string,
  version: string | undefined,
  label: string | undefined,
  status: boolean,
): SimulatedModel {
  const m = ctx.models.get(name);
  const spec = version ? `Specific(${name}, ${version})` : `Latest(${name})`;
  if (!m)
    throw new TfError(
      'NOT_FOUND',
      status ? `Could not find any versions of model ${name}` : `Servable not found for request: ${spec}`,
    );
  if (label) throw new TfError('NOT_FOUND', `Unrecognized servable version label: ${label}`);
  if (version && version !== VERSION)
    throw new TfError(
      'NOT_FOUND',
      status ? `Could not find version ${version} of model ${name}` : `Servable not found for request: ${spec}`,
    );
  return m;
}

function tfMetrics(ctx: EmbeddedContext) {
  const count = ctx.metrics.counter(':tensorflow:serving:request_count', 'The total number of requests.');
  const latency = ctx.metrics.histogram(
    ':tensorflow:serving:request_latency',
    'Distribution of wall time (in microseconds) for Tensorflow Serving request.',
    LATENCY_BUCKETS,
  );
  return {
    record(model: string, ok: boolean, ms: number) {
      count.inc({ model_name: model, status: ok ? 'OK' : 'ERROR' });
      latency.observe({ model_name: model, API: 'predict', entrypoint: 'REST' }, ms * 1000);
    },
    render: () => ctx.metrics.render({ prefix: ':tensorflow:' }),
  };
}

function modelHandler(ctx: EmbeddedContext, metrics: ReturnType<typeof tfMetrics>) {
  return async (req: IncomingMessage, res: ServerResponse, [name, version, label, suffix]: string[]) => {
    const what = (suffix ?? '').toLowerCase();
    const get = req.method === 'GET' || req.method === 'HEAD';
    if (what === '' && get) {
      servable(ctx, name, version || undefined, label || undefined, true);
      const state = ctx.faults.isReady(name) ? 'AVAILABLE' : 'LOADING';
      return sendTfBody(
        res,
        200,
        protoJson({
          model_version_status: [{ version: VERSION, state, status: { error_code: 'OK', error_message: '' } }],
        }),
      );
    }
    if (what === '/metadata' && get)
      return sendTfBody(
        res,
        200,
        protoJson(tfMetadata(servable(ctx, name, version || undefined, label || undefined, false), VERSION)),
      );
    if (req.method !== 'POST' || what === '' || what === '/metadata') throw malformed(req);
    const model = servable(ctx, name, version || undefined, label || undefined, false);
    if (what !== ':predict')
      throw new TfError(
        'INVALID_ARGUMENT',
        `Expected ${what.slice(1)} signature method_name to be tensorflow/serving/${what.slice(1)}. Was: tensorflow/serving/predict`,
      );
    const startedAt = ctx.clock.now();
    const body = (await readBody(req)).toString('utf8');
    try {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch (e) {
        throw parseError(e, Buffer.byteLength(body));
      }
      const request = parsePredict(model, parsed);
      if (!ctx.faults.isReady(name)) throw new TfError('UNAVAILABLE', NOT_READY_MESSAGE);
      const out = await runPredict(ctx, model, request, clientGone(res));
      metrics.record(name, true, ctx.clock.now() - startedAt);
      sendTfBody(res, 200, rapidPretty(out));
    } catch (e) {
      metrics.record(name, false, ctx.clock.now() - startedAt);
      throw e;
    }
  };
}

function tfRouter(ctx: EmbeddedContext): Router {
  const metrics = tfMetrics(ctx);
  const notFound = (req: IncomingMessage, res: ServerResponse) => {
    if (/^\/v1\//i.test(req.url ?? '')) return sendTfError(res, malformed(req));
    res.sendDate = false;
    send(res, 404, '', { 'Content-Type': 'text/plain' });
  };
  return new Router({ notFound, methodNotAllowed: notFound, error: (_req, res, e) => sendTfError(res, e) })
    .on(['GET', 'POST'], MODEL_PATH, modelHandler(ctx, metrics))
    .on('GET', METRICS_PATH, (_req, res) => {
      res.sendDate = false;
      send(res, 200, metrics.render(), { 'Content-Type': 'text/plain' });
    });
}

export const tfservingPersonality = httpPersonality(
  'tfserving',
  'TensorFlow Serving',
  51,
  (ctx) => tfRouter(ctx).handle,
);
