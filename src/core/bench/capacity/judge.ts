/**
 * Does one load point meet the SLO? Each completed request is judged against
 * the SLO's bounds as it arrives; at fixed looks (minRequests, twice that, …,
 * maxRequests) exact binomial bounds on the share of requests over each
 * bound decide: pass when every share's upper bound is within the allowed
 * share, fail when one share's lower bound is above it, otherwise go on. The
 * error budget (1 − confidence) is split evenly over the looks and the
 * metrics (Bonferroni), so the verdict holds at the stated confidence however
 * many looks were taken.
 *
 * "p99 TTFT ≤ 500 ms" is the same statement as "at most 1 % of requests
 * have TTFT over 500 ms", which is what is tested; with a goodput share
 * (minGoodput) the one share tested is that of requests missing any bound.
 * Latencies run from the scheduled send (a late send counts against the
 * server's SLO, as MLPerf's LoadGen measures from query issue); a failed
 * request misses every bound.
 */
import { lowerBound, upperBound } from '../../stats/binomial';
import { EV_CHOICE, isSuccess, type RawRecord } from '../record';
import type { Slo } from '../spec';

export type SloMetric = 'ttft' | 'tpot' | 'e2el';
export type PointVerdict = 'pass' | 'fail' | 'inconclusive';

export interface JudgeOptions {
  slo: Slo;
  /** 'percentile': each metric's share over its bound ≤ 1 − percentile/100; 'goodput': share missing any bound ≤ 1 − minGoodput. */
  criterion: 'percentile' | 'goodput';
  percentile: number;
  minGoodput?: number;
  confidence: number;
  minRequests: number;
  maxRequests: number;
}

export interface ShareTest {
  /** Requests judged, and those over the bound (or missing any bound, for goodput). */
  n: number;
  over: number;
  share: number;
  /** Exact one-sided bounds on the true share at the per-test level. */
  lower: number;
  upper: number;
  allowed: number;
}

export interface PointJudgement {
  verdict: PointVerdict;
  /** Requests judged when the verdict was reached. */
  requests: number;
  /** Per metric (percentile criterion) or `goodput`. */
  tests: Partial<Record<SloMetric | 'goodput', ShareTest>>;
  /** Nearest-rank percentiles (MLPerf's definition) of the judged requests, ms: the SLO's percentile of each bounded metric. */
  nearestRank: Partial<Record<SloMetric, number>>;
}

/** The looks: minRequests, 2×, 4×, … below maxRequests, then maxRequests. */
export function looksOf(minRequests: number, maxRequests: number): number[] {
  const out: number[] = [];
  for (let n = minRequests; n < maxRequests; n *= 2) out.push(n);
  out.push(maxRequests);
  return out;
}

/** MLPerf's percentile: the value at rank ⌈q/100 · n⌉ of the sorted values (no interpolation). */
export function nearestRank(sorted: ArrayLike<number>, q: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.max(1, Math.ceil((q / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** A request's SLO figures (ms from its scheduled send), or undefined for a failed one. */
export function requestFigures(r: RawRecord): Record<SloMetric, number> | undefined {
  if (!isSuccess(r)) return undefined;
  const late = r.t - r.q;
  let first: number | undefined;
  let last: number | undefined;
  const ev = r.ev;
  if (ev) {
    for (let k = 0; k < ev.length; k += 2) {
      if (!(ev[k + 1] & EV_CHOICE)) continue;
      first ??= ev[k];
      last = ev[k];
    }
  }
  const out = r.ou || r.oo || 0;
  return {
    ttft: late + (first ?? r.e),
    tpot: first !== undefined && last !== undefined && out > 1 ? (last - first) / (out - 1) : 0,
    e2el: late + r.e,
  };
}

export class SloJudge {
  private readonly metrics: SloMetric[];
  private readonly looks: number[];
  private readonly alpha: number;
  private readonly allowed: number;
  private readonly over: Record<SloMetric | 'goodput', number> = { ttft: 0, tpot: 0, e2el: 0, goodput: 0 };
  private readonly values: Record<SloMetric, number[]> = { ttft: [], tpot: [], e2el: [] };
  private n = 0;
  private look = 0;
  private result: PointJudgement | undefined;

  constructor(private readonly o: JudgeOptions) {
    this.metrics = (['ttft', 'tpot', 'e2el'] as const).filter((m) => o.slo[m] !== undefined);
    this.looks = looksOf(o.minRequests, o.maxRequests);
    const tests = o.criterion === 'goodput' ? 1 : this.metrics.length;
    this.alpha = (1 - o.confidence) / (this.looks.length * tests);
    this.allowed = o.criterion === 'goodput' ? 1 - (o.minGoodput ?? 1) : 1 - o.percentile / 100;
  }

  get decided(): boolean {
    return this.result !== undefined;
  }

  /** One completed measured request; ignored once the verdict is in. */
  add(r: RawRecord): void {
    if (this.result) return;
    const f = requestFigures(r);
    this.n++;
    let missed = false;
    for (const m of this.metrics) {
      const v = f ? f[m] : Infinity;
      this.values[m].push(v);
      if (v > this.o.slo[m]!) {
        this.over[m]++;
        missed = true;
      }
    }
    if (missed) this.over.goodput++;
    if (this.n >= this.looks[this.look]) {
      const final = this.look === this.looks.length - 1;
      this.look++;
      this.decide(final);
    }
  }

  /** The verdict now (at the end of a step that stopped before its last look: inconclusive unless decided). */
  finish(): PointJudgement {
    return this.result ?? this.judgement('inconclusive');
  }

  private test(over: number): ShareTest {
    const n = this.n;
    return {
      n,
      over,
      share: n ? over / n : 0,
      lower: lowerBound(over, n, this.alpha),
      upper: upperBound(over, n, this.alpha),
      allowed: this.allowed,
    };
  }

  private tests(): PointJudgement['tests'] {
    if (this.o.criterion === 'goodput') return { goodput: this.test(this.over.goodput) };
    const out: PointJudgement['tests'] = {};
    for (const m of this.metrics) out[m] = this.test(this.over[m]);
    return out;
  }

  private decide(final: boolean): void {
    const tests = Object.values(this.tests());
    if (tests.some((t) => t.lower > t.allowed)) this.result = this.judgement('fail');
    else if (tests.every((t) => t.upper <= t.allowed)) this.result = this.judgement('pass');
    else if (final) this.result = this.judgement('inconclusive');
  }

  private judgement(verdict: PointVerdict): PointJudgement {
    const nearest: PointJudgement['nearestRank'] = {};
    for (const m of this.metrics) {
      const sorted = Float64Array.from(this.values[m]).sort();
      nearest[m] = nearestRank(
        sorted,
        this.o.criterion === 'goodput' ? 100 * (this.o.minGoodput ?? 1) : this.o.percentile,
      );
    }
    return { verdict, requests: this.n, tests: this.tests(), nearestRank: nearest };
  }
}
