import { defaultPercentiles, percentileKey, type Distribution, type Percentiles } from './describe';
import { lerp } from './percentile';

/**
 * Samples kept as counts per distinct whole microsecond. Exact for values
 * already rounded to the microsecond (every record time is), and its memory
 * grows with the number of distinct values, not of samples: a step's pooled
 * inter-token latencies (one per streamed chunk, millions on long runs) fit in
 * a few thousand entries. Statistics are numpy's, computed from the counts.
 */
export class CountedSamples {
  private readonly counts = new Map<number, number>();
  private n = 0;

  get length(): number {
    return this.n;
  }

  /** Adds a value in milliseconds (kept to the microsecond). */
  push(ms: number): void {
    const us = Math.round(ms * 1000);
    this.counts.set(us, (this.counts.get(us) ?? 0) + 1);
    this.n++;
  }

  /** numpy-style description, as `describe()` would give for the same samples. */
  describe(percentiles: readonly number[] = defaultPercentiles): Distribution {
    const keys = Float64Array.from(this.counts.keys()).sort();
    const cum = new Float64Array(keys.length); // samples with value ≤ keys[k]
    let acc = 0;
    let sum = 0;
    for (let k = 0; k < keys.length; k++) {
      const c = this.counts.get(keys[k])!;
      acc += c;
      cum[k] = acc;
      sum += (keys[k] / 1000) * c;
    }
    const n = this.n;
    const at = (i: number): number => {
      // The i-th smallest sample (0-based): binary search in the cumulative counts.
      let lo = 0;
      let hi = keys.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid] > i) hi = mid;
        else lo = mid + 1;
      }
      return keys[lo] / 1000;
    };
    const p: Percentiles = {};
    if (!n) {
      for (const q of percentiles) p[percentileKey(q)] = NaN;
      return { count: 0, mean: NaN, std: NaN, median: NaN, min: NaN, max: NaN, percentiles: p };
    }
    const mean = sum / n;
    let sq = 0;
    for (const [us, c] of this.counts) sq += c * (us / 1000 - mean) ** 2;
    for (const q of percentiles) {
      const virtual = (n - 1) * (q / 100);
      const lo = Math.floor(virtual);
      const a = at(lo);
      const b = at(Math.min(lo + 1, n - 1));
      p[percentileKey(q)] = lerp(a, b, virtual - lo);
    }
    const mid = n >> 1;
    return {
      count: n,
      mean,
      std: Math.sqrt(sq / n),
      median: n % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2,
      min: at(0),
      max: at(n - 1),
      percentiles: p,
    };
  }
}
