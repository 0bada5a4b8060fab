/**
 * A run against a baseline, step by step (same label). Verdicts only on
 * direction-aware quality metrics: latencies (worse when higher) and rates
 * (worse when lower), read through the typed accessors. Counts of work done
 * and configuration differences are context rows, never judged.
 *
 * A change is a regression only when it is beyond run-to-run noise: a seeded
 * percentile-bootstrap 95 % interval of the difference (of medians and of
 * p99s of per-request latencies; of mean per-slice completion rates for
 * rates), computed from the raw records, lies wholly on the worse side, and
 * the change is larger than the threshold. Without records there is no
 * interval and no verdict.
 */
import { seededUniform } from '../stats/random';
import { LATENCY_IDS, RATE_IDS, rateKey, rateName, type LatencyId, type RateId } from '../../shared/resultMetrics';
import type { CompareView, DeltaRow, RunView, StepComparability, StepView } from '../../shared/results';

/** Per-request samples of one step, from the raw records (ms; rates as per-slice values). */
export interface StepSamples {
  latency: Partial<Record<LatencyId, Float64Array>>;
  /** Completions per time slice of the measured window, as rates per second. */
  rates: Partial<Record<RateId, Float64Array>>;
}

export interface CompareOptions {
  /** Samples by step label, for the baseline and the run. */
  samples?: { baseline: Map<string, StepSamples>; run: Map<string, StepSamples> };
  /** A change smaller than this (percent) is never called a regression. */
  thresholdPct?: number;
  /** Bootstrap resamples (default 1000) and seed (default 1): the same inputs give the same interval. */
  iterations?: number;
  seed?: number;
}

/** Quantile q of the values `sorted[i]` taken `counts[i]` times (n in all), linear interpolation between ranks. */
function countedQuantile(sorted: Float64Array, counts: Uint32Array, n: number, q: number): number {
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const frac = pos - lo;
  let seen = 0;
  let loVal = NaN;
  for (let i = 0; i < counts.length; i++) {
    if (!counts[i]) continue;
    seen += counts[i];
    if (Number.isNaN(loVal) && seen > lo) {
      loVal = sorted[i];
      if (frac === 0 || seen > lo + 1) return loVal;
    } else if (!Number.isNaN(loVal)) return loVal + frac * (sorted[i] - loVal);
  }
  return loVal;
}

/** One bootstrap replicate of statistic `stat` of `sorted` (a resample with replacement, O(n)). */
function replicate(sorted: Float64Array, rand: () => number, counts: Uint32Array, stat: 'mean' | number): number {
  const n = sorted.length;
  counts.fill(0);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const k = Math.floor(rand() * n);
    counts[k]++;
    sum += sorted[k];
  }
  return stat === 'mean' ? sum / n : countedQuantile(sorted, counts, n, stat);
}

/**
 * Percentile-bootstrap interval (level 95 %) of stat(run) − stat(baseline),
 * both resampled independently. `stat` is a quantile in [0, 1] or 'mean'.
 */
export function bootstrapDifference(
  baseline: ArrayLike<number>,
  run: ArrayLike<number>,
  stat: 'mean' | number,
  iterations = 1000,
  seed = 1,
): { low: number; high: number } | undefined {
  if (baseline.length < 2 || run.length < 2) return undefined;
  const a = Float64Array.from(baseline).sort();
  const b = Float64Array.from(run).sort();
  const rand = seededUniform(seed);
  const ca = new Uint32Array(a.length);
  const cb = new Uint32Array(b.length);
  const diffs = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) diffs[i] = replicate(b, rand, cb, stat) - replicate(a, rand, ca, stat);
  diffs.sort();
  const at = (q: number) => diffs[Math.min(iterations - 1, Math.max(0, Math.round(q * (iterations - 1))))];
  return { low: at(0.025), high: at(0.975) };
}

/** Why a step of `run` cannot be compared with the baseline's step of the same label (empty: comparable). */
export function workloadDifferences(
  baseline: RunView,
  run: RunView,
  b: StepView | undefined,
  s: StepView | undefined,
): string[] {
  const out: string[] = [];
  if (!b) out.push('the baseline has no such step');
  if (!s) out.push('this run has no such step');
  for (const k of new Set([...Object.keys(baseline.workload), ...Object.keys(run.workload)])) {
    if (baseline.workload[k] !== run.workload[k])
      out.push(`${k}: ${baseline.workload[k] ?? 'not set'} vs ${run.workload[k] ?? 'not set'}`);
  }
  if (b && s && b.sent !== s.sent) out.push(`requests sent: ${b.sent} vs ${s.sent}`);
  return out;
}

