/**
 * Builds the results view model of a run from its result file and raw
 * records: per-step summaries straight from the result (the chosen profile),
 * plus distributions and a timeline that need the records (one pass).
 */
import { readRecordsFile } from '../bench/recordsFile';
import { EV_CHOICE, EV_REASON, EV_TEXT, isSuccess, type RawRecord } from '../bench/record';
import type { BenchResult, StepResult } from '../bench/result';
import { serverMetricsView } from '../bench/serverMetrics/view';
import { percentileLinear } from '../stats/percentile';
import {
  LATENCY_IDS,
  latencyAccessor,
  RATE_IDS,
  rateKey,
  type LatencyId,
  type RateId,
} from '../../shared/resultMetrics';
import {
  headline,
  type CapacityView,
  type DistributionView,
  type GroupName,
  type MetricRow,
  type ProfileId,
  type RunView,
  type StepView,
  type TimelineView,
} from '../../shared/results';

export interface RunIdentity {
  id: string;
  name: string;
  status: RunView['status'];
  resultPath?: string;
}

function metricRow(key: string, m: StepResult['summary']['metrics'][string]): MetricRow {
  const p = (q: string) => m.percentiles[q] ?? NaN;
  return {
    key,
    label: m.label,
    unit: m.unit,
    mean: m.mean,
    p50: p('50') ?? m.median,
    p90: p('90'),
    p95: p('95'),
    p99: p('99'),
    count: m.count,
  };
}

/** The rates of a step summary, read through the typed accessors (absent when the profile or group has none). */
export function ratesOf(
  summary: StepResult['summary'],
  profile: ProfileId,
  group: GroupName,
): Partial<Record<RateId, number>> {
  const out: Partial<Record<RateId, number>> = {};
  for (const id of RATE_IDS) {
    const key = rateKey(id, profile, group);
    const f = key === undefined ? undefined : summary.throughput[key];
    if (f) out[id] = f.value;
  }
  return out;
}

/** The latencies of a step summary in ms, under the tool's name, through the typed accessors. */
export function latenciesOf(
  summary: StepResult['summary'],
  profile: ProfileId,
  group: GroupName,
): Partial<Record<LatencyId, MetricRow>> {
  const out: Partial<Record<LatencyId, MetricRow>> = {};
  for (const id of LATENCY_IDS) {
    const a = latencyAccessor(id, profile, group);
    const m = a && summary.metrics[a.key];
    if (!a || !m) continue;
    const row = metricRow(id, m);
    out[id] = {
      ...row,
      label: a.label,
      unit: 'ms',
      mean: row.mean * a.toMs,
      p50: row.p50 * a.toMs,
      p90: row.p90 * a.toMs,
      p95: row.p95 * a.toMs,
      p99: row.p99 * a.toMs,
    };
  }
  return out;
}

export function stepView(s: StepResult, profile: ProfileId, group: GroupName): StepView {
  const rate = s.load.rate;
  return {
    index: s.index,
    label: s.label,
    mode: s.load.mode,
    x: s.load.mode === 'rate' ? (rate === undefined || rate === Infinity ? 'inf' : rate) : (s.load.concurrency ?? 1),
    batchSize: s.load.batchSize,
    sent: s.requests.sent,
    completed: s.summary.counts.completed,
    failed: s.summary.counts.failed,
    incomplete: s.incomplete,
    clientBound: s.clientBound,
    rates: ratesOf(s.summary, profile, group),
    latency: latenciesOf(s.summary, profile, group),
    throughput: Object.fromEntries(
      Object.entries(s.summary.throughput).map(([k, f]) => [k, { label: f.label, unit: f.unit, value: f.value }]),
    ),
    metrics: Object.fromEntries(Object.entries(s.summary.metrics).map(([k, m]) => [k, metricRow(k, m)])),
    goodputRatio: s.summary.goodput?.ratio,
    ...(s.summary.reasoning && { reasoning: reasoningView(s.summary.reasoning) }),
    ...(s.summary.adapters && {
      adapters: s.summary.adapters.map((a) => ({
        name: a.name,
        step: stepView(
          { ...s, summary: a.summary, requests: { ...s.requests, sent: a.summary.counts.total } },
          profile,
          group,
        ),
      })),
    }),
  };
}

function reasoningView(x: NonNullable<StepResult['summary']['reasoning']>): NonNullable<StepView['reasoning']> {
  return {
    requests: x.requests,
    serverCounted: x.serverCounted,
    firstReasoning: metricRow('timeToFirstReasoningToken', x.timeToFirstReasoningToken),
    ...(x.timeToFirstOutputToken && { firstAnswer: metricRow('timeToFirstOutputToken', x.timeToFirstOutputToken) }),
    reasoningTokens: metricRow('reasoningTokens', x.reasoningTokens),
    answerTokens: metricRow('answerTokens', x.answerTokens),
    totalReasoningTokens: x.totalReasoningTokens,
    totalAnswerTokens: x.totalAnswerTokens,
  };
}

