/**
 * Percentiles exactly as numpy computes them, so that our figures can be put
 * next to those of vLLM's `bench serve` and GenAI-Perf (both call
 * `np.percentile` with its default `method="linear"`) and of GuideLLM (which
 * takes the first value whose cumulative weight reaches p, numpy's
 * `method="inverted_cdf"`, with weights). Pure code: the webview may import it.
 */

/** A numeric array sorted ascending (the caller sorts once, then asks many percentiles). */
export type SortedValues = ArrayLike<number>;

/** Sorts a copy ascending as a Float64Array (numeric order, not string order). */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(values as ArrayLike<number>);
  out.sort();
  return out;
}

/**
 * numpy's `_lerp`: `a + (b-a)·t`, computed from the upper end when t ≥ 0.5 so
 * that the result is monotonic and exact at t = 1 (numpy ≥ 1.22).
 */
export function lerp(a: number, b: number, t: number): number {
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/**
 * `np.percentile(values, q)` with the default linear method: the virtual index
 * is `(n-1)·q/100`, interpolated between its two neighbours. NaN when empty.
 */
export function percentileLinear(sorted: SortedValues, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const quantile = q / 100;
  const virtual = (n - 1) * quantile;
  const prev = Math.min(Math.max(Math.floor(virtual), 0), n - 1);
  const next = Math.min(prev + 1, n - 1);
  const gamma = virtual - Math.floor(virtual);
  return lerp(sorted[prev], sorted[next], gamma);
}

/** `np.median`: the mean of the two middle values for an even count. */
export function median(sorted: SortedValues): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Weighted inverted-CDF percentile over a probability table, as GuideLLM
 * computes it: the first value whose cumulative probability is ≥ p
 * (`searchsorted(cumsum(probs), p, side="left")`). `values` ascending and unique,
 * `probs` summing to 1.
 */
export function percentileInvertedCdf(values: SortedValues, probs: ArrayLike<number>, q: number): number {
  const n = values.length;
  if (n === 0) return NaN;
  const p = q / 100;
  let cum = 0;
  for (let i = 0; i < n; i++) {
    cum += probs[i];
    if (cum >= p) return values[i];
  }
  // Rounding can leave the cumulative sum a hair under 1: numpy's searchsorted
  // would then index past the end; the last value is what it means.
  return values[n - 1];
}
