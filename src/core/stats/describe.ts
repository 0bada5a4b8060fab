import { median, percentileLinear, sortedCopy } from './percentile';

/** Percentile label → value, e.g. `{ "50": 12.1, "99": 40.3, "99.9": 55 }`. */
export type Percentiles = Record<string, number>;

/** Summary of one metric over a set of samples. */
export interface Distribution {
  count: number;
  mean: number;
  /** Population standard deviation (numpy's default `ddof=0`). */
  std: number;
  median: number;
  min: number;
  max: number;
  percentiles: Percentiles;
}

/** The percentiles every summary carries unless asked otherwise. */
export const defaultPercentiles: readonly number[] = [25, 50, 75, 90, 95, 99, 99.9];

/** The key under which a percentile is stored: "99", "99.9". */
export function percentileKey(q: number): string {
  return String(q);
}

/** Sum in the order given (our samples are few enough that ordering effects stay below 1e-12 relative). */
function sum(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s;
}

/** `np.mean`. NaN for an empty array. */
export function mean(values: ArrayLike<number>): number {
  return values.length ? sum(values) / values.length : NaN;
}

/** `np.std` (population): sqrt(mean(|x − mean|²)). */
export function stdPopulation(values: ArrayLike<number>, m = mean(values)): number {
  if (!values.length) return NaN;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += (values[i] - m) ** 2;
  return Math.sqrt(s / values.length);
}

/**
 * A numpy-style description: mean, population std, median, min, max and
 * linear-interpolation percentiles (`sortInPlace`: sort the caller's
 * Float64Array instead of a copy). An empty input gives count 0 and NaN values
 * (profiles decide how their tool reports an empty set).
 */
export function describe(
  values: ArrayLike<number>,
  percentiles: readonly number[] = defaultPercentiles,
  sortInPlace = false,
): Distribution {
  // In place when the caller hands over a fresh copy: a step's pooled ITL can be millions of samples.
  const sorted = sortInPlace && values instanceof Float64Array ? values.sort() : sortedCopy(values);
  const m = mean(sorted);
  const out: Percentiles = {};
  for (const q of percentiles) out[percentileKey(q)] = percentileLinear(sorted, q);
  return {
    count: sorted.length,
    mean: m,
    std: stdPopulation(sorted, m),
    median: median(sorted),
    min: sorted.length ? sorted[0] : NaN,
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    percentiles: out,
  };
}
