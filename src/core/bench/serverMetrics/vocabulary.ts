/**
 * One vocabulary for every server's Prometheus names (wire reference §3–§11),
 * per interval between two scrapes: gauges as read, counters as rates,
 * histograms as the interval's mean and quantiles. Names differ per server
 * (`vllm:`, `tgi_`, `te_`, `nv_`, `ts_`, `:tensorflow:`, `ray_serve_`,
 * `llamacpp:`, `DCGM_FI_`), so one table serves every kind, including a
 * KServe pod running vLLM. Where a server renamed a metric between releases,
 * both names are listed (newer first) and the first one present wins; rules
 * sharing a key are alternatives, the first with data wins.
 */

import type { GaugeGroup } from './types';

export const groupTitles: Record<GaugeGroup, string> = {
  requests: 'Server requests: running, waiting, completed, preempted',
  cache: 'KV cache and prefix cache',
  batch: 'Batching and queueing',
  latency: "Server's own latency (TTFT, inter-token, end-to-end)",
  tokens: 'Tokens counted by the server',
  triton: 'Triton per model: queue, compute input/infer/output',
  gpu: 'GPU',
  container: 'Container (Docker stats)',
};

/**
 * How one interval's value is made:
 * - `gauge`: the current value (aggregated over series);
 * - `rate`: Δcounter / Δt in seconds;
 * - `mean`: a histogram's Δsum / Δcount; `p50`/`p90`/`p99`: quantiles of its Δbuckets;
 * - `ratio`: Δ`names` / Δ`over` (hits per query, µs per request, inferences per execution).
 */
export type Derivation = 'gauge' | 'rate' | 'mean' | 'p50' | 'p90' | 'p99' | 'ratio';

export interface Where {
  label: string;
  in?: string[];
  notIn?: string[];
}

export interface SeriesRule {
  key: string;
  label: string;
  unit: string;
  group: GaugeGroup;
  how: Derivation;
  /** Metric (or histogram family) names, newer first; the first present is used. */
  names: string[];
  /** `ratio`: the denominator's names. */
  over?: string[];
  /** Multiplier to the unit shown (s → ms, 0–1 → %, bytes → MiB). */
  scale?: number;
  /** Gauges: sum (default), mean or max over series. */
  agg?: 'sum' | 'mean' | 'max';
  /** One series per value of this label (Triton `model`, a GPU's `gpu`/`gpu_uuid`). */
  byLabel?: string;
  /**
   * Only samples whose label is (or is not) one of these values (vLLM counts aborted requests under
   * request_success); several conditions must all hold.
   */
  where?: Where | Where[];
}

const ms = 1000;
/** The FastAPI instrumentator's inference calls. */
const post: Where = { label: 'method', in: ['POST'] };
const usToMs = 0.001;
const MiB = 1 / (1024 * 1024);

const r = (
  key: string,
  label: string,
  unit: string,
  group: GaugeGroup,
  how: Derivation,
  names: string[],
  more: Partial<SeriesRule> = {},
): SeriesRule => ({ key, label, unit, group, how, names, ...more });

