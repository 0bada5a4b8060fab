/**
 * TorchServe's Prometheus families on its metrics port (wire reference §5), as
 * TorchServe 0.12 exports them with `metrics_mode=prometheus` (recorded in
 * test/fixtures/exchanges/torchserve/real-0.12*.json), rendered as its Java
 * client does, with a trailing comma in every label set:
 * - `ts_*` counters labelled model_name, model_version, hostname: requests
 *   (counted for every prediction that reaches a model, failed ones too),
 *   cumulative inference and queue µs (successful predictions only);
 * - the frontend's host metrics `Requests2XX/4XX/5XX` (every answer of its
 *   three ports: pings, management and metrics calls, unknown paths), `QueueTime` and
 *   `WorkerThreadTime` (the last request's, ms), labelled Level="Host";
 * - the backend's per-model `PredictionTime` and `HandlerTime` (the last
 *   successful prediction's, ms), labelled ModelName, Level="Model";
 * - system and worker families (CPU, memory, disk, GPU, `WorkerLoadTime`)
 *   with HELP/TYPE only: the embedded server runs no system-metrics collector
 *   and loads no workers (as a real server with `disable_system_metrics=true`
 *   prints them before any worker has loaded).
 */
import os from 'node:os';
import type { EmbeddedContext } from '../../personality';

export interface TorchServeMetrics {
  /** A prediction reached `model` (counted before it runs, whether it then fails or not). */
  received(model: string, version?: string): void;
  /**
   * `version`: the model_version label, the one the URL named or "default" (as TorchServe 0.12 labels it).
   * `streamed`: a streaming handler's answer, which reports no HandlerTime (0.12's base handler times only
   * whole predictions).
   */
  success(model: string, totalMs: number, queueMs: number, version?: string, streamed?: boolean): void;
  /** One answer of any of its ports, by its HTTP status. */
  answered(status: number): void;
  /** Prometheus text; `names` keeps only those families (`?name[]=…`). */
  render(names?: string[]): string;
}

const help = (kind: 'counter' | 'gauge', unit: string) => `Torchserve prometheus ${kind} metric with unit: ${unit}`;

/** System and worker families the real server declares; nothing here measures them. */
const declaredOnly: Array<[string, string]> = [
  ['CPUUtilization', 'Percent'],
  ['MemoryUsed', 'Megabytes'],
  ['MemoryAvailable', 'Megabytes'],
  ['MemoryUtilization', 'Percent'],
  ['DiskUsage', 'Gigabytes'],
  ['DiskAvailable', 'Gigabytes'],
  ['DiskUtilization', 'Percent'],
  ['GPUUtilization', 'Percent'],
  ['GPUMemoryUsed', 'Megabytes'],
  ['GPUMemoryUtilization', 'Percent'],
  ['WorkerLoadTime', 'Milliseconds'],
];

export const torchserveFamilies = [
  'ts_inference_requests_total',
  'ts_inference_latency_microseconds',
  'ts_queue_latency_microseconds',
  'Requests2XX',
  'Requests4XX',
  'Requests5XX',
  'QueueTime',
  'WorkerThreadTime',
  'PredictionTime',
  'HandlerTime',
  ...declaredOnly.map(([n]) => n),
];

export function torchserveMetrics(ctx: EmbeddedContext): TorchServeMetrics {
  const m = ctx.metrics;
  const requests = m.counter('ts_inference_requests_total', help('counter', 'Count'));
  const latency = m.counter('ts_inference_latency_microseconds', help('counter', 'Microseconds'));
  const queue = m.counter('ts_queue_latency_microseconds', help('counter', 'Microseconds'));
  const byClass = {
    2: m.counter('Requests2XX', help('counter', 'Count')),
    4: m.counter('Requests4XX', help('counter', 'Count')),
    5: m.counter('Requests5XX', help('counter', 'Count')),
  } as Record<number, ReturnType<typeof m.counter> | undefined>;
  const queueTime = m.gauge('QueueTime', help('gauge', 'Milliseconds'));
  const workerThreadTime = m.gauge('WorkerThreadTime', help('gauge', 'Milliseconds'));
  const predictionTime = m.gauge('PredictionTime', help('gauge', 'ms'));
  const handlerTime = m.gauge('HandlerTime', help('gauge', 'ms'));
  for (const [name, unit] of declaredOnly) m.gauge(name, help('gauge', unit));
  const hostname = os.hostname();
  const labels = (model: string, version: string) => ({ model_name: model, model_version: version, hostname });
  const host = { Level: 'Host', Hostname: hostname };
  return {
    received(model, version = 'default') {
      requests.inc(labels(model, version));
    },
    success(model, totalMs, queueMs, version = 'default', streamed = false) {
      const l = labels(model, version);
      latency.inc(l, Math.round(totalMs * 1000));
      queue.inc(l, Math.round(queueMs * 1000));
      // The frontend's gauges are whole milliseconds; the backend's carry two decimals.
      queueTime.set(host, Math.round(queueMs));
      workerThreadTime.set(host, Math.max(0, Math.round(totalMs - queueMs)));
      const ran = Math.round(Math.max(0, totalMs - queueMs) * 100) / 100;
      const perModel = { ModelName: model, Level: 'Model', Hostname: hostname };
      predictionTime.set(perModel, ran);
      if (!streamed) handlerTime.set(perModel, ran);
    },
    answered(status) {
      byClass[Math.floor(status / 100)]?.inc(host);
    },
    render(names) {
      const wanted = names?.length ? torchserveFamilies.filter((f) => names.includes(f)) : torchserveFamilies;
      return wanted.length ? m.render({ prefix: wanted, trailingComma: true }) : '';
    },
  };
}
