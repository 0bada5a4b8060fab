import { defaultPercentiles, percentileKey, type Distribution, type Percentiles } from './describe';
import { percentileInvertedCdf } from './percentile';

/**
 * Weighted distributions the way GuideLLM builds them: values with weights
 * become a probability table (duplicates merged, zero weights dropped, weights
 * normalised); mean and population variance are probability-weighted and
 * percentiles are inverted-CDF. With no usable weight the table falls back to
 * uniform, as GuideLLM does. `count` defaults to round(Σ weights).
 */
export function describeWeighted(
  values: ArrayLike<number>,
  weights: ArrayLike<number> | undefined,
  opts: { count?: number; percentiles?: readonly number[] } = {},
): Distribution {
  const n = values.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const uniq: number[] = [];
  const w: number[] = [];
  let totalIn = 0;
  for (const i of idx) {
    const wi = weights ? weights[i] : 1;
    totalIn += wi;
    if (uniq.length && uniq[uniq.length - 1] === values[i]) w[w.length - 1] += wi;
    else {
      uniq.push(values[i]);
      w.push(wi);
    }
  }
  const vals: number[] = [];
  let ws: number[] = [];
  for (let i = 0; i < uniq.length; i++) {
    if (w[i] > 0) {
      vals.push(uniq[i]);
      ws.push(w[i]);
    }
  }
  const count = opts.count ?? Math.round(totalIn);
  let total = ws.reduce((a, b) => a + b, 0);
  if (total <= 1e-6) {
    ws = ws.map(() => 1);
    total = ws.length;
  }
  return fromTable(
    vals,
    ws.map((x) => x / total),
    count,
    opts.percentiles ?? defaultPercentiles,
  );
}

/** Summary of a probability table (values ascending, probabilities summing to 1). */
export function fromTable(
  values: number[],
  probs: number[],
  count: number,
  percentiles: readonly number[],
): Distribution {
  const p: Percentiles = {};
  if (!values.length) {
    for (const q of percentiles) p[percentileKey(q)] = 0;
    return { count, mean: 0, std: 0, median: 0, min: 0, max: 0, percentiles: p };
  }
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i] * probs[i];
  let variance = 0;
  for (let i = 0; i < values.length; i++) variance += (values[i] - mean) ** 2 * probs[i];
  for (const q of percentiles) p[percentileKey(q)] = percentileInvertedCdf(values, probs, q);
  return {
    count,
    mean,
    std: Math.sqrt(variance),
    median: percentileInvertedCdf(values, probs, 50),
    min: values[0],
    max: values[values.length - 1],
    percentiles: p,
  };
}

/**
 * Merges sorted (time, weight) events closer than `threshold` into the first
 * of each group, summing weights: GuideLLM treats events within 0.1 ms as one.
 * Exact duplicates are merged first.
 */
export function mergeCloseEvents(
  times: number[],
  weights: number[],
  threshold: number,
): { times: number[]; weights: number[] } {
  const t: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < times.length; i++) {
    if (t.length && times[i] === t[t.length - 1]) w[w.length - 1] += weights[i];
    else {
      t.push(times[i]);
      w.push(weights[i]);
    }
  }
  if (!(threshold > 0)) return { times: t, weights: w };
  const mt: number[] = [];
  const mw: number[] = [];
  let i = 0;
  while (i < t.length) {
    const start = t[i];
    let acc = 0;
    let j = i;
    while (j < t.length && t[j] <= start + threshold) acc += w[j++];
    mt.push(start);
    mw.push(acc);
    i = j;
  }
  return { times: mt, weights: mw };
}

/** Indices of `times` in ascending time order (stable for equal times). */
function order(times: ArrayLike<number>): Uint32Array {
  const idx = new Uint32Array(times.length);
  for (let k = 0; k < idx.length; k++) idx[k] = k;
  return idx.sort((a, b) => times[a] - times[b] || a - b);
}

/**
 * A rate distribution from event times (seconds) and per-event amounts: each
 * event owns the time between the midpoints to its neighbours, its rate is
 * amount / that duration, and rates are weighted by their durations, so the
 * mean is Σ amounts / window. Events outside [start, end] are dropped and the
 * window ends are inserted with zero amount (GuideLLM's
 * `rate_distribution_from_timings`). Typed arrays keep millions of token
 * events affordable.
 */
