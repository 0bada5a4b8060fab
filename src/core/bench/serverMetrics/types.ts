/**
 * Server, GPU and container series as the result file stores them: one
 * shared time axis per source, in milliseconds since the run started (the
 * clock origin of the raw records' `t`), and one value per time (null where
 * the interval gave nothing to compute, e.g. a rate at the first scrape).
 */
import type { CrossCheckView } from '../../../shared/serverMetrics';

/** Gauge groups: one chart each in the results panel. */
export type GaugeGroup = 'requests' | 'cache' | 'batch' | 'latency' | 'tokens' | 'triton' | 'gpu' | 'container';

export interface MetricSeries {
  /** Vocabulary key (`requestsRunning`, `kvCacheUsage`, `tritonQueueMs`…). */
  key: string;
  label: string;
  unit: string;
  group: GaugeGroup;
  /** Per-model or per-GPU series: the label value (Triton model, GPU index or UUID). */
  entity?: string;
  /** The metric name read (the first of the rule's names the server had). */
  source: string;
  values: Array<number | null>;
  /**
   * Only for a histogram quantile with at least one value known only as a bound, aligned with `values`: 'ge' =
   * at least the value (the quantile fell in the +Inf bucket, the value is the highest finite bound), 'le' = at
   * most the value (interpolation overshot mean / (1 − q), which bounds the quantile); null = an estimate.
   */
  bounds?: Array<'ge' | 'le' | null>;
}

export interface SeriesSet {
  /** Sample times, ms since the run's start (same origin as the records' `t`). */
  t: number[];
  series: MetricSeries[];
}

export type GpuSource = 'dcgm' | 'nvidia-smi' | 'nvidia-smi in container' | 'none';

export interface CrossCheck extends CrossCheckView {
  key: 'promptTokens' | 'generationTokens' | 'requestRate' | 'queueVsTtft';
}

export interface ServerMetricsResult {
  /** False when turned off (`--no-server-metrics`); then nothing else is filled. */
  enabled: boolean;
  /** The Prometheus endpoint read, without credentials. */
  url?: string;
  intervalMs: number;
  /** Server scrapes that answered with Prometheus text, and those that did not. */
  scrapes: { ok: number; failed: number; lastError?: string };
  /** Why no server series exist, when none do. */
  unavailableReason?: string;
  server: SeriesSet;
  gpu: SeriesSet & { source: GpuSource; detail: string };
  container?: SeriesSet & { id: string; name: string };
  /** Every scraped sample as a series (JSONL next to the records; see rawSeries.ts). */
  rawPath?: string;
  crossChecks: CrossCheck[];
}

/** One live point (progress event `server-metrics`). */
export interface ServerMetricsPoint {
  type: 'server-metrics';
  source: 'server' | 'gpu' | 'container';
  /** ms since the run's start. */
  tMs: number;
  values: Array<Omit<MetricSeries, 'values' | 'bounds'> & { value: number | null; bound?: 'ge' | 'le' }>;
}

/** Progress event at the start of scraping: where the series come from, in words. */
export interface ServerMetricsInfo {
  type: 'server-metrics-info';
  url?: string;
  intervalMs: number;
  /** Why no server series will come, when that is known at the start. */
  unavailableReason?: string;
  /** Where GPU figures come from, or why there are none. */
  gpu: string;
}
