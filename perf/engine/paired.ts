/**
 * A paired on/off comparison for bench:engine: each pair runs the same load twice back to back (order alternating,
 * so a drift of the machine's load over time cancels), and the figure compared is the log ratio on/off within a
 * pair. The run-to-run noise is the 95 % half-width of the mean log ratio (Student t over the pairs' spread):
 * a difference inside it is not measurable in this run; one outside it is.
 */

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
