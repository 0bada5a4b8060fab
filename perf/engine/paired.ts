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
  const m = logs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(logs.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1));
  const half = (t975(n - 1) * sd) / Math.sqrt(n);
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

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/**
 * One line in words. `worse` says which direction is a loss ('lower' for req/s, 'higher' for CPU per request);
 * `target` the largest loss allowed (0.02 = 2 %). "no measurable loss" only when the difference is inside the
 * printed noise; the target is met only when the 95 % interval also rules out a loss above it.
 */
export function pairedVerdict(what: string, p: Paired, worse: 'lower' | 'higher', target: number): string {
  const diff = p.ratio - 1;
  const head = `${what}: on/off ${p.ratio.toFixed(3)} (${diff >= 0 ? '+' : ''}${pct(diff)}), run-to-run noise ±${pct(p.noise)} (95 %, ${p.pairs} pairs)`;
  const worstLoss = worse === 'lower' ? 1 - p.low : p.high - 1;
  const t = `loss < ${pct(target)}`;
  if (p.verdict === worse) return `${head} → MEASURABLE LOSS of ${pct(Math.abs(diff))} → target ${t} MISSED`;
  const what2 =
    p.verdict === 'none'
      ? 'no measurable loss (the difference is within the noise)'
      : 'better with scraping on, beyond the noise (a drift the pairing did not cancel, not a gain)';
  return worstLoss <= target
    ? `${head} → ${what2}; the 95 % interval rules out a loss above ${pct(Math.max(0, worstLoss))} → target ${t} met`
    : `${head} → ${what2}; but a loss up to ${pct(worstLoss)} is within the noise → target ${t} NOT SHOWN by this run (too noisy: rerun on a quiet machine)`;
}
