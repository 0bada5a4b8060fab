/**
 * Turns successive scrapes into per-interval series with the vocabulary's
 * rules: gauges as read, counters as Δ/Δt, histograms as the interval's mean
 * (Δsum/Δcount) and quantiles (from Δbuckets, interpolated inside the bucket
 * as Prometheus' histogram_quantile does). A counter that went down (the
 * server restarted) gives null for that interval, never a negative rate.
 */
import type { Sample } from '../../metrics/prometheus';
import type { MetricSeries, SeriesSet } from './types';
import type { SeriesRule } from './vocabulary';

export type SampleIndex = Map<string, Sample[]>;

export function indexSamples(samples: readonly Sample[]): SampleIndex {
  const idx: SampleIndex = new Map();
  for (const s of samples) {
    const list = idx.get(s.name);
    if (list) list.push(s);
    else idx.set(s.name, [s]);
  }
  return idx;
}

const isHistogram = (r: SeriesRule) => r.how === 'mean' || r.how === 'p50' || r.how === 'p90' || r.how === 'p99';

/** The sample name that tells whether a rule's metric is present. */
const presenceName = (r: SeriesRule, n: string) => (isHistogram(r) ? `${n}_count` : n);

function pickName(idx: SampleIndex, r: SeriesRule, names: string[]): string | undefined {
  return names.find((n) => idx.has(presenceName(r, n)));
}

function ofEntity(list: Sample[] | undefined, r: SeriesRule, entity: string | undefined): Sample[] {
  if (!list) return [];
  const ws = r.where === undefined ? [] : Array.isArray(r.where) ? r.where : [r.where];
  const label = r.byLabel;
  if (label === undefined && !ws.length) return list;
  return list.filter((s) => {
    if (label !== undefined && s.labels[label] !== entity) return false;
    return ws.every((w) => {
      const v = s.labels[w.label];
      return (!w.in || w.in.includes(v)) && (!w.notIn || !w.notIn.includes(v));
    });
  });
}

function sum(list: Sample[]): number | undefined {
  let v = 0;
  let any = false;
  for (const s of list) {
    if (!Number.isFinite(s.value)) continue;
    v += s.value;
    any = true;
  }
  return any ? v : undefined;
}

function aggregate(list: Sample[], agg: SeriesRule['agg']): number | undefined {
  const vals = list.map((s) => s.value).filter(Number.isFinite);
  if (!vals.length) return undefined;
  if (agg === 'max') return Math.max(...vals);
  const total = vals.reduce((a, b) => a + b, 0);
  return agg === 'mean' ? total / vals.length : total;
}

/** Cumulative bucket counts by upper bound, summed over the series of one entity. */
function buckets(list: Sample[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const s of list) {
    const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    if (Number.isNaN(le) || !Number.isFinite(s.value)) continue;
    out.set(le, (out.get(le) ?? 0) + s.value);
  }
  return out;
}

/**
 * The q-quantile (0–1) of a histogram given as cumulative counts per upper
 * bound: linear inside the bucket holding the rank, the lower edge of the
 * first bucket being 0; a rank in the +Inf bucket gives the highest finite
 * bound. Undefined when the histogram is empty.
 */
export function histogramQuantile(q: number, cumulative: Map<number, number>): number | undefined {
  const bounds = [...cumulative.keys()].sort((a, b) => a - b);
  if (!bounds.length) return undefined;
  const total = cumulative.get(bounds[bounds.length - 1])!;
  if (!(total > 0)) return undefined;
  const rank = q * total;
  let prevBound = 0;
  let prevCount = 0;
  for (const b of bounds) {
    const c = cumulative.get(b)!;
    if (c >= rank) {
      if (b === Infinity) return prevBound;
      const inBucket = c - prevCount;
      return inBucket > 0 ? prevBound + (b - prevBound) * ((rank - prevCount) / inBucket) : b;
    }
    prevBound = b;
    prevCount = c;
  }
  return prevBound;
}