/** The headline of a finished run for the runs list: its last step's main rate and E2E p99, read through the accessors. */
export function runHeadline(r: BenchResult): string | undefined {
  if (!r.steps.length) return undefined;
  return headline({ group: r.config.group, steps: r.steps.map((s) => stepView(s, r.profile, r.config.group)) });
}

const len = (l: { mean: number; std?: number; min?: number; max?: number }) =>
  `mean ${l.mean}${l.std ? ` ± ${l.std}` : ''}${l.min !== undefined ? ` min ${l.min}` : ''}${l.max !== undefined ? ` max ${l.max}` : ''}`;

/** What defines the work of a run's steps: two runs that differ here are not comparable step by step. */
export function workloadOf(c: BenchResult['config']): Record<string, string> {
  const w: Record<string, string> = {
    group: c.group,
    api: c.api,
    model: c.model,
    'requests per step': c.requests !== undefined ? String(c.requests) : `${c.durationSec ?? '?'} s`,
    'warm-up requests': String(c.warmup),
  };
  if (c.group === 'text-generation') {
    Object.assign(w, {
      'input tokens': c.text.dataset ? `dataset ${c.text.dataset}` : len(c.text.inputTokens),
      'output tokens': len(c.text.outputTokens),
      ignore_eos: String(c.text.ignoreEos),
    });
  } else if (c.group === 'embeddings') {
    w['input tokens'] = len(c.embeddings.inputTokens);
  } else {
    Object.assign(w, {
      'image shape': c.image.shape?.join('×') ?? 'from the model',
      images: c.image.imagesDir ? `files in ${c.image.imagesDir}` : 'synthetic',
    });
  }
  return w;
}

/** Equal-width histogram and a sampled empirical CDF of `values` (sorted in place). */
export function distribution(
  key: string,
  label: string,
  unit: string,
  values: number[],
  bins = 40,
  cdfPoints = 200,
): DistributionView {
  values.sort((a, b) => a - b);
  const n = values.length;
  if (!n) return { key, label, unit, count: 0, bins: [], counts: [], binEnd: 0, cdf: [] };
  const lo = values[0];
  // The top 0.1 % would stretch the axis over one or two outliers; they go in the last bin.
  const hi = Math.max(percentileLinear(values, 99.9), lo + 1e-9);
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width)))]++;
  const edges = counts.map((_, i) => lo + i * width);
  const cdf: Array<[number, number]> = [];
  const step = Math.max(1, Math.floor(n / cdfPoints));
  for (let i = step - 1; i < n; i += step) cdf.push([values[i], (i + 1) / n]);
  if (cdf[cdf.length - 1]?.[1] !== 1) cdf.push([values[n - 1], 1]);
  return { key, label, unit, count: n, bins: edges, counts, binEnd: hi, cdf };
}

/** First content event per the profile's TTFT rule: vLLM counts the first chunk with choices, AIPerf text or reasoning, the others the first non-empty text. */
export function firstTokenMask(profile: BenchResult['profile']): number {
  return profile === 'vllm' ? EV_CHOICE : profile === 'aiperf' ? EV_TEXT | EV_REASON : EV_TEXT;
}

/**
 * Client throughput and latency over the run, in equal bins that cover the measured run [first step's start, span]. A bin in
 * which nothing ended is drawn as 0 req/s with no latency (a gap), never left out: leaving it out joined the
 * neighbouring bins' lines, so a run at 0.65 req/s with 0.25 s bins read as 4 req/s throughout. The bin width aims at
 * about five completions per bin (so a bin's rate is not mostly quantisation), between max(0.25 s, span/300) and
 * span/4.
 */
export class TimelineBuilder {
  private readonly ends: number[] = [];
  private readonly latencies: number[] = [];
  /** `startSec`: where the first step's measured phase begins (its warm-up is not counted, as in the live chart). */
  constructor(
    private readonly spanSec: number,
    private readonly startSec = 0,
  ) {}
  add(r: RawRecord): void {
    this.ends.push((r.t + r.e) / 1000);
    this.latencies.push(r.t + r.e - r.q); // response time from the scheduled send
  }
  finish(): TimelineView {
    const out: TimelineView = { t: [], requestsPerSec: [], latencyP50Ms: [], latencyP99Ms: [] };
    const n = this.ends.length;
    if (!n) return out;
    let end = this.spanSec;
    let start = Number.isFinite(this.startSec) ? this.startSec : 0;
    for (const e of this.ends) {
      if (e > end) end = e;
      if (e < start) start = e;
    }
    const span = end - start;
    const minWidth = Math.max(0.25, span / 300);
    const width = Math.min(Math.max(minWidth, span / 4), Math.max(minWidth, (5 * span) / n));
    const bins = Math.max(1, Math.round(span / width));
    const w = span / bins;
    const buckets: number[][] = Array.from({ length: bins }, () => []);
    for (let i = 0; i < n; i++)
      buckets[Math.min(bins - 1, Math.floor((this.ends[i] - start) / w))].push(this.latencies[i]);
    buckets.forEach((lat, b) => {
      lat.sort((x, y) => x - y);
      out.t.push(start + (b + 1) * w);
      out.requestsPerSec.push(lat.length / w);
      out.latencyP50Ms.push(lat.length ? percentileLinear(lat, 50) : null);
      out.latencyP99Ms.push(lat.length ? percentileLinear(lat, 99) : null);
    });
    return out;
  }
}