/** Per-model Triton figures: Δ(cumulative µs) per Δ(successful requests), and counts per second. */
const tritonPerModel: SeriesRule[] = [
  r('tritonRequestsPerSec', 'Triton successful requests', 'req/s', 'triton', 'rate', ['nv_inference_request_success'], {
    byLabel: 'model',
  }),
  r('tritonFailuresPerSec', 'Triton failed requests', 'req/s', 'triton', 'rate', ['nv_inference_request_failure'], {
    byLabel: 'model',
  }),
  r('tritonInferencesPerSec', 'Triton inferences (batch items)', '1/s', 'triton', 'rate', ['nv_inference_count'], {
    byLabel: 'model',
  }),
  r('tritonExecutionsPerSec', 'Triton model executions', '1/s', 'triton', 'rate', ['nv_inference_exec_count'], {
    byLabel: 'model',
  }),
  r('tritonQueueMs', 'Triton queue time per request', 'ms', 'triton', 'ratio', ['nv_inference_queue_duration_us'], {
    over: ['nv_inference_request_success'],
    scale: usToMs,
    byLabel: 'model',
  }),
  r(
    'tritonComputeInputMs',
    'Triton compute input per request',
    'ms',
    'triton',
    'ratio',
    ['nv_inference_compute_input_duration_us'],
    { over: ['nv_inference_request_success'], scale: usToMs, byLabel: 'model' },
  ),
  r(
    'tritonComputeInferMs',
    'Triton compute infer per request',
    'ms',
    'triton',
    'ratio',
    ['nv_inference_compute_infer_duration_us'],
    { over: ['nv_inference_request_success'], scale: usToMs, byLabel: 'model' },
  ),
  r(
    'tritonComputeOutputMs',
    'Triton compute output per request',
    'ms',
    'triton',
    'ratio',
    ['nv_inference_compute_output_duration_us'],
    { over: ['nv_inference_request_success'], scale: usToMs, byLabel: 'model' },
  ),
  r(
    'tritonRequestMs',
    'Triton request duration per request',
    'ms',
    'triton',
    'ratio',
    ['nv_inference_request_duration_us'],
    { over: ['nv_inference_request_success'], scale: usToMs, byLabel: 'model' },
  ),
];