function delta(cur: number | undefined, prev: number | undefined): number | undefined {
  if (cur === undefined) return undefined;
  const d = cur - (prev ?? 0);
  return d >= 0 ? d : undefined;
}

const quantileOf = { p50: 0.5, p90: 0.9, p99: 0.99 } as const;

interface Scrape {
  tMs: number;
  idx: SampleIndex;
}

/** The value of one rule for one entity over the interval prev → cur. */
/** A quantile known only as a bound: at least (`ge`, in the +Inf bucket) or at most (`le`, Markov) the value. */
export type Bound = 'ge' | 'le';

function valueOf(
  r: SeriesRule,
  name: string,
  entity: string | undefined,
  cur: Scrape,
  prev: Scrape | undefined,
): number | { value: number; bound: Bound } | undefined {
  const scale = r.scale ?? 1;
  const sel = (s: Scrape | undefined, n: string) => ofEntity(s?.idx.get(n), r, entity);
  if (r.how === 'gauge') {
    const v = aggregate(sel(cur, name), r.agg);
    return v === undefined ? undefined : v * scale;
  }
  if (!prev) return undefined;
  if (r.how === 'rate') {
    const d = delta(sum(sel(cur, name)), sum(sel(prev, name)));
    const dt = (cur.tMs - prev.tMs) / 1000;
    return d === undefined || dt <= 0 ? undefined : (d / dt) * scale;
  }
  if (r.how === 'ratio') {
    const den = r.over?.find((n) => cur.idx.has(n));
    if (!den) return undefined;
    const dn = delta(sum(sel(cur, name)), sum(sel(prev, name)));
    const dd = delta(sum(sel(cur, den)), sum(sel(prev, den)));
    return dn === undefined || !dd ? undefined : (dn / dd) * scale;
  }
  if (r.how === 'mean') {
    const ds = delta(sum(sel(cur, `${name}_sum`)), sum(sel(prev, `${name}_sum`)));
    const dc = delta(sum(sel(cur, `${name}_count`)), sum(sel(prev, `${name}_count`)));
    return ds === undefined || !dc ? undefined : (ds / dc) * scale;
  }
  const now = buckets(sel(cur, `${name}_bucket`));
  const before = buckets(sel(prev, `${name}_bucket`));
  const diff = new Map<number, number>();
  for (const [le, c] of now) {
    const d = c - (before.get(le) ?? 0);
    if (d < 0) return undefined;
    diff.set(le, d);
  }
  const q = quantileOf[r.how];
  const v = histogramQuantile(q, diff);
  if (v === undefined) return undefined;
  // A rank in the +Inf bucket: the quantile is above the highest finite bound, by how much nobody knows.
  const top = Math.max(...[...diff.keys()].filter((le) => le !== Infinity));
  if (!Number.isFinite(top)) return undefined;
  if (diff.has(Infinity) && (diff.get(top) ?? 0) < q * diff.get(Infinity)!) return { value: top * scale, bound: 'ge' };
  // For non-negative values no more than a fraction 1 − q exceed mean / (1 − q) (Markov): the quantile
  // is at most that. Interpolation can overshoot it (queue times of microseconds in vLLM's first
  // bucket, 0–300 ms); then the bound is all that is known.
  const ds = delta(sum(sel(cur, `${name}_sum`)), sum(sel(prev, `${name}_sum`)));
  const dc = delta(sum(sel(cur, `${name}_count`)), sum(sel(prev, `${name}_count`)));
  const markov = ds !== undefined && dc ? ds / dc / (1 - q) : Infinity;
  // The bucket (lo, hi] holding the rank. Interpolation spreads its observations evenly over it: an
  // assumption that says nothing when the bucket is the first (its lower edge 0 is assumed) or holds
  // every observation of the interval (E2E times of 1.55 s all in (1.5, 2] give a "p99" of 1.995 s).
  // Then only "at most hi" is known.
  const total = diff.get(Infinity)!;
  const finite = [...diff.keys()].filter((le) => le !== Infinity).sort((a, b) => a - b);
  const k = finite.findIndex((le) => diff.get(le)! >= q * total);
  const hi = finite[k];
  const below = k > 0 ? diff.get(finite[k - 1])! : 0;
  if (k === 0 || (below === 0 && diff.get(hi)! === total)) return { value: Math.min(hi, markov) * scale, bound: 'le' };
  if (v > markov) return { value: markov * scale, bound: 'le' };
  return v * scale;
}

