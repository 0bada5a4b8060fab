/**
 * TorchServe's management API (wire reference §5, port 8081): the model list
 * with Gson pagination and the describe array with workers and queue status.
 * Registering, scaling and unregistering need `--enable-model-api`, which
 * this server runs without, so those routes answer 405 like TorchServe does.
 */
import type { ServerResponse } from 'node:http';
import type { SimulatedModel } from '../../models/registry';
import type { EmbeddedContext } from '../../personality';
import { modelNotFound, sendTsJson, TORCHSERVE_MODEL_VERSION, versionNotFound } from './torchserveWire';

export function listModels(models: SimulatedModel[], query: URLSearchParams) {
  const limit = Math.max(1, Math.min(1000, Number(query.get('limit')) || 100));
  const from = Math.max(0, Number(query.get('next_page_token')) || 0);
  const page = models.slice(from, from + limit).map((m) => ({ modelName: m.name, modelUrl: `${m.name}.mar` }));
  // nextPageToken appears only when more pages exist.
  return from + limit < models.length ? { nextPageToken: String(from + limit), models: page } : { models: page };
}

function pending(ctx: EmbeddedContext, m: SimulatedModel): number {
  return m.kind === 'text-generation' ? ctx.engine.textStats(m).waiting : ctx.engine.batchStats(m).waiting;
}

function describe(ctx: EmbeddedContext, m: SimulatedModel) {
  const ready = ctx.faults.isReady(m.name);
  const instances = m.kind === 'text-generation' ? 1 : m.latency.instances;
  const startTime = new Date(m.createdAt).toISOString();
  const batchSize = m.kind === 'text-generation' ? 1 : m.latency.maxBatch;
  const waiting = pending(ctx, m);
  return {
    modelName: m.name,
    modelVersion: TORCHSERVE_MODEL_VERSION,
    modelUrl: `${m.name}.mar`,
    runtime: 'python',
    minWorkers: instances,
    maxWorkers: instances,
    batchSize,
    maxBatchDelay: 100,
    loadedAtStartup: true,
    workers: Array.from({ length: instances }, (_, i) => ({
      id: String(9000 + i),
      startTime,
      status: ready ? 'READY' : 'STARTING',
      memoryUsage: 0,
      pid: process.pid,
      gpu: false,
      gpuUsage: 'N/A',
    })),
    jobQueueStatus: { remainingCapacity: Math.max(0, 1000 - waiting), pendingRequests: waiting },
    // A plain string, as a handler's customized metadata is: it says the model is simulated.
    customizedMetadata: JSON.stringify({ simulated: true, description: m.description }),
  };
}

/** `GET /models/{m}[/{v}|/all]`: always an array. */
export function describeModel(
  ctx: EmbeddedContext,
  res: ServerResponse,
  name: string,
  version: string | undefined,
): void {
  const m = ctx.models.get(name);
  if (!m) throw modelNotFound(name);
  if (version && version !== 'all' && version !== TORCHSERVE_MODEL_VERSION) throw versionNotFound(name, version);
  sendTsJson(res, 200, [describe(ctx, m)]);
}
