/**
 * Triton's per-model statistics (statistics extension, REST and gRPC) and
 * its Prometheus families (nv_*, wire reference §3), fed from the same
 * measurements: queue and compute times from the latency engine, input and
 * output times from our own decode and encode work.
 */
import os from 'node:os';
import type { BatchTimings } from '../../latency/engine';
import type { EmbeddedContext } from '../../personality';
import { TRITON_MODEL_VERSION } from './tritonConfig';
import type { TritonModel } from './tritonModels';

interface Duration {
  count: number;
  ns: number;
}

const zero = (): Duration => ({ count: 0, ns: 0 });
const STAT_KEYS = [
  'success',
  'fail',
  'queue',
  'compute_input',
  'compute_infer',
  'compute_output',
  'cache_hit',
  'cache_miss',
] as const;
type StatKey = (typeof STAT_KEYS)[number];

interface ModelStats {
  lastInference: number;
  inferenceCount: number;
  /** Fractional: each request adds 1 / (requests in its batch), so a shared execution counts once. */
  executions: number;
  stats: Record<StatKey, Duration>;
  batch: Map<number, { compute_input: Duration; compute_infer: Duration; compute_output: Duration }>;
}

/** One successful request's measured phases (ms). */
export interface InferMeasure {
  timings: BatchTimings;
  items: number;
  inputMs: number;
  outputMs: number;
  totalMs: number;
}

const add = (d: Duration, ms: number) => {
  d.count++;
  d.ns += Math.round(ms * 1e6);
};

export class TritonStats {
  private readonly byModel = new Map<string, ModelStats>();
  private readonly m;

  constructor(
    private readonly ctx: EmbeddedContext,
    models: () => TritonModel[],
  ) {
    const r = ctx.metrics;
    this.m = {
      success: r.counter('nv_inference_request_success', 'Number of successful inference requests, all batch sizes'),
      failure: r.counter('nv_inference_request_failure', 'Number of failed inference requests, all batch sizes'),
      count: r.counter('nv_inference_count', 'Number of inferences performed (does not include cached requests)'),
      exec: r.counter(
        'nv_inference_exec_count',
        'Number of model executions performed (does not include cached requests)',
      ),
      duration: r.counter(
        'nv_inference_request_duration_us',
        'Cumulative inference request duration in microseconds (includes cached requests)',
      ),
      queue: r.counter(
        'nv_inference_queue_duration_us',
        'Cumulative inference queuing duration in microseconds (includes cached requests)',
      ),
      input: r.counter(
        'nv_inference_compute_input_duration_us',
        'Cumulative compute input duration in microseconds (does not include cached requests)',
      ),
      infer: r.counter(
        'nv_inference_compute_infer_duration_us',
        'Cumulative compute inference duration in microseconds (does not include cached requests)',
      ),
      output: r.counter(
        'nv_inference_compute_output_duration_us',
        'Cumulative inference compute output duration in microseconds (does not include cached requests)',
      ),
    };
    r.gauge(
      'nv_inference_pending_request_count',
      'Instantaneous number of pending requests awaiting execution per-model.',
      () =>
        models().map((tm) => ({
          labels: this.labels(tm.name),
          value: tm.decoupled ? ctx.engine.textStats(tm.sim).waiting : ctx.engine.batchStats(tm.sim).waiting,
        })),
    );
    r.gauge('nv_cpu_utilization', 'CPU utilization rate [0.0 - 1.0]', () => [
      { labels: {}, value: Math.min(1, os.loadavg()[0] / Math.max(1, os.cpus().length)) },
    ]);
    r.gauge('nv_cpu_memory_total_bytes', 'CPU total memory (RAM), in bytes', () => [
      { labels: {}, value: os.totalmem() },
    ]);
    r.gauge('nv_cpu_memory_used_bytes', 'CPU used memory (RAM), in bytes', () => [
      { labels: {}, value: os.totalmem() - os.freemem() },
    ]);
    // Triton lists every loaded model's series from the start, at zero (failures once per reason, as 2.51 does).
    for (const tm of models()) {
      for (const f of Object.values(this.m)) if (f !== this.m.failure) f.inc(this.labels(tm.name), 0);
      for (const reason of ['OTHER', 'BACKEND', 'CANCELED', 'REJECTED'])
        this.m.failure.inc({ model: tm.name, reason, version: TRITON_MODEL_VERSION }, 0);
    }
  }

