/**
 * Maps each server's own Prometheus names (wire-reference §3–§11) onto a few
 * common gauges the Servers tree can show side by side. Names are distinct per
 * server (`vllm:`, `tgi_`, `te_`, `nv_`, `ts_`, `:tensorflow:`, `ray_serve_`,
 * MLServer's `model_infer_request_*`, KServe's `request_predict_seconds`),
 * so one table serves every kind, including a KServe pod running vLLM. The
 * FastAPI instrumentator's generic `http_requests_total` (Infinity) comes
 * last: a server's own names win over it.
 */
import { InferenceError } from '../http/errors';
import { parsePrometheusText, type Sample } from './prometheus';
import type { CommonGauges, MetricsSnapshot } from './types';

export type { CommonGauges, MetricsSnapshot } from './types';

interface Rule {
  gauge: keyof CommonGauges;
  /** Alternatives, first present wins (newer name first). */
  names: string[];
  /** Further series added to the chosen one (Triton failures count toward the total). */
  plus?: string[];
  agg?: 'sum' | 'mean';
  scale?: number;
  where?: (labels: Record<string, string>) => boolean;
}

const MiB = 1024 * 1024;

const rules: Rule[] = [
  {
    gauge: 'requestsRunning',
    names: [
      'vllm:num_requests_running',
      'tgi_batch_current_size',
      'ray_serve_replica_processing_queries',
      'ray_serve_num_ongoing_http_requests',
    ],
  },
  {
    gauge: 'requestsQueued',
    names: [
      'vllm:num_requests_waiting',
      'tgi_queue_size',
      'te_queue_size',
      'nv_inference_pending_request_count',
      'ray_serve_deployment_queued_queries',
    ],
  },
  // vLLM renamed gpu_cache_usage_perc to kv_cache_usage_perc in 0.9 (both exist in 0.9.x).
  { gauge: 'kvCacheUsage', names: ['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc'], agg: 'mean' },
  { gauge: 'gpuUtilization', names: ['nv_gpu_utilization'], agg: 'mean' },
  // TorchServe reports GPU figures in percent and megabytes.
  { gauge: 'gpuUtilization', names: ['GPUUtilization'], agg: 'mean', scale: 0.01 },
  { gauge: 'gpuMemoryUsedBytes', names: ['nv_gpu_memory_used_bytes'] },
  { gauge: 'gpuMemoryUsedBytes', names: ['GPUMemoryUsed'], scale: MiB },
  { gauge: 'gpuMemoryTotalBytes', names: ['nv_gpu_memory_total_bytes'] },
  { gauge: 'requestsTotal', names: ['nv_inference_request_success'], plus: ['nv_inference_request_failure'] },
  // MLServer 1.7 (prometheus_client: counters end in _total); every inference, failed ones too.
  {
    gauge: 'requestsTotal',
    names: ['model_infer_request_success_total'],
    plus: ['model_infer_request_failure_total'],
  },
  // KServe's Python model server times each predict call (one histogram sample per request).
  { gauge: 'requestsTotal', names: ['request_predict_seconds_count'] },
  {
    gauge: 'requestsTotal',
    names: [
      'vllm:request_success_total',
      'tgi_request_count',
      'te_request_count',
      'ts_inference_requests_total',
      ':tensorflow:serving:request_count',
      'ray_serve_num_http_requests_total',
      'ray_serve_num_http_requests',
    ],
  },
  {
    gauge: 'requestsFailed',
    names: [
      'nv_inference_request_failure',
      'model_infer_request_failure_total',
      'tgi_request_failure',
      'te_request_failure',
      'Requests5XX',
      'ray_serve_num_http_error_requests_total',
      'ray_serve_num_http_error_requests',
    ],
  },
  {
    gauge: 'requestsFailed',
    names: [':tensorflow:serving:request_count'],
    where: (l) => l.status !== undefined && l.status !== 'OK',
  },
  // Servers with only the FastAPI instrumentator's counter (Infinity): inference calls are POSTs (the probe's
  // GETs of unknown paths land under handler "none"); a 4xx/5xx POST is a refused or failed request.
  { gauge: 'requestsTotal', names: ['http_requests_total'], where: (l) => l.method === 'POST' },
  {
    gauge: 'requestsFailed',
    names: ['http_requests_total'],
    where: (l) => l.method === 'POST' && (l.status === '4xx' || l.status === '5xx'),
  },
  {
    gauge: 'promptTokensTotal',
    names: ['vllm:prompt_tokens_total', 'tgi_request_input_length_sum', 'te_request_input_length_sum'],
  },
  { gauge: 'generationTokensTotal', names: ['vllm:generation_tokens_total', 'tgi_request_generated_tokens_sum'] },
];

function aggregate(samples: Sample[], agg: 'sum' | 'mean'): number | undefined {
  const vals = samples.map((s) => s.value).filter((v) => Number.isFinite(v));
  if (!vals.length) return undefined;
  const sum = vals.reduce((a, b) => a + b, 0);
  return agg === 'mean' ? sum / vals.length : sum;
}

/** The common gauges found among `samples`; absent gauges stay undefined. */
export function mapGauges(samples: Sample[]): CommonGauges {
  const byName = new Map<string, Sample[]>();
  for (const s of samples) {
    const list = byName.get(s.name);
    if (list) list.push(s);
    else byName.set(s.name, [s]);
  }
  const out: CommonGauges = {};
  for (const r of rules) {
    if (out[r.gauge] !== undefined) continue;
    const name = r.names.find((n) => byName.has(n));
    if (!name) continue;
    const pick = (n: string) => (byName.get(n) ?? []).filter((s) => !r.where || r.where(s.labels));
    const v = aggregate([...pick(name), ...(r.plus ?? []).flatMap(pick)], r.agg ?? 'sum');
    if (v !== undefined) out[r.gauge] = v * (r.scale ?? 1);
  }
  return out;
}

/**
 * Parses a scrape into a snapshot. Content type is ignored (servers disagree,
 * §12); text with no valid sample but unreadable lines (an HTML page, a JSON
 * error) is rejected as not being Prometheus text.
 */
export function metricsFromText(raw: string, url?: string): MetricsSnapshot {
  const parsed = parsePrometheusText(raw);
  if (!parsed.samples.length && parsed.errors.length) {
    const first = parsed.errors[0].text.slice(0, 80);
    throw new InferenceError(
      'malformed',
      `${url ?? 'The metrics endpoint'} did not return Prometheus text (line ${parsed.errors[0].line}: ${first})`,
      { url },
    );
  }
  return { available: true, url, raw, gauges: mapGauges(parsed.samples), sampleCount: parsed.samples.length };
}

/** A snapshot for a server that has no metrics to scrape, saying why. */
export function metricsUnavailable(reason: string): MetricsSnapshot {
  return { available: false, reason, raw: '', gauges: {}, sampleCount: 0 };
}