export const serverRules: SeriesRule[] = [
  // Requests
  r('requestsRunning', 'Requests running', 'requests', 'requests', 'gauge', [
    'vllm:num_requests_running',
    'tgi_batch_current_size',
    'llamacpp:requests_processing',
    'ray_serve_replica_processing_queries',
    'ray_serve_num_ongoing_http_requests',
  ]),
  r('requestsWaiting', 'Requests waiting', 'requests', 'requests', 'gauge', [
    'vllm:num_requests_waiting',
    'tgi_queue_size',
    'te_queue_size',
    'nv_inference_pending_request_count',
    'llamacpp:requests_deferred',
    'ray_serve_deployment_queued_queries',
  ]),
  r('requestsSwapped', 'Requests swapped to CPU (vLLM V0)', 'requests', 'requests', 'gauge', [
    'vllm:num_requests_swapped',
  ]),
  // vLLM (V1) counts every finished request under request_success_total, by finished_reason: abort and error are failures.
  r('requestsPerSec', 'Requests completed (server)', 'req/s', 'requests', 'rate', ['vllm:request_success_total'], {
    where: { label: 'finished_reason', notIn: ['abort', 'error'] },
  }),
  r('requestsPerSec', 'Requests completed (server)', 'req/s', 'requests', 'rate', [
    'tgi_request_success',
    'te_request_success',
    'nv_inference_request_success',
    'ts_inference_requests_total',
    ':tensorflow:serving:request_count',
    'ray_serve_num_http_requests_total',
    'ray_serve_num_http_requests',
  ]),
  r(
    'failuresPerSec',
    'Requests failed or aborted (server)',
    'req/s',
    'requests',
    'rate',
    ['vllm:request_success_total'],
    { where: { label: 'finished_reason', in: ['abort', 'error'] } },
  ),
  r('failuresPerSec', 'Requests failed (server)', 'req/s', 'requests', 'rate', [
    'tgi_request_failure',
    'te_request_failure',
    'nv_inference_request_failure',
    'ray_serve_num_http_error_requests_total',
    'ray_serve_num_http_error_requests',
  ]),
  // TorchServe counts every answer of its three ports by status class (pings and unknown paths too).
  r('failuresPerSec', 'Requests failed, 5XX (server)', 'req/s', 'requests', 'rate', ['Requests5XX']),
  r('clientErrorsPerSec', 'Requests refused, 4XX (server)', 'req/s', 'requests', 'rate', ['Requests4XX']),
  // The FastAPI instrumentator (Infinity): inference calls are POSTs; probes' GETs go to handler "none".
  r('requestsPerSec', 'Requests completed (server)', 'req/s', 'requests', 'rate', ['http_requests_total'], {
    where: [post, { label: 'status', in: ['2xx'] }],
  }),
  r('failuresPerSec', 'Requests failed, 5xx (server)', 'req/s', 'requests', 'rate', ['http_requests_total'], {
    where: [post, { label: 'status', in: ['5xx'] }],
  }),
  r('clientErrorsPerSec', 'Requests refused, 4xx (server)', 'req/s', 'requests', 'rate', ['http_requests_total'], {
    where: [post, { label: 'status', in: ['4xx'] }],
  }),
  r('preemptionsPerSec', 'Preemptions', '1/s', 'requests', 'rate', ['vllm:num_preemptions_total']),

  // KV cache and prefix cache
  // vLLM renamed gpu_cache_usage_perc to kv_cache_usage_perc in 0.9 (both in 0.9.x); llama.cpp had kv_cache_usage_ratio.
  r(
    'kvCacheUsage',
    'KV-cache usage',
    '%',
    'cache',
    'gauge',
    ['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc', 'llamacpp:kv_cache_usage_ratio'],
    { agg: 'mean', scale: 100 },
  ),
  // V1 counts prefix-cache queries and hits in tokens (0.8 named them gpu_prefix_cache_*); V0 had only a hit-rate gauge.
  r(
    'prefixCacheHitRate',
    'Prefix-cache hit rate',
    '%',
    'cache',
    'ratio',
    ['vllm:prefix_cache_hits_total', 'vllm:gpu_prefix_cache_hits_total'],
    { over: ['vllm:prefix_cache_queries_total', 'vllm:gpu_prefix_cache_queries_total'], scale: 100 },
  ),
  r('prefixCacheHitRate', 'Prefix-cache hit rate', '%', 'cache', 'gauge', ['vllm:gpu_prefix_cache_hit_rate'], {
    agg: 'mean',
    scale: 100,
  }),
  r('prefixCacheQueriesPerSec', 'Prefix-cache queries', 'tokens/s', 'cache', 'rate', [
    'vllm:prefix_cache_queries_total',
    'vllm:gpu_prefix_cache_queries_total',
  ]),
  r('prefixCacheHitsPerSec', 'Prefix-cache hits', 'tokens/s', 'cache', 'rate', [
    'vllm:prefix_cache_hits_total',
    'vllm:gpu_prefix_cache_hits_total',
  ]),
  r('tritonCacheHitsPerSec', 'Triton response-cache hits', '1/s', 'cache', 'rate', ['nv_cache_num_hits_per_model']),

  // Batching and queueing
  r('batchSize', 'Batch size', 'requests', 'batch', 'gauge', ['tgi_batch_current_size', 'te_batch_next_size']),
  r('batchSize', 'Batch size (inferences per execution)', 'items', 'batch', 'ratio', ['nv_inference_count'], {
    over: ['nv_inference_exec_count'],
  }),
  r('batchTokens', 'Tokens per engine step', 'tokens', 'batch', 'mean', ['vllm:iteration_tokens_total']),
  r(
    'queueTimeMean',
    'Queue time, mean',
    'ms',
    'batch',
    'mean',
    ['vllm:request_queue_time_seconds', 'tgi_request_queue_duration', 'te_request_queue_duration'],
    { scale: ms },
  ),
  r('queueTimeMean', 'Queue time, mean', 'ms', 'batch', 'ratio', ['nv_inference_queue_duration_us'], {
    over: ['nv_inference_request_success'],
    scale: usToMs,
  }),
  r('queueTimeMean', 'Queue time, mean', 'ms', 'batch', 'ratio', ['ts_queue_latency_microseconds'], {
    over: ['ts_inference_requests_total'],
    scale: usToMs,
  }),
  // TorchServe's frontend also keeps the LAST request's queue time and worker-thread time (ms gauges, Level="Host"):
  // read as they stand at each scrape, one request's figure, not an interval's mean like the counters above.
  r('queueTimeLast', 'Queue time, last request (TorchServe)', 'ms', 'batch', 'gauge', ['QueueTime'], { agg: 'max' }),
  r(
    'workerThreadTimeLast',
    'Worker-thread time, last request (TorchServe)',
    'ms',
    'batch',
    'gauge',
    ['WorkerThreadTime'],
    { agg: 'max' },
  ),
  r(
    'queueTimeP99',
    'Queue time, p99',
    'ms',
    'batch',
    'p99',
    ['vllm:request_queue_time_seconds', 'tgi_request_queue_duration', 'te_request_queue_duration'],
    { scale: ms },
  ),

  // The server's own latency
  r('ttftMean', 'Server TTFT, mean', 'ms', 'latency', 'mean', ['vllm:time_to_first_token_seconds'], { scale: ms }),
  r('ttftP50', 'Server TTFT, p50', 'ms', 'latency', 'p50', ['vllm:time_to_first_token_seconds'], { scale: ms }),
  r('ttftP99', 'Server TTFT, p99', 'ms', 'latency', 'p99', ['vllm:time_to_first_token_seconds'], { scale: ms }),
  // vLLM: time_per_output_token_seconds became inter_token_latency_seconds (0.9/0.10).
  r(
    'itlMean',
    'Server inter-token latency, mean',
    'ms',
    'latency',
    'mean',
    [
      'vllm:inter_token_latency_seconds',
      'vllm:time_per_output_token_seconds',
      'tgi_request_mean_time_per_token_duration',
    ],
    { scale: ms },
  ),
  r(
    'itlP99',
    'Server inter-token latency, p99',
    'ms',
    'latency',
    'p99',
    [
      'vllm:inter_token_latency_seconds',
      'vllm:time_per_output_token_seconds',
      'tgi_request_mean_time_per_token_duration',
    ],
    { scale: ms },
  ),
  r(
    'e2eMean',
    'Server E2E latency, mean',
    'ms',
    'latency',
    'mean',
    ['vllm:e2e_request_latency_seconds', 'tgi_request_duration', 'te_request_duration'],
    { scale: ms },
  ),
  r('e2eMean', 'Server E2E latency, mean', 'ms', 'latency', 'mean', ['ray_serve_http_request_latency_ms']),
  r('e2eMean', 'Server E2E latency, mean', 'ms', 'latency', 'mean', [':tensorflow:serving:request_latency'], {
    scale: usToMs,
  }),
  r('e2eMean', 'Server E2E latency, mean', 'ms', 'latency', 'ratio', ['nv_inference_request_duration_us'], {
    over: ['nv_inference_request_success'],
    scale: usToMs,
  }),
  r('e2eMean', 'Server E2E latency, mean', 'ms', 'latency', 'ratio', ['ts_inference_latency_microseconds'], {
    over: ['ts_inference_requests_total'],
    scale: usToMs,
  }),
  r('e2eMean', 'Server E2E latency, mean', 'ms', 'latency', 'mean', ['http_request_duration_seconds'], {
    where: post,
    scale: ms,
  }),
  r(
    'e2eP99',
    'Server E2E latency, p99',
    'ms',
    'latency',
    'p99',
    ['vllm:e2e_request_latency_seconds', 'tgi_request_duration', 'te_request_duration'],
    { scale: ms },
  ),
  r('e2eP99', 'Server E2E latency, p99', 'ms', 'latency', 'p99', ['ray_serve_http_request_latency_ms']),
  r('e2eP99', 'Server E2E latency, p99', 'ms', 'latency', 'p99', [':tensorflow:serving:request_latency'], {
    scale: usToMs,
  }),
  r('e2eP99', 'Server E2E latency, p99', 'ms', 'latency', 'p99', ['http_request_duration_seconds'], {
    where: post,
    scale: ms,
  }),
  r('prefillMean', 'Server prefill time, mean', 'ms', 'latency', 'mean', ['vllm:request_prefill_time_seconds'], {
    scale: ms,
  }),
  r('decodeMean', 'Server decode time, mean', 'ms', 'latency', 'mean', ['vllm:request_decode_time_seconds'], {
    scale: ms,
  }),

  // Tokens (TGI and TEI count them in histograms of per-request lengths: their `_sum` is the running total)
  r('promptTokensPerSec', 'Prompt tokens (server)', 'tokens/s', 'tokens', 'rate', [
    'vllm:prompt_tokens_total',
    'tgi_request_input_length_sum',
    'te_request_input_length_sum',
    'llamacpp:prompt_tokens_total',
  ]),
  r('generationTokensPerSec', 'Generation tokens (server)', 'tokens/s', 'tokens', 'rate', [
    'vllm:generation_tokens_total',
    'tgi_request_generated_tokens_sum',
    'llamacpp:tokens_predicted_total',
  ]),
  // vLLM 0.11+ counts cached prompt tokens itself; before, its prefix-cache hits (in tokens) are the same figure.
  r('cachedTokensPerSec', 'Cached prompt tokens', 'tokens/s', 'tokens', 'rate', [
    'vllm:prompt_tokens_cached_total',
    'vllm:prefix_cache_hits_total',
    'vllm:gpu_prefix_cache_hits_total',
  ]),

  ...tritonPerModel,

  // GPU figures a server reports itself (Triton per GPU, TorchServe on its host)
  r('gpuUtilization', 'GPU utilization', '%', 'gpu', 'gauge', ['nv_gpu_utilization'], {
    scale: 100,
    byLabel: 'gpu_uuid',
  }),
  r('gpuUtilization', 'GPU utilization', '%', 'gpu', 'gauge', ['GPUUtilization'], { agg: 'mean' }),
  r('gpuMemoryUsedMiB', 'GPU memory used', 'MiB', 'gpu', 'gauge', ['nv_gpu_memory_used_bytes'], {
    scale: MiB,
    byLabel: 'gpu_uuid',
  }),
  r('gpuMemoryUsedMiB', 'GPU memory used', 'MiB', 'gpu', 'gauge', ['GPUMemoryUsed']),
  r('gpuMemoryTotalMiB', 'GPU memory total', 'MiB', 'gpu', 'gauge', ['nv_gpu_memory_total_bytes'], {
    scale: MiB,
    byLabel: 'gpu_uuid',
  }),
  r('gpuPowerW', 'GPU power', 'W', 'gpu', 'gauge', ['nv_gpu_power_usage'], { byLabel: 'gpu_uuid' }),
];

