/**
 * The results view model: what the host computes from a run's result file and
 * raw records, and what the results webview draws. Compact by design (binned
 * distributions, decimated timelines), so a 100k-request run stays small.
 */
import { benchGroupTable, type BenchGroup } from './benchGroups';
import { formatNumber, HEADLINE } from './format';
import type { LatencyId, RateId } from './resultMetrics';
import type { ServerMetricsView } from './serverMetrics';

export type GroupName = BenchGroup;
export type ProfileId = 'vllm' | 'genai-perf' | 'guidellm' | 'aiperf';

/** One metric of one step: the numbers every chart and table reads. */
export interface MetricRow {
  /** The profile's key (raw `metrics`) or the LatencyId (`latency`). */
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
  /** Measured requests sent in the step. */
  sent: number;
  completed: number;
  failed: number;
  incomplete: boolean;
  clientBound: boolean;
  /**
   * The rates charts and verdicts read, taken from the summary through the
   * typed accessors of src/shared/resultMetrics.ts (absent: not in this profile or group).
   */
  rates: Partial<Record<RateId, number>>;
  /** The latencies charts and verdicts read, in ms, under the tool's name for them (same accessors). */
  latency: Partial<Record<LatencyId, MetricRow>>;
  /** Every figure of the summary under the profile's own keys (exports, context rows of compare). */
  throughput: Record<string, { label: string; unit: string; value: number }>;
  /** Every metric of the summary under the profile's own keys and units. */
  metrics: Record<string, MetricRow>;
  goodputRatio?: number;
  /** LoRA traffic: each adapter's requests as a step of their own (same profile), in spec order. */
  adapters?: Array<{ name: string; step: StepView }>;
  /** A reasoning model's answers: first reasoning and first answer token (ms from send), tokens apart (per request). */
  reasoning?: {
    requests: number;
    /** Requests whose counts are the server's (usage.completion_tokens_details); the rest are our own count. */
    serverCounted: number;
    firstReasoning: MetricRow;
    firstAnswer?: MetricRow;
    reasoningTokens: MetricRow;
    answerTokens: MetricRow;
    totalReasoningTokens: number;
    totalAnswerTokens: number;
  };
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
  /** null where nothing ended in the interval (a gap, not 0 ms). */
  latencyP50Ms: Array<number | null>;
  latencyP99Ms: Array<number | null>;
}

/** A capacity search under an SLO as the results panel draws it (see src/core/bench/capacity). */
export interface CapacityView {
  dimension: 'rate' | 'concurrency';
  searches: Array<{
    batchSize: number;
    capacity: number | null;
    statement: string;
    /** In the order tried; `shares`: per bound (or `goodput`), the share of requests over it and its confidence bounds (0–1). */
    points: Array<{
      load: number;
      verdict: 'pass' | 'fail' | 'inconclusive';
      requests: number;
      shares: Record<string, { share: number; lower: number; upper: number; allowed: number }>;
      scenario: string;
    }>;
  }>;
}

/** mean / p50 / p90 / p99 of one figure. */
export interface SpreadView {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
}

/** A multi-turn sessions step as the results panel draws it: TTFT and prompt length by turn index. */
export interface SessionsView {
  step: string;
  users: number;
  turns: number;
  thinkTimeSec: number;
  conversations: number;
  completed: number;
  durationSec: SpreadView;
  meanTtftMs: SpreadView;
  byTurn: Array<{
    turn: number;
    requests: number;
    succeeded: number;
    ttftMs: SpreadView;
    e2elMs: SpreadView;
    inputTokens: SpreadView;
  }>;
}

/** Prompt tokens a server served from its prefix cache, out of those it was asked for. */
export interface CacheCountView {
  requests: number;
  promptTokens: number;
  cachedTokens: number;
  /** cachedTokens / promptTokens. */
  hitRate: number;
}

/** The run's prefix-cache hit rate as the results panel shows it (result `prefixCache` and each step's). */
export interface PrefixCacheView {
  /** The server's counters over the run (tokens), with their metric names. */
  server?: { queries: number; hits: number; hitRate: number; source: string };
  /** usage.prompt_tokens_details.cached_tokens over the measured requests, all steps. */
  usage?: CacheCountView;
  /** The same per step (steps whose responses carried it). */
  steps: Array<CacheCountView & { step: string }>;
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
  /** What defines the work of each step (group, API, model, lengths, request count…): runs that differ are not comparable. */
  workload: Record<string, string>;
  /** Server, GPU and container series of the run (result `serverMetrics`), one chart group each. */
  serverMetrics?: ServerMetricsView;
  /** Present for a capacity search. */
  capacity?: CapacityView;
  /** Steps of multi-turn sessions (present when there are any). */
  sessions?: SessionsView[];
  /** MLPerf Offline verdicts, one per step (result `offline`), shown under the run's name. */
  offline?: Array<{ step: number; pass: boolean; line: string }>;
  /** Present when the server reported prefix-cache counts (its metrics or the responses' usage). */
  prefixCache?: PrefixCacheView;
}

export interface DeltaRow {
  step: string;
  metric: string;
  unit: string;
  baseline: number;
  value: number;
  /** Relative change (value − baseline) / baseline. */
  change: number;
  /** `quality`: direction-aware and judged; `context`: counts and the like, shown, never judged. */
  kind: 'quality' | 'context';
  higherIsBetter?: boolean;
  /** 95 % interval of the difference (value − baseline) in the metric's unit, from the raw records. */
  ci?: { low: number; high: number; level: number; method: string };
  /** Quality rows: worse beyond noise and threshold, better likewise, within noise, or unjudged. */
  verdict?: 'regression' | 'improvement' | 'within noise' | 'no interval' | 'not comparable';
  regression: boolean;
}

/** Whether a step of the run can be set against the baseline's step of the same label, and if not why. */
export interface StepComparability {
  step: string;
  comparable: boolean;
  reasons: string[];
}

export interface CompareView {
  baselineId: string;
  runId: string;
  rows: DeltaRow[];
  steps: StepComparability[];
  thresholdPct: number;
}

/** The headline figure of a run for lists: the last step's main rate and E2E p99. */
export function headline(run: Pick<RunView, 'group' | 'steps'>): string {
  const last = run.steps[run.steps.length - 1];
  if (!last) return 'no completed step';
  const { headline: rate, unit } = benchGroupTable[run.group];
  const main = last.rates[rate];
  const p99 = last.latency.e2e?.p99;
  return [
    main !== undefined
      ? `${formatNumber(main, HEADLINE)} ${unit}`
      : last.rates.requestsPerSec !== undefined
        ? `${formatNumber(last.rates.requestsPerSec, HEADLINE)} req/s`
        : '',
    p99 !== undefined ? `p99 ${formatNumber(p99, HEADLINE)} ms` : '',
  ]
    .filter(Boolean)
    .join(', ');
}
