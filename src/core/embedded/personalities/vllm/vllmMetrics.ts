/**
 * vLLM's Prometheus families (wire reference §7): running/waiting gauges and
 * KV-cache usage read live from the latency engine, token counters and the
 * latency histograms, labelled `model_name` and `engine` as in vLLM V1.
 * Series handles are resolved once per model: this runs on every request.
 */
import type { JobTimings } from '../../latency/engine';
import type { MetricFamily, SeriesHandle } from '../../metrics/registry';
import type { EmbeddedContext } from '../../personality';

const TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80];
const ITL_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80];
const E2E_BUCKETS = [0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960];
const TOKEN_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

export interface VllmMetrics {
  /** Records one finished sequence (choice). */
  sequence(model: string, t: JobTimings, promptTokens: number, finishReason: string): void;
  /** Counts one prefix-cache lookup: prompt tokens queried and found cached. */
  prefixCache(model: string, queries: number, hits: number): void;
  /** Records one gap between two consecutive output tokens (ms). */
  interToken(model: string, gapMs: number): void;
  render(): string;
}

type Handles = Record<
  | 'prompt'
  | 'generation'
  | 'queries'
  | 'hits'
  | 'cached'
  | 'ttft'
  | 'itl'
  | 'e2e'
  | 'queue'
  | 'prefill'
  | 'decode'
  | 'promptHist'
  | 'genHist',
  SeriesHandle
> & {
  success: Map<string, SeriesHandle>;
};

export function vllmMetrics(ctx: EmbeddedContext): VllmMetrics {
  const m = ctx.metrics;
  const textModels = () => ctx.models.ofKind('text-generation');
  const live = (pick: (s: ReturnType<typeof ctx.engine.textStats>) => number) => () =>
    textModels().map((tm) => ({ labels: { model_name: tm.name, engine: '0' }, value: pick(ctx.engine.textStats(tm)) }));
  m.gauge(
    'vllm:num_requests_running',
    'Number of requests in model execution batches.',
    live((s) => s.running),
  );
  m.gauge(
    'vllm:num_requests_waiting',
    'Number of requests waiting to be processed.',
    live((s) => s.waiting),
  );
  m.gauge(
    'vllm:kv_cache_usage_perc',
    'KV-cache usage. 1 means 100 percent usage.',
    live((s) => s.kvCacheUsage),
  );
  const f: Record<keyof Omit<Handles, 'success'>, MetricFamily> = {
    prompt: m.counter('vllm:prompt_tokens_total', 'Number of prefill tokens processed.'),
    generation: m.counter('vllm:generation_tokens_total', 'Number of generation tokens processed.'),
    queries: m.counter(
      'vllm:prefix_cache_queries_total',
      'Prefix cache queries, in terms of number of queried tokens.',
    ),
    hits: m.counter('vllm:prefix_cache_hits_total', 'Prefix cache hits, in terms of number of cached tokens.'),
    cached: m.counter('vllm:prompt_tokens_cached_total', 'Number of cached prompt tokens (local prefix cache hits).'),
    ttft: m.histogram('vllm:time_to_first_token_seconds', 'Histogram of time to first token in seconds.', TTFT_BUCKETS),
    itl: m.histogram('vllm:inter_token_latency_seconds', 'Histogram of inter-token latency in seconds.', ITL_BUCKETS),
    e2e: m.histogram('vllm:e2e_request_latency_seconds', 'Histogram of e2e request latency in seconds.', E2E_BUCKETS),
    queue: m.histogram(
      'vllm:request_queue_time_seconds',
      'Histogram of time spent in WAITING phase for request.',
      E2E_BUCKETS,
    ),
    prefill: m.histogram(
      'vllm:request_prefill_time_seconds',
      'Histogram of time spent in PREFILL phase for request.',
      E2E_BUCKETS,
    ),
    decode: m.histogram(
      'vllm:request_decode_time_seconds',
      'Histogram of time spent in DECODE phase for request.',
      E2E_BUCKETS,
    ),
    promptHist: m.histogram('vllm:request_prompt_tokens', 'Number of prefill tokens processed.', TOKEN_BUCKETS),
    genHist: m.histogram('vllm:request_generation_tokens', 'Number of generation tokens processed.', TOKEN_BUCKETS),
  };
  const success = m.counter('vllm:request_success_total', 'Count of successfully processed requests.');
  const byModel = new Map<string, Handles>();
  const handles = (model: string): Handles => {
    let h = byModel.get(model);
    if (!h) {
      const labels = { model_name: model, engine: '0' };
      const entries = Object.entries(f).map(([k, fam]) => [k, fam.series(labels)]);
      byModel.set(model, (h = { ...(Object.fromEntries(entries) as Omit<Handles, 'success'>), success: new Map() }));
    }
    return h;
  };
  // vLLM creates every labelled series of each served model at start-up, so a fresh server already
  // exports `vllm:prompt_tokens_total{…} 0.0` and a request_success_total per finished_reason (seen on
  // vLLM 0.32.0): the Servers view reads zeros, not gaps.
  for (const tm of textModels()) {
    const h = handles(tm.name);
    for (const reason of ['stop', 'length', 'abort', 'error', 'repetition'])
      h.success.set(reason, success.series({ model_name: tm.name, engine: '0', finished_reason: reason }));
  }
  return {
    sequence(model, t, promptTokens, finishReason) {
      const h = handles(model);
      let ok = h.success.get(finishReason);
      if (!ok)
        h.success.set(
          finishReason,
          (ok = success.series({ model_name: model, engine: '0', finished_reason: finishReason })),
        );
      ok.inc();
      h.prompt.inc(promptTokens);
      h.generation.inc(t.tokens);
      if (t.tokens > 0) h.ttft.observe(t.ttftMs / 1000);
      h.e2e.observe(t.totalMs / 1000);
      h.queue.observe(t.queueMs / 1000);
      h.prefill.observe(t.prefillMs / 1000);
      h.decode.observe(t.decodeMs / 1000);
      h.promptHist.observe(promptTokens);
      h.genHist.observe(t.tokens);
    },
    prefixCache(model, queries, hits) {
      const h = handles(model);
      h.queries.inc(queries);
      h.hits.inc(hits);
      h.cached.inc(hits);
    },
    interToken(model, gapMs) {
      handles(model).itl.observe(gapMs / 1000);
    },
    render: () => m.render({ prefix: 'vllm:', stripTotalInMeta: true }),
  };
}
