/**
 * Builds the results view model of a run from its result file and raw
 * records: per-step summaries straight from the result (the chosen profile),
 * plus distributions and a timeline that need the records (one pass).
 */
import { readRecordsFile } from '../bench/recordsFile';
import { EV_CHOICE, EV_REASON, EV_TEXT, isSuccess, type RawRecord } from '../bench/record';
import type { BenchResult, StepResult } from '../bench/result';
import { percentileLinear } from '../stats/percentile';
import type { DistributionView, MetricRow, RunView, StepView, TimelineView } from '../../shared/results';

export interface RunIdentity {
  id: string;
  name: string;
  status: RunView['status'];
  resultPath?: string;
}

function metricRow(key: string, m: StepResult['summary']['metrics'][string]): MetricRow {
  const p = (q: string) => m.percentiles[q] ?? NaN;
  return { key, label: m.label, unit: m.unit, mean: m.mean, p50: p('50') ?? m.median, p90: p('90'), p95: p('95'), p99: p('99'), count: m.count };
}

export function stepView(s: StepResult): StepView {
  const rate = s.load.rate;
  return {
    index: s.index,
    label: s.label,
    mode: s.load.mode,
    x: s.load.mode === 'rate' ? (rate === undefined || rate === Infinity ? 'inf' : rate) : (s.load.concurrency ?? 1),
    batchSize: s.load.batchSize,
    completed: s.summary.counts.completed,
    failed: s.summary.counts.failed,
    incomplete: s.incomplete,
    clientBound: s.clientBound,
    throughput: Object.fromEntries(Object.entries(s.summary.throughput).map(([k, f]) => [k, { label: f.label, unit: f.unit, value: f.value }])),
    metrics: Object.fromEntries(Object.entries(s.summary.metrics).map(([k, m]) => [k, metricRow(k, m)])),
    goodputRatio: s.summary.goodput?.ratio,
  };
}

/** Equal-width histogram and a sampled empirical CDF of `values` (sorted in place). */
export function distribution(key: string, label: string, unit: string, values: number[], bins = 40, cdfPoints = 200): DistributionView {
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
function firstTokenMask(profile: BenchResult['profile']): number {
  return profile === 'vllm' ? EV_CHOICE : profile === 'aiperf' ? EV_TEXT | EV_REASON : EV_TEXT;
}

class TimelineBuilder {
  private readonly buckets = new Map<number, number[]>();
  constructor(private readonly widthSec: number) {}
  add(r: RawRecord): void {
    const b = Math.floor((r.t + r.e) / 1000 / this.widthSec);
    let a = this.buckets.get(b);
    if (!a) this.buckets.set(b, (a = []));
    a.push(r.t + r.e - r.q); // response time from the scheduled send
  }
  finish(): TimelineView {
    const out: TimelineView = { t: [], requestsPerSec: [], latencyP50Ms: [], latencyP99Ms: [] };
    for (const [b, lat] of [...this.buckets].sort((x, y) => x[0] - y[0])) {
      lat.sort((x, y) => x - y);
      out.t.push((b + 1) * this.widthSec);
      out.requestsPerSec.push(lat.length / this.widthSec);
      out.latencyP50Ms.push(percentileLinear(lat, 50));
      out.latencyP99Ms.push(percentileLinear(lat, 99));
    }
    return out;
  }
}

/** The view model of one run. Reads the records once; memory grows with the number of successful requests (numbers only). */
export async function buildRunView(id: RunIdentity, result: BenchResult, recordsPath: string | undefined): Promise<RunView> {
  const group = result.config.group;
  const span = Math.max(1, ...result.steps.map((s) => s.window.endMs)) / 1000;
  const timeline = new TimelineBuilder(Math.max(0.25, span / 300));
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
  const distributions =
    group === 'text-generation'
      ? [distribution('ttft', 'TTFT', 'ms', ttft), distribution('itl', 'Inter-token latency', 'ms', itl), distribution('e2el', 'E2E latency', 'ms', e2e)]
      : [distribution('e2el', 'Request latency', 'ms', e2e)];
  return {
    id: id.id,
    name: id.name,
    group,
    profile: result.profile,
    server: { url: result.server.url, kind: result.server.kind, version: result.server.version, model: result.server.model ?? result.config.model },
    startedAt: result.startedAt,
    status: id.status === 'running' ? 'running' : result.incomplete ? 'incomplete' : id.status,
    incompleteReason: result.incompleteReason,
    clientBound: result.clientBound,
    steps: result.steps.map(stepView),
    distributions,
    timeline: timeline.finish(),
    recordsCount,
    resultPath: id.resultPath,
  };
}
