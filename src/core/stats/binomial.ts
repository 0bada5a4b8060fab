/**
 * Exact (Clopper–Pearson) confidence bounds for a binomial proportion, by
 * bisection on the binomial CDF computed in log space. Used to decide
 * whether a share of requests over an SLO bound is below an allowed share
 * (p99 ≤ bound ⇔ at most 1 % of requests over it) with a stated confidence.
 */

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; ~15 significant digits). */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** P(X ≤ k) for X ~ Binomial(n, p). */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  const lnC = logGamma(n + 1);
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  let sum = 0;
  for (let i = 0; i <= k; i++) sum += Math.exp(lnC - logGamma(i + 1) - logGamma(n - i + 1) + i * lp + (n - i) * lq);
  return Math.min(1, sum);
}

function bisect(f: (p: number) => boolean): number {
  // f is true on [0, root) and false on (root, 1].
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid)) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * One-sided upper bound: the largest p still consistent, at level alpha, with
 * seeing only `x` of `n`: P(X ≤ x; p) = alpha. 1 when x = n.
 */
export function upperBound(x: number, n: number, alpha: number): number {
  if (x >= n) return 1;
  return bisect((p) => binomialCdf(x, n, p) > alpha);
}

/** One-sided lower bound: the smallest p consistent with seeing `x` or more: P(X ≥ x; p) = alpha. 0 when x = 0. */
export function lowerBound(x: number, n: number, alpha: number): number {
  if (x <= 0) return 0;
  return bisect((p) => 1 - binomialCdf(x - 1, n, p) < alpha);
}
