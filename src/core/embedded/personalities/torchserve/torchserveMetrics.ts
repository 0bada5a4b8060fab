/**
 * TorchServe's Prometheus families on its metrics port (wire reference §5):
 * ts_* counters labelled model_name, model_version, hostname, rendered as
 * its Java client does, with a trailing comma in every label set.
 */
import os from 'node:os';
import type { EmbeddedContext } from '../../personality';

export interface TorchServeMetrics {
  /** `version`: the model_version label, the one the URL named or "default" (as TorchServe 0.12 labels it). */
  success(model: string, totalMs: number, queueMs: number, version?: string): void;
  /** Prometheus text; `names` keeps only those families (`?name[]=…`). */
  render(names?: string[]): string;
}

export function torchserveMetrics(ctx: EmbeddedContext): TorchServeMetrics {
  const m = ctx.metrics;
  const requests = m.counter('ts_inference_requests_total', 'Total number of inference requests.');
  const latency = m.counter('ts_inference_latency_microseconds', 'Cumulative inference duration in microseconds');
  const queue = m.counter('ts_queue_latency_microseconds', 'Cumulative queue duration in microseconds');
  const hostname = os.hostname();
  const labels = (model: string, version: string) => ({ model_name: model, model_version: version, hostname });
  return {
    success(model, totalMs, queueMs, version = 'default') {
      const l = labels(model, version);
      requests.inc(l);
      latency.inc(l, Math.round(totalMs * 1000));
      queue.inc(l, Math.round(queueMs * 1000));
    },
    render(names) {
      const prefix = names?.length ? names : 'ts_';
      return m.render({ prefix, trailingComma: true });
    },
  };
}