export type PointValue = Omit<MetricSeries, 'values' | 'bounds'> & { value: number | null; bound?: Bound };

/** Accumulates scrapes into a SeriesSet; `add` returns the new point's values (for live views). */
export class SeriesBuilder {
  private readonly t: number[] = [];
  private readonly series = new Map<string, MetricSeries>();
  private prev: Scrape | undefined;

  constructor(private readonly rules: readonly SeriesRule[]) {}

  /** The time of the last scrape added, ms since run start. */
  get lastTime(): number | undefined {
    return this.t[this.t.length - 1];
  }

  add(tMs: number, idx: SampleIndex): PointValue[] {
    const cur: Scrape = { tMs, idx };
    const at = this.t.length;
    this.t.push(tMs);
    const point: PointValue[] = [];
    const done = new Set<string>();
    for (const r of this.rules) {
      if (done.has(r.key)) continue;
      const name = pickName(idx, r, r.names);
      if (!name) continue;
      done.add(r.key);
      const list = idx.get(presenceName(r, name)) ?? [];
      const entities = r.byLabel
        ? [...new Set(list.map((s) => s.labels[r.byLabel!]).filter((e): e is string => e !== undefined))].sort()
        : [undefined];
      for (const entity of entities) {
        const got = valueOf(r, name, entity, cur, this.prev);
        const v = typeof got === 'object' ? got.value : got;
        const value = v === undefined || !Number.isFinite(v) ? null : v;
        const bound = typeof got === 'object' && value !== null ? got.bound : undefined;
        const id = `${r.key}\u0000${entity ?? ''}`;
        let s = this.series.get(id);
        if (!s) {
          s = {
            key: r.key,
            label: r.label,
            unit: r.unit,
            group: r.group,
            source: name,
            values: new Array<number | null>(at).fill(null),
          };
          if (entity !== undefined) s.entity = entity;
          this.series.set(id, s);
        }
        s.values[at] = value;
        if (bound) (s.bounds ??= new Array<Bound | null>(at).fill(null))[at] = bound;
        else if (s.bounds) s.bounds[at] = null;
        const { values: _v, bounds: _b, ...meta } = s;
        point.push(bound ? { ...meta, value, bound } : { ...meta, value });
      }
    }
    for (const s of this.series.values()) {
      if (s.values.length <= at) s.values[at] = null;
      if (s.bounds && s.bounds.length <= at) s.bounds[at] = null;
    }
    this.prev = cur;
    return point;
  }

  finish(): SeriesSet {
    return { t: [...this.t], series: [...this.series.values()] };
  }
}

/**
 * One vocabulary key over a whole span (e.g. the first and last scrape of a
 * run), all entities together: the first rule with that key whose metric is
 * present. Undefined when the server has none of its names.
 */
export function spanValue(
  rules: readonly SeriesRule[],
  key: string,
  from: { tMs: number; idx: SampleIndex },
  to: { tMs: number; idx: SampleIndex },
): { value: number; source: string } | undefined {
  for (const r of rules) {
    if (r.key !== key) continue;
    const name = pickName(to.idx, r, r.names);
    if (!name) continue;
    const got = valueOf({ ...r, byLabel: undefined }, name, undefined, to, from);
    const v = typeof got === 'object' ? got.value : got;
    return v === undefined || !Number.isFinite(v) ? undefined : { value: v, source: name };
  }
  return undefined;
}