export function rateDistribution(
  times: ArrayLike<number>,
  amounts: ArrayLike<number>,
  start: number | undefined,
  end: number | undefined,
  opts: { threshold?: number; percentiles?: readonly number[] } = {},
): Distribution {
  const idx = order(times);
  const t: number[] = [];
  const w: number[] = [];
  if (start !== undefined) {
    t.push(start);
    w.push(0);
  }
  for (const k of idx) {
    if ((start === undefined || times[k] >= start) && (end === undefined || times[k] <= end)) {
      t.push(times[k]);
      w.push(amounts[k]);
    }
  }
  if (end !== undefined) {
    t.push(end);
    w.push(0);
  }
  const m = mergeCloseEvents(t, w, opts.threshold ?? 1e-4);
  const n = m.times.length;
  if (n <= 1) return describeWeighted([], [], { count: n, percentiles: opts.percentiles });
  const durations = new Array<number>(n);
  const mid = (k: number) => (m.times[k] + m.times[k + 1]) / 2;
  durations[0] = mid(0) - m.times[0];
  for (let k = 1; k < n - 1; k++) durations[k] = mid(k) - mid(k - 1);
  durations[n - 1] = Math.max(m.times[n - 1] - mid(n - 2), 1e-6);
  const rates = m.weights.map((x, k) => x / durations[k]);
  const count = Math.round(m.weights.reduce((a, b) => a + b, 0));
  return describeWeighted(rates, durations, { count, percentiles: opts.percentiles });
}

/** First index whose time is ≥ t (`side="left"`) or > t (`side="right"`) in ascending times. */
function searchSorted(times: number[], t: number, side: 'left' | 'right'): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const midIdx = (lo + hi) >> 1;
    if (side === 'left' ? times[midIdx] < t : times[midIdx] <= t) lo = midIdx + 1;
    else hi = midIdx;
  }
  return lo;
}

/**
 * Time-weighted distribution of how many intervals overlap (GuideLLM's request
 * concurrency): +1 at each start, −1 at each end, the level held until the next
 * change weighted by its duration, clipped to the [start, end] window.
 */
export function concurrencyDistribution(
  starts: ArrayLike<number>,
  ends: ArrayLike<number>,
  start: number | undefined,
  end: number | undefined,
  opts: { threshold?: number; percentiles?: readonly number[] } = {},
): Distribution {
  const evT: number[] = [];
  const evD: number[] = [];
  let count = 0;
  for (let k = 0; k < starts.length; k++) {
    if ((start !== undefined && ends[k] < start) || (end !== undefined && starts[k] > end)) continue;
    count++;
    evT.push(starts[k], ends[k]);
    evD.push(1, -1);
  }
  const idx = order(evT);
  const m = mergeCloseEvents(
    Array.from(idx, (k) => evT[k]),
    Array.from(idx, (k) => evD[k]),
    opts.threshold ?? 1e-4,
  );
  let times = m.times;
  let deltas = m.weights;
  if (start !== undefined && times.length) {
    const i = searchSorted(times, start, 'left');
    const prior = deltas.slice(0, i).reduce((a, b) => a + b, 0);
    times = [start, ...times.slice(i)];
    deltas = [prior, ...deltas.slice(i)];
  }
  if (end !== undefined && times.length) {
    const i = searchSorted(times, end, 'right');
    times = [...times.slice(0, i), end];
    deltas = [...deltas.slice(0, i), 0];
  }
  const levels: number[] = [];
  let acc = 0;
  for (const d of deltas) levels.push(Math.max((acc += d), 0));
  if (levels.length <= 1)
    return describeWeighted(count === 0 ? [] : [levels[0]], undefined, { percentiles: opts.percentiles });
  const durations = times.slice(1).map((t, k) => Math.max(t - times[k], 0));
  if (!durations.some((d) => d > 0)) return describeWeighted([], [], { count, percentiles: opts.percentiles });
  return describeWeighted(levels.slice(0, -1), durations, { count, percentiles: opts.percentiles });
}
