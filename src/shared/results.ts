/**
 * The results view model: what the host computes from a run's result file and
 * raw records, and what the results webview draws. Compact by design (binned
 * distributions, decimated timelines), so a 100k-request run stays small.
 */

export type GroupName = 'text-generation' | 'image-classification' | 'embeddings';
export type ProfileId = 'vllm' | 'genai-perf' | 'guidellm' | 'aiperf';

/** One metric of one step: the numbers every chart and table reads. */
export interface MetricRow {
  key: string;
  label: string;
  unit: string;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  count: number;
}

export interface StepView {
  index: number;
  label: string;
  /** The x value of the step: concurrency or rate (rate `Infinity` shown as "inf"). */
  mode: 'concurrency' | 'rate';
  x: number | 'inf';
  batchSize: number;
  completed: number;
  failed: number;
  incomplete: boolean;
  clientBound: boolean;
  /** Throughput figures by key (requestsPerSec, outputTokensPerSec, imagesPerSec, inputsPerSec…). */
  throughput: Record<string, { label: string; unit: string; value: number }>;
  /** Latency-like metrics by key (ttft, tpot, itl, e2el…), in ms. */
  metrics: Record<string, MetricRow>;
  goodputRatio?: number;
}

/** A distribution as a histogram (equal-width bins) and an empirical CDF (sampled). */
export interface DistributionView {
  key: string;
  label: string;
  unit: string;
  count: number;
  /** Bin lower edges and counts; the last bin ends at `binEnd`. */
  bins: number[];
  counts: number[];
  binEnd: number;
  /** CDF points [value, fraction ≤ value], increasing. */
  cdf: Array<[number, number]>;
}

/** Throughput and latency over time, one point per interval. */
export interface TimelineView {
  /** Seconds since run start. */
  t: number[];
  requestsPerSec: number[];
  latencyP50Ms: number[];
  latencyP99Ms: number[];
}

export interface RunView {
  id: string;
  name: string;
  group: GroupName;
  profile: ProfileId;
  server: { url: string; kind?: string; version?: string; model?: string };
  startedAt: string;
  status: 'running' | 'complete' | 'incomplete';
  incompleteReason?: string;
  clientBound: boolean;
  steps: StepView[];
  distributions: DistributionView[];
  timeline: TimelineView;
  recordsCount: number;
  resultPath?: string;
}

export interface DeltaRow {
  step: string;
  metric: string;
  unit: string;
  baseline: number;
  value: number;
  /** Relative change (value − baseline) / baseline. */
  change: number;
  /** Worse by more than the threshold, in the metric's own direction. */
  regression: boolean;
}

export interface CompareView {
  baselineId: string;
  runId: string;
  rows: DeltaRow[];
}

/** Higher is better for throughput and goodput; lower is better for latencies. */
export function higherIsBetter(metricKey: string): boolean {
  return /PerSec|perSec|throughput|goodput/i.test(metricKey);
}

/** The headline figure of a run for lists: the last step's main throughput. */
export function headline(run: Pick<RunView, 'group' | 'steps'>): string {
  const last = run.steps[run.steps.length - 1];
  if (!last) return 'no completed step';
  const key = run.group === 'text-generation' ? 'outputTokensPerSec' : run.group === 'image-classification' ? 'imagesPerSec' : 'inputsPerSec';
  const f = last.throughput[key] ?? last.throughput.requestsPerSec;
  const p99 = last.metrics.e2el?.p99 ?? Object.values(last.metrics)[0]?.p99;
  return `${f ? `${round(f.value)} ${f.unit}` : ''}${p99 !== undefined ? `, p99 ${round(p99)} ms` : ''}`;
}

export function round(v: number, digits = 1): string {
  if (!Number.isFinite(v)) return v === Infinity ? 'inf' : '–';
  const a = Math.abs(v);
  const d = a >= 1000 ? 0 : a >= 100 ? Math.min(digits, 1) : digits + (a < 1 ? 2 : 0);
  return v.toFixed(d);
}