function change(base: number, value: number): number {
  return base === 0 ? (value === 0 ? 0 : Infinity) : (value - base) / Math.abs(base);
}

export function compareRuns(baseline: RunView, run: RunView, opts: CompareOptions = {}): CompareView {
  const threshold = (opts.thresholdPct ?? 5) / 100;
  const iterations = opts.iterations ?? 1000;
  const seed = opts.seed ?? 1;
  const rows: DeltaRow[] = [];
  const steps: StepComparability[] = [];
  const byLabel = new Map(baseline.steps.map((s) => [s.label, s]));
  const labels = [...new Set([...baseline.steps.map((s) => s.label), ...run.steps.map((s) => s.label)])];
  for (const label of labels) {
    const b = byLabel.get(label);
    const s = run.steps.find((x) => x.label === label);
    const reasons = workloadDifferences(baseline, run, b, s);
    steps.push({ step: label, comparable: reasons.length === 0, reasons });
    if (!b || !s) continue;
    const comparable = reasons.length === 0;
    const bs = opts.samples?.baseline.get(label);
    const rs = opts.samples?.run.get(label);
    const judged = (
      metric: string,
      unit: string,
      base: number,
      value: number,
      higherBetter: boolean,
      ci: { low: number; high: number } | undefined,
      method: string,
    ) => {
      if (!Number.isFinite(base) || !Number.isFinite(value)) return;
      const c = change(base, value);
      const worseBy = higherBetter ? -c : c;
      // Beyond noise: the whole interval of the difference lies on the worse (or better) side.
      const worseSide = ci ? (higherBetter ? ci.high < 0 : ci.low > 0) : false;
      const betterSide = ci ? (higherBetter ? ci.low > 0 : ci.high < 0) : false;
      const verdict: DeltaRow['verdict'] = !comparable
        ? 'not comparable'
        : !ci
          ? 'no interval'
          : worseSide && worseBy > threshold
            ? 'regression'
            : betterSide && -worseBy > threshold
              ? 'improvement'
              : 'within noise';
      rows.push({
        step: label,
        metric,
        unit,
        baseline: base,
        value,
        change: c,
        kind: 'quality',
        higherIsBetter: higherBetter,
        ci: ci ? { ...ci, level: 0.95, method } : undefined,
        verdict,
        regression: verdict === 'regression',
      });
    };
    for (const id of RATE_IDS) {
      const bv = b.rates[id];
      const v = s.rates[id];
      if (bv === undefined || v === undefined) continue;
      const ci =
        bs?.rates[id] && rs?.rates[id]
          ? bootstrapDifference(bs.rates[id], rs.rates[id], 'mean', iterations, seed)
          : undefined;
      judged(
        rateName(id, run.group).label,
        rateName(id, run.group).unit,
        bv,
        v,
        true,
        ci,
        'bootstrap of per-slice completion rates',
      );
    }
    for (const id of LATENCY_IDS) {
      const bm = b.latency[id];
      const m = s.latency[id];
      if (!bm || !m) continue;
      const bx = bs?.latency[id];
      const rx = rs?.latency[id];
      for (const [st, q] of [
        ['p50', 0.5],
        ['p99', 0.99],
      ] as const) {
        const ci = bx && rx ? bootstrapDifference(bx, rx, q, iterations, seed) : undefined;
        const unit = run.profile === 'vllm' && id === 'itl' ? ' over requests (mean chunk gap of each)' : '';
        judged(
          `${m.label} ${st}`,
          'ms',
          bm[st],
          m[st],
          false,
          ci,
          `bootstrap of the ${st === 'p50' ? 'median' : 'p99'} difference${unit}`,
        );
      }
    }
    // Counts of work done (tokens, requests in flight) and everything else the profile reports: context only.
    const judgedKeys = new Set(RATE_IDS.map((id) => rateKey(id, run.profile, run.group)));
    for (const [k, f] of Object.entries(s.throughput)) {
      const bf = b.throughput[k];
      if (!bf || judgedKeys.has(k) || !Number.isFinite(bf.value) || !Number.isFinite(f.value)) continue;
      rows.push({
        step: label,
        metric: f.label,
        unit: f.unit,
        baseline: bf.value,
        value: f.value,
        change: change(bf.value, f.value),
        kind: 'context',
        regression: false,
      });
    }
    for (const [k, f] of [
      ['completed', 'Completed requests'],
      ['failed', 'Failed requests'],
    ] as const) {
      rows.push({
        step: label,
        metric: f,
        unit: 'requests',
        baseline: b[k],
        value: s[k],
        change: change(b[k], s[k]),
        kind: 'context',
        regression: false,
      });
    }
  }
  return { baselineId: baseline.id, runId: run.id, rows, steps, thresholdPct: threshold * 100 };
}