/**
 * NVIDIA DCGM exporter (dcgm-exporter's default counters): utilization in %,
 * framebuffer in MiB, power in W, clocks in MHz; one series per `gpu` index.
 */
export const dcgmRules: SeriesRule[] = [
  r('gpuUtilization', 'GPU utilization', '%', 'gpu', 'gauge', ['DCGM_FI_DEV_GPU_UTIL'], { byLabel: 'gpu' }),
  r('gpuMemoryUsedMiB', 'GPU memory used', 'MiB', 'gpu', 'gauge', ['DCGM_FI_DEV_FB_USED'], { byLabel: 'gpu' }),
  r('gpuMemoryFreeMiB', 'GPU memory free', 'MiB', 'gpu', 'gauge', ['DCGM_FI_DEV_FB_FREE'], { byLabel: 'gpu' }),
  r('gpuPowerW', 'GPU power', 'W', 'gpu', 'gauge', ['DCGM_FI_DEV_POWER_USAGE'], { byLabel: 'gpu' }),
  r('gpuSmClockMHz', 'GPU SM clock', 'MHz', 'gpu', 'gauge', ['DCGM_FI_DEV_SM_CLOCK'], { byLabel: 'gpu' }),
  r('gpuMemClockMHz', 'GPU memory clock', 'MHz', 'gpu', 'gauge', ['DCGM_FI_DEV_MEM_CLOCK'], { byLabel: 'gpu' }),
  r('gpuTemperatureC', 'GPU temperature', '°C', 'gpu', 'gauge', ['DCGM_FI_DEV_GPU_TEMP'], { byLabel: 'gpu' }),
];