  private labels(model: string) {
    return { model, version: TRITON_MODEL_VERSION };
  }

  private at(model: string): ModelStats {
    let s = this.byModel.get(model);
    if (!s) {
      const stats = Object.fromEntries(STAT_KEYS.map((k) => [k, zero()])) as Record<StatKey, Duration>;
      this.byModel.set(model, (s = { lastInference: 0, inferenceCount: 0, executions: 0, stats, batch: new Map() }));
    }
    return s;
  }

  success(model: string, x: InferMeasure): void {
    const s = this.at(model);
    s.lastInference = this.ctx.clock.epochMs();
    s.inferenceCount += x.items;
    const before = Math.floor(s.executions + 1e-9);
    s.executions += 1 / Math.max(1, x.timings.batchRequests);
    add(s.stats.success, x.totalMs);
    add(s.stats.queue, x.timings.queueMs);
    add(s.stats.compute_input, x.inputMs);
    add(s.stats.compute_infer, x.timings.computeMs);
    add(s.stats.compute_output, x.outputMs);
    // Keyed by the executed batch (this request's items and those merged with it), as Triton's batch_stats are.
    let b = s.batch.get(x.timings.batchItems);
    if (!b)
      s.batch.set(x.timings.batchItems, (b = { compute_input: zero(), compute_infer: zero(), compute_output: zero() }));
    add(b.compute_input, x.inputMs);
    add(b.compute_infer, x.timings.computeMs);
    add(b.compute_output, x.outputMs);
    const l = this.labels(model);
    const us = (ms: number) => Math.round(ms * 1000);
    this.m.success.inc(l);
    this.m.count.inc(l, x.items);
    // The counter moves in whole executions, as Triton's does.
    this.m.exec.inc(l, Math.floor(s.executions + 1e-9) - before);
    this.m.duration.inc(l, us(x.totalMs));
    this.m.queue.inc(l, us(x.timings.queueMs));
    this.m.input.inc(l, us(x.inputMs));
    this.m.infer.inc(l, us(x.timings.computeMs));
    this.m.output.inc(l, us(x.outputMs));
  }

  /** `reason`: REJECTED | CANCELED | BACKEND | OTHER, as Triton labels failures. */
  failure(model: string, reason: 'REJECTED' | 'CANCELED' | 'BACKEND' | 'OTHER', totalMs: number): void {
    add(this.at(model).stats.fail, totalMs);
    this.m.failure.inc({ model, reason, version: TRITON_MODEL_VERSION });
    this.m.duration.inc(this.labels(model), Math.round(totalMs * 1000));
  }

  /** One entry of `model_stats` (REST form; the gRPC form is the same minus batch/memory/response stats). */
  entry(model: string) {
    const s = this.at(model);
    return {
      name: model,
      version: TRITON_MODEL_VERSION,
      last_inference: s.lastInference,
      inference_count: s.inferenceCount,
      execution_count: Math.floor(s.executions + 1e-9),
      inference_stats: { ...s.stats },
      response_stats: {},
      batch_stats: [...s.batch.entries()].sort((a, b) => a[0] - b[0]).map(([batch_size, d]) => ({ batch_size, ...d })),
      memory_usage: [],
    };
  }

  /** Prometheus text of the nv_* families. */
  render(): string {
    return this.ctx.metrics.render({ prefix: 'nv_' });
  }
}
