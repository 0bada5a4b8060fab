/**
 * bench:engine section 6's statistics on scraping off and on. Pairs: two figures taken close together, one with
 * scraping off and one with it on (the windows of one run, windows.ts), so that a drift of the machine's load over
 * time is the same in both and cancels in their on/off ratio. Over the pairs: the mean log ratio with its Student t
 * interval, the median ratio with its sign-test interval, or a pooled percentile with a paired bootstrap interval.
 * A difference inside the interval is not measurable in this run; one outside it is.
 */
import { percentileLinear } from '../../src/core/stats/percentile';
import { seededUniform } from '../../src/core/stats/random';

/** Two-sided 95 % Student t quantiles for 1–20 degrees of freedom (then ~2.0, 1.96 beyond 60). */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086,
];
const t975 = (df: number) => (df <= 20 ? T975[df - 1] : df <= 60 ? 2.0 : 1.96);

export interface Paired {
  pairs: number;
  /** Mean on/off ratio (geometric mean of the pairs' ratios): 0.97 = 3 % lower with it on. */
  ratio: number;
  /** The pairs' own ratios, in run order. */
  ratios: number[];
  /** Run-to-run noise: the 95 % half-width of the mean ratio, as a fraction (0.02 = ±2 %). */
  noise: number;
  /** Spread of single runs with it off (sample standard deviation / mean), as a fraction. */
  offSpread: number;
  /** 'none': the difference is within the noise; 'lower'/'higher': beyond it. */
  verdict: 'none' | 'lower' | 'higher';
  /** The 95 % interval of the ratio on/off. */
  low: number;
  high: number;
}

/** `off[i]` and `on[i]` come from the same pair; needs at least 2 pairs. */
export function pairedComparison(off: number[], on: number[]): Paired {
  if (off.length !== on.length || off.length < 2) throw new Error('paired comparison needs ≥ 2 pairs of figures');
  const logs = off.map((o, i) => Math.log(on[i] / o));
  const n = logs.length;
  const { mean: m, half } = meanInterval(logs);
  const offMean = off.reduce((a, b) => a + b, 0) / n;
  const offSd = Math.sqrt(off.reduce((a, b) => a + (b - offMean) ** 2, 0) / (n - 1));
  return {
    pairs: n,
    ratio: Math.exp(m),
    ratios: logs.map(Math.exp),
    noise: Math.exp(half) - 1,
    offSpread: offSd / offMean,
    verdict: Math.abs(m) <= half ? 'none' : m < 0 ? 'lower' : 'higher',
    low: Math.exp(m - half),
    high: Math.exp(m + half),
  };
}

/** Percent with two significant digits under 1 % (0.034 %), one decimal above. */
export const pctFine = (x: number) => {
  const v = x * 100;
  return `${Math.abs(v) >= 1 ? v.toFixed(1) : Number(v.toPrecision(2)).toString()} %`;
};

/** Mean of `xs` and its two-sided 95 % Student t interval (needs ≥ 2 values). */
export function meanInterval(xs: number[]): { mean: number; half: number; low: number; high: number } {
  if (xs.length < 2) throw new Error('an interval needs ≥ 2 values');
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const half = (t975(n - 1) * sd) / Math.sqrt(n);
  return { mean, half, low: mean - half, high: mean + half };
}

export interface LossVerdict {
  /**
   * 'none': no measurable loss and the 95 % interval stays under the target (the loss is at most `bound`);
   * 'small': measurable (the interval excludes 0) but under the target; 'missed': measurable beyond the target;
   * 'not-shown': the interval reaches past the target without showing a loss (too noisy to tell).
   */
  status: 'none' | 'small' | 'missed' | 'not-shown';
  /** The largest loss the 95 % interval allows (fraction, ≥ 0). */
  bound: number;
  text: string;
}

/**
 * The verdict on one loss figure, from its 95 % interval as fractions of what the engine measures (0.01 = 1 %
 * worse with scraping on). `kind` 'difference': an on − off difference, which may come out negative or cross 0
 * (measurable only when the interval excludes 0); 'cost': the scraper's own share, which is > 0 by nature and is
 * itself the bound on the loss (never "measurable": a cost, not a disturbance seen in the engine's figures).
 */
export function lossVerdict(
  interval: { low: number; high: number },
  target: number,
  kind: 'difference' | 'cost',
): LossVerdict {
  const bound = Math.max(0, interval.high);
  const range = `95 % interval ${pctFine(interval.low)} to ${pctFine(interval.high)}`;
  if (kind === 'difference' && interval.low > 0) {
    const status = interval.low > target ? 'missed' : interval.high > target ? 'not-shown' : 'small';
    const text =
      status === 'missed'
        ? `MEASURABLE LOSS above the ${pctFine(target)} target (${range})`
        : status === 'small'
          ? `measurable loss, under the ${pctFine(target)} target: ≤ ${pctFine(bound)} at 95 % (${range})`
          : `measurable loss; whether it stays under the ${pctFine(target)} target is NOT SHOWN (${range})`;
    return { status, bound, text };
  }
  if (bound <= target)
    return { status: 'none', bound, text: `no measurable loss: ≤ ${pctFine(bound)} at 95 % (${range})` };
  return {
    status: 'not-shown',
    bound,
    text: `NOT SHOWN: a loss up to ${pctFine(bound)} is within the 95 % interval (${range}), more than the ${pctFine(target)} target — too noisy, rerun on a quieter machine or with more pairs`,
  };
}