/** The view model of one run. Reads the records once; memory grows with the number of successful requests (numbers only). */
export async function buildRunView(
  id: RunIdentity,
  result: BenchResult,
  recordsPath: string | undefined,
): Promise<RunView> {
  const group = result.config.group;
  const span = Math.max(1, ...result.steps.map((s) => s.window.endMs)) / 1000;
  const timeline = new TimelineBuilder(span, Math.min(...result.steps.map((s) => s.window.startMs)) / 1000);
  const ttft: number[] = [];
  const itl: number[] = [];
  const e2e: number[] = [];
  const mask = firstTokenMask(result.profile);
  let recordsCount = 0;
  if (recordsPath) {
    try {
      for await (const line of readRecordsFile(recordsPath)) {
        if (line.kind !== 'record') continue;
        const r = line.record;
        recordsCount++;
        if (r.w || !isSuccess(r)) continue;
        timeline.add(r);
        e2e.push(r.e);
        if (group !== 'text-generation' || !r.ev) continue;
        let prev = -1;
        for (let k = 0; k < r.ev.length; k += 2) {
          const flags = r.ev[k + 1];
          if (!(flags & (EV_CHOICE | EV_TEXT))) continue;
          if (prev < 0) {
            if (flags & mask) {
              ttft.push(r.ev[k]);
              prev = r.ev[k];
            }
          } else {
            itl.push(r.ev[k] - prev);
            prev = r.ev[k];
          }
        }
      }
    } catch {
      // Records missing or unreadable: the summaries of the result file still stand.
    }
  }
  // Labelled like the same metric in the percentile charts (the tool's name for it), in ms.
  const e2eLabel = latencyAccessor('e2e', result.profile, group)?.label ?? 'E2E latency';
  const distributions =
    group === 'text-generation'
      ? [
          distribution('ttft', latencyAccessor('ttft', result.profile, group)?.label ?? 'TTFT', 'ms', ttft),
          distribution('gap', 'Gap between streamed tokens', 'ms', itl),
          distribution('e2e', e2eLabel, 'ms', e2e),
        ]
      : [distribution('e2e', e2eLabel, 'ms', e2e)];
  return {
    id: id.id,
    name: id.name,
    group,
    profile: result.profile,
    server: {
      url: result.server.url,
      kind: result.server.kind,
      version: result.server.version,
      model: result.server.model ?? result.config.model,
    },
    startedAt: result.startedAt,
    status: id.status === 'running' ? 'running' : result.incomplete ? 'incomplete' : id.status,
    incompleteReason: result.incompleteReason,
    clientBound: result.clientBound,
    steps: result.steps.map((s) => stepView(s, result.profile, group)),
    distributions,
    timeline: timeline.finish(),
    recordsCount,
    resultPath: id.resultPath,
    workload: workloadOf(result.config),
    ...(result.serverMetrics && { serverMetrics: serverMetricsView(result.serverMetrics) }),
    ...(result.capacity && { capacity: capacityView(result.capacity) }),
    ...(result.steps.some((s) => s.sessions) && {
      sessions: result.steps.flatMap((s) => (s.sessions ? [{ step: s.label, ...s.sessions }] : [])),
    }),
    ...(result.prefixCache && {
      prefixCache: {
        ...result.prefixCache,
        steps: result.steps.flatMap((s) => (s.prefixCache ? [{ step: s.label, ...s.prefixCache }] : [])),
      },
    }),
    ...(result.offline?.length && {
      offline: result.offline.map((o) => ({ step: o.step, pass: o.pass, line: o.line })),
    }),
  };
}

/** The capacity search of a result, as the panel's capacity chart reads it. */
export function capacityView(c: NonNullable<BenchResult['capacity']>): CapacityView {
  return {
    dimension: c.dimension,
    searches: c.searches.map((s) => ({
      batchSize: s.batchSize,
      capacity: s.capacity,
      statement: s.statement,
      points: s.points.map((p) => ({
        load: p.load,
        verdict: p.judgement.verdict,
        requests: p.judgement.requests,
        shares: Object.fromEntries(
          Object.entries(p.judgement.tests).map(([k, t]) => [
            k,
            { share: t.share, lower: t.lower, upper: t.upper, allowed: t.allowed },
          ]),
        ),
        scenario: p.scenario.line,
      })),
    })),
  };
}
