/**
 * One-sample Kolmogorov–Smirnov test: how far an empirical distribution is
 * from a theoretical CDF. Used to check that the open-loop pacer's arrivals
 * really are a Poisson process (exponential gaps).
 */

export interface KsResult {
  /** The KS statistic D = sup |F_n(x) − F(x)|. */
  d: number;
  /** Asymptotic p-value (Kolmogorov distribution with Stephens' small-sample correction). */
  p: number;
  n: number;
}

/** Survival function of the Kolmogorov distribution: P(K > x) = 2 Σ (−1)^(k−1) e^(−2k²x²). */
export function kolmogorovSurvival(x: number): number {
  if (x <= 0) return 1;
  if (x < 0.2) return 1; // the series converges too slowly here and the value is 1 to double precision
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * x * x);
    sum += (k % 2 === 1 ? 1 : -1) * term;
    if (term < 1e-16) break;
  }
  return Math.min(Math.max(2 * sum, 0), 1);
}

export function ksTest(samples: ArrayLike<number>, cdf: (x: number) => number): KsResult {
  const xs = Float64Array.from(samples as ArrayLike<number>).sort();
  const n = xs.length;
  if (n === 0) return { d: NaN, p: NaN, n };
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(xs[i]);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  const sq = Math.sqrt(n);
  return { d, p: kolmogorovSurvival(d * (sq + 0.12 + 0.11 / sq)), n };
}

/** CDF of the exponential distribution with the given rate. */
export function exponentialCdf(rate: number): (x: number) => number {
  return (x) => (x <= 0 ? 0 : 1 - Math.exp(-rate * x));
}