/** One verdict over several loss figures (each with its name): the weakest one decides, the largest bound is quoted. */
export function overallVerdict(parts: Array<{ name: string; v: LossVerdict }>): string {
  const bound = Math.max(...parts.map((p) => p.v.bound));
  const names = (s: LossVerdict['status']) =>
    parts
      .filter((p) => p.v.status === s)
      .map((p) => p.name)
      .join(', ');
  if (names('missed')) return `MEASURABLE LOSS beyond the target: ${names('missed')}`;
  if (names('not-shown')) return `NOT SHOWN: too noisy to bound ${names('not-shown')} under the target`;
  if (names('small')) return `a measurable but small loss (${names('small')}): ≤ ${pctFine(bound)} at 95 %`;
  return `no measurable loss: ≤ ${pctFine(bound)} at 95 %`;
}

export interface PairedMedian {
  pairs: number;
  /** Median of the pairs' on/off ratios: 0.97 = 3 % lower with it on in the typical pair. */
  ratio: number;
  /** Its distribution-free interval (sign test: order statistics of the pairs' ratios), at least 95 %. */
  low: number;
  high: number;
  /** The interval's exact confidence (≥ 0.95; 1 − 2·P(Binomial(n, ½) < k)). */
  confidence: number;
}

/**
 * The median of the pairs' on/off ratios and its sign-test interval: between the k-th smallest and k-th largest
 * ratio, k the largest with 2·P(Binomial(n, ½) ≤ k − 1) ≤ 5 %. Distribution-free: a burst of other work that lands
 * in one window of a pair moves that pair's ratio far, which widens a mean's t interval, but moves this interval by
 * at most one rank. Needs ≥ 6 pairs (with fewer, no pair of order statistics reaches 95 %).
 */
export function pairedMedian(off: number[], on: number[]): PairedMedian {
  if (off.length !== on.length || off.length < 6) throw new Error('a sign-test interval needs ≥ 6 pairs of figures');
  const n = off.length;
  const logs = off.map((o, i) => Math.log(on[i] / o)).sort((a, b) => a - b);
  // P(X ≤ j) for X ~ Binomial(n, ½), j = 0, 1, …: the largest k with 2·P(X ≤ k − 1) ≤ 0.05.
  let k = 0;
  let term = 0.5 ** n; // P(X = 0)
  let cdf = term;
  while (2 * cdf <= 0.05) {
    k++;
    term = (term * (n - k + 1)) / k;
    cdf += term;
  }
  const below = 2 * (cdf - term); // 2·P(X ≤ k − 1)
  const mid = n % 2 ? logs[(n - 1) / 2] : (logs[n / 2 - 1] + logs[n / 2]) / 2;
  return {
    pairs: n,
    ratio: Math.exp(mid),
    low: Math.exp(logs[k - 1]),
    high: Math.exp(logs[n - k]),
    confidence: 1 - below,
  };
}

/**
 * A percentile of all the requests of the "on" windows against the same percentile of all those of the "off"
 * windows (`on`/`off` sorted latencies per window, off[i] and on[i] from pair i), with a paired bootstrap 95 %
 * interval: `resamples` times, draw n pairs with replacement (seeded: the same figures give the same interval), pool
 * their on and off requests, take the ratio; the interval is the 2.5th to 97.5th percentile of those ratios. A
 * pooled p99 rests on thousands of requests where one window's rests on a few; resampling whole pairs keeps each
 * pair's common drift in both arms, so it still cancels.
 */
export function pooledPercentileRatio(
  off: Float64Array[],
  on: Float64Array[],
  p: number,
  o: { resamples?: number; seed?: number } = {},
): { ratio: number; low: number; high: number; off: number; on: number } {
  if (off.length !== on.length || off.length < 2) throw new Error('a paired bootstrap needs ≥ 2 pairs of windows');
  const n = off.length;
  const pooled = (xs: Float64Array[], pick: ArrayLike<number>) => {
    let len = 0;
    for (let k = 0; k < pick.length; k++) len += xs[pick[k]].length;
    const out = new Float64Array(len);
    let at = 0;
    for (let k = 0; k < pick.length; k++) {
      out.set(xs[pick[k]], at);
      at += xs[pick[k]].length;
    }
    return out.sort();
  };
  const all = Array.from({ length: n }, (_, k) => k);
  const offP = percentileLinear(pooled(off, all), p);
  const onP = percentileLinear(pooled(on, all), p);
  const random = seededUniform(o.seed ?? 1);
  const ratios = new Float64Array(o.resamples ?? 1000);
  const pick = new Uint32Array(n);
  for (let b = 0; b < ratios.length; b++) {
    for (let k = 0; k < n; k++) pick[k] = Math.floor(random() * n);
    ratios[b] = percentileLinear(pooled(on, pick), p) / percentileLinear(pooled(off, pick), p);
  }
  ratios.sort();
  return {
    ratio: onP / offP,
    low: percentileLinear(ratios, 2.5),
    high: percentileLinear(ratios, 97.5),
    off: offP,
    on: onP,
  };
}
