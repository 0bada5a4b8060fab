/**
 * Pure chart models of the results panel: which charts a set of runs gets and
 * their series and table rows. No DOM, no Chart.js: unit-tested in plain Node.
 * Every number comes from a step's `rates` and `latency`, which the host fills
 * through the typed accessors of src/shared/resultMetrics.ts.
 */
import { formatNumber, TABLE } from '../../src/shared/format';
import { LATENCY_IDS, rateName, type LatencyId } from '../../src/shared/resultMetrics';
import type { LivePoint } from '../../src/shared/messages/results';
import type { RunView, StepView } from '../../src/shared/results';
import { capacityChart } from './capacityChart';
import { sessionsChart } from './sessionsChart';
import { loraChart } from './loraChart';
import { reasoningChart } from './reasoningChart';
import { prefixCacheChart } from './prefixCacheChart';

export interface Series {
  label: string;
  /** Index into the theme palette. */
  color: number;
  points: Array<{ x: number | string; y: number }>;
  type?: 'bar' | 'line';
  /** Secondary y axis. */
  y2?: boolean;
  dashed?: boolean;
  /** Opacity of a bar's fill (runs of a comparison share a colour per percentile and differ in shade). */
  shade?: number;
  /** Histogram bars on a linear x axis: the bin width in x units (each point is a bin centre). */
  barWidth?: number;
}

export interface ChartModel {
  id: string;
  title: string;
  kind: 'bar' | 'line' | 'scatter';
  xLabel: string;
  yLabel: string;
  y2Label?: string;
  xType: 'category' | 'linear';
  /** A fixed y range: a percentage is drawn on 0–100, so 2 % does not fill the chart (auto-scaled, it did). */
  yRange?: [number, number];
  /** Category axis: the labels in axis order. */
  categories?: string[];
  series: Series[];
  /** The same numbers as a table: header + rows (already formatted). */
  table: { header: string[]; rows: string[][] };
}

/** A table cell's figure (the one formatter, at the chart tables' precision). */
export const fmt = (v: number | undefined): string => formatNumber(v, TABLE);
const val = (v: number | undefined): number => v ?? NaN;

/** Latency metrics present in the runs (canonical ids, tool's names), TTFT first. */
export function latencyMetrics(runs: RunView[]): Array<{ key: LatencyId; label: string }> {
  const out: Array<{ key: LatencyId; label: string }> = [];
  for (const id of LATENCY_IDS) {
    const row = runs.flatMap((r) => r.steps).find((s) => s.latency[id])?.latency[id];
    if (row) out.push({ key: id, label: row.label });
  }
  return out;
}

const xOf = (s: StepView): string => (s.x === 'inf' ? 'inf' : String(s.x));
const xName = (runs: RunView[]) => (runs[0]?.steps[0]?.mode === 'rate' ? 'Request rate (req/s)' : 'Concurrency');
const multi = (runs: RunView[]) => runs.length > 1;
const runLabel = (r: RunView, what: string, runs: RunView[]) => (multi(runs) ? `${r.name}: ${what}` : what);
const runCol = (r: RunView, runs: RunView[]) => (multi(runs) ? [r.name] : []);
const batchGroup = (runs: RunView[]) => runs.length > 0 && runs[0].group !== 'text-generation';
/** Numeric order, "inf" last. */
const byX = (a: string, b: string) => (a === 'inf' ? Infinity : Number(a)) - (b === 'inf' ? Infinity : Number(b));
const batchSizes = (r: RunView) => [...new Set(r.steps.map((s) => s.batchSize))].sort((a, b) => a - b);
/** Shade of run `ri` in a comparison: the first solid, later ones lighter. */
const shadeOf = (ri: number) => Math.max(0.3, 0.85 - ri * 0.3);

export function percentileChart(runs: RunView[], metric: LatencyId): ChartModel {
  const stats = ['p50', 'p90', 'p95', 'p99'] as const;
  const label = latencyMetrics(runs).find((m) => m.key === metric)?.label ?? metric;
  const series: Series[] = [];
  const rows: string[][] = [];
  runs.forEach((r, ri) => {
    // One colour per percentile; the runs of a comparison differ in shade.
    stats.forEach((st, si) => {
      series.push({
        label: runLabel(r, st, runs),
        color: si,
        shade: shadeOf(ri),
        type: 'bar',
        points: r.steps.map((s) => ({ x: s.label, y: val(s.latency[metric]?.[st]) })),
      });
    });
    for (const s of r.steps) {
      const m = s.latency[metric];
      if (m) rows.push([...runCol(r, runs), s.label, ...stats.map((st) => fmt(m[st])), fmt(m.mean)]);
    }
  });
  return {
    id: `percentiles-${metric}`,
    title: `${label} percentiles per step`,
    kind: 'bar',
    xLabel: 'Step',
    yLabel: `${label} (ms)`,
    xType: 'category',
    categories: [...new Set(runs.flatMap((r) => r.steps.map((s) => s.label)))],
    series,
    table: {
      header: [...(multi(runs) ? ['Run'] : []), 'Step', 'p50 (ms)', 'p90 (ms)', 'p95 (ms)', 'p99 (ms)', 'mean (ms)'],
      rows,
    },
  };
}

/**
 * Requests/s (left axis) and the group's main rate (right axis: output
 * tokens/s, images/s or inputs/s) against concurrency or rate; for batch
 * groups one series per batch size, each row naming its batch size.
 */
export function throughputChart(runs: RunView[]): ChartModel {
  const group = runs[0]?.group ?? 'text-generation';
  const batch = batchGroup(runs);
  const main = batch ? 'itemsPerSec' : 'outputTokensPerSec';
  const { label: mainLabel, unit: mainUnit } = rateName(main, group);
  const rows: string[][] = [];
  const series: Series[] = [];
  runs.forEach((r, ri) => {
    const groups = batch
      ? batchSizes(r).map((b) => ({ b, steps: r.steps.filter((s) => s.batchSize === b) }))
      : [{ b: undefined, steps: r.steps }];
    groups.forEach(({ b, steps }, gi) => {
      const sorted = [...steps].sort((x, y) => byX(xOf(x), xOf(y)));
      const tag = b === undefined ? '' : `batch ${b}: `;
      const color = (multi(runs) ? ri * groups.length : 0) + gi * 2;
      series.push({
        label: runLabel(r, `${tag}requests/s`, runs),
        color,
        type: 'line',
        points: sorted.map((s) => ({ x: xOf(s), y: val(s.rates.requestsPerSec) })),
      });
      series.push({
        label: runLabel(r, `${tag}${mainLabel.toLowerCase()}`, runs),
        color: color + 1,
        type: 'line',
        y2: true,
        dashed: true,
        points: sorted.map((s) => ({ x: xOf(s), y: val(s.rates[main]) })),
      });
      for (const s of sorted)
        rows.push([
          ...runCol(r, runs),
          ...(b === undefined ? [] : [String(b)]),
          xOf(s),
          fmt(s.rates.requestsPerSec),
          fmt(s.rates[main]),
        ]);
    });
  });
  return {
    id: 'throughput',
    title: `Throughput versus ${xName(runs).toLowerCase()}`,
    kind: 'line',
    xLabel: xName(runs),
    yLabel: 'Requests/s',
    y2Label: `${mainLabel} (${mainUnit})`,
    xType: 'category',
    categories: [...new Set(runs.flatMap((r) => r.steps.map(xOf)))].sort(byX),
    series,
    table: {
      header: [
        ...(multi(runs) ? ['Run'] : []),
        ...(batch ? ['Batch size'] : []),
        xName(runs),
        'Requests/s',
        `${mainLabel} (${mainUnit})`,
      ],
      rows,
    },
  };
}

/** Latency p50 and p99 against achieved requests/s, points in throughput order (one line per run, and per batch size). */
export function kneeChart(runs: RunView[], metric: LatencyId): ChartModel {
  const rows: string[][] = [];
  const label = latencyMetrics(runs).find((m) => m.key === metric)?.label ?? metric;
  const batch = batchGroup(runs);
  const series: Series[] = [];
  runs.forEach((r, ri) => {
    const groups = batch
      ? batchSizes(r).map((b) => ({ b, steps: r.steps.filter((s) => s.batchSize === b) }))
      : [{ b: undefined, steps: r.steps }];
    groups.forEach(({ b, steps }, gi) => {
      const sorted = steps
        .filter((s) => s.rates.requestsPerSec !== undefined && s.latency[metric])
        .sort((x, y) => val(x.rates.requestsPerSec) - val(y.rates.requestsPerSec));
      const tag = b === undefined ? '' : `batch ${b}: `;
      const color = (multi(runs) ? ri * groups.length : 0) + gi * 2;
      const pts = (st: 'p50' | 'p99') =>
        sorted.map((s) => ({ x: val(s.rates.requestsPerSec), y: val(s.latency[metric]?.[st]) }));
      series.push({ label: runLabel(r, `${tag}${label} p50`, runs), color, points: pts('p50') });
      series.push({
        label: runLabel(r, `${tag}${label} p99`, runs),
        color: color + 1,
        dashed: true,
        points: pts('p99'),
      });
      for (const s of sorted)
        rows.push([
          ...runCol(r, runs),
          s.label,
          fmt(s.rates.requestsPerSec),
          fmt(s.latency[metric]?.p50),
          fmt(s.latency[metric]?.p99),
        ]);
    });
  });
  return {
    id: `knee-${metric}`,
    title: `${label} versus throughput (the knee)`,
    kind: 'scatter',
    xLabel: 'Throughput (requests/s)',
    yLabel: `${label} (ms)`,
    xType: 'linear',
    series,
    table: {
      header: [...(multi(runs) ? ['Run'] : []), 'Step', 'Requests/s', `${label} p50 (ms)`, `${label} p99 (ms)`],
      rows,
    },
  };
}

/** Histograms and CDFs from the raw records: TTFT and token gaps for text generation, E2E for the batch groups. */
export function distributionCharts(runs: RunView[]): ChartModel[] {
  const keys = runs[0]?.group === 'text-generation' ? ['ttft', 'gap'] : ['e2e'];
  return keys.flatMap((key) => {
    const ds = runs.map((r) => r.distributions.find((d) => d.key === key)).filter((d) => d && d.count > 0);
    if (!ds.length) return [];
    const d0 = ds[0]!;
    // Token gaps are counted per gap, not per request.
    const share = key === 'gap' ? 'share of token gaps' : 'share of requests';
    const series: Series[] = [];
    const rows: string[][] = [];
    runs.forEach((r, ri) => {
      const d = r.distributions.find((x) => x.key === key);
      if (!d || !d.count) return;
      const total = d.count;
      const width = d.bins.length ? (d.binEnd - d.bins[0]) / d.bins.length : 0;
      series.push({
        label: runLabel(r, share, runs),
        color: multi(runs) ? ri * 2 : 0,
        shade: multi(runs) ? 0.45 : 0.6,
        type: 'bar',
        barWidth: width,
        points: d.bins.map((b, i) => ({ x: b + width / 2, y: d.counts[i] / total })),
      });
      series.push({
        label: runLabel(r, 'CDF', runs),
        color: multi(runs) ? ri * 2 + 1 : 3,
        type: 'line',
        y2: true,
        points: d.cdf.map(([x, y]) => ({ x, y })),
      });
      for (const q of [0.5, 0.9, 0.99]) {
        const p = d.cdf.find(([, f]) => f >= q);
        if (p) rows.push([...runCol(r, runs), `p${q * 100}`, fmt(p[0])]);
      }
    });
    return [
      {
        id: `dist-${key}`,
        title: `${d0.label} distribution (histogram and CDF)`,
        kind: 'line' as const,
        xLabel: `${d0.label} (${d0.unit})`,
        yLabel: share[0].toUpperCase() + share.slice(1),
        y2Label: 'Cumulative fraction',
        xType: 'linear' as const,
        series,
        table: {
          header: [...(multi(runs) ? ['Run'] : []), 'Quantile (from the CDF)', `${d0.label} (${d0.unit})`],
          rows,
        },
      },
    ];
  });
}

/**
 * Classification and embeddings: items/s and E2E latency per batch size,
 * each from the step of that batch size with the highest items/s (the table
 * says which step that was).
 */
export function batchChart(runs: RunView[]): ChartModel | undefined {
  if (!batchGroup(runs)) return undefined;
  const group = runs[0].group;
  const word = rateName('itemsPerSec', group).label;
  const e2e = latencyMetrics(runs).find((m) => m.key === 'e2e')?.label ?? 'E2E latency';
  const rows: string[][] = [];
  const series = runs.flatMap((r, ri) => {
    const best = new Map<number, StepView>();
    for (const s of r.steps) {
      const prev = best.get(s.batchSize);
      if (!prev || val(s.rates.itemsPerSec) > val(prev.rates.itemsPerSec)) best.set(s.batchSize, s);
    }
    const sorted = [...best].sort((a, b) => a[0] - b[0]);
    for (const [b, s] of sorted)
      rows.push([
        ...runCol(r, runs),
        String(b),
        s.label,
        fmt(s.rates.itemsPerSec),
        fmt(s.latency.e2e?.p50),
        fmt(s.latency.e2e?.p99),
      ]);
    return [
      {
        label: runLabel(r, word, runs),
        color: multi(runs) ? ri * 2 : 1,
        shade: 0.6,
        type: 'bar' as const,
        points: sorted.map(([b, s]) => ({ x: String(b), y: val(s.rates.itemsPerSec) })),
      },
      {
        label: runLabel(r, `${e2e} p50 (ms)`, runs),
        color: multi(runs) ? ri * 2 + 1 : 0,
        type: 'line' as const,
        y2: true,
        points: sorted.map(([b, s]) => ({ x: String(b), y: val(s.latency.e2e?.p50) })),
      },
    ];
  });
  return {
    id: 'batch',
    title: `${word} and latency versus batch size (best step of each)`,
    kind: 'bar',
    xLabel: 'Batch size',
    yLabel: word,
    y2Label: `${e2e} p50 (ms)`,
    xType: 'category',
    categories: [...new Set(runs.flatMap(batchSizes))].sort((a, b) => a - b).map(String),
    series,
    table: {
      header: [
        ...(multi(runs) ? ['Run'] : []),
        'Batch size',
        `From step (highest ${word})`,
        word,
        `${e2e} p50 (ms)`,
        `${e2e} p99 (ms)`,
      ],
      rows,
    },
  };
}

/** Every chart of the results view for these runs. */
export function chartModels(runs: RunView[], metric?: string): ChartModel[] {
  const metrics = latencyMetrics(runs);
  const m = metrics.find((x) => x.key === metric)?.key ?? (metrics.find((x) => x.key === 'e2e') ?? metrics[0])?.key;
  if (!m) return [];
  const charts = [percentileChart(runs, m), throughputChart(runs), kneeChart(runs, m), ...distributionCharts(runs)];
  const batch = batchChart(runs);
  if (batch) charts.push(batch);
  const reasoning = reasoningChart(runs);
  if (reasoning) charts.splice(1, 0, reasoning);
  const prefixCache = prefixCacheChart(runs);
  if (prefixCache) charts.splice(1, 0, prefixCache);
  const lora = loraChart(runs);
  if (lora) charts.splice(1, 0, lora);
  const capacity = capacityChart(runs);
  if (capacity) charts.unshift(capacity);
  const sessions = sessionsChart(runs);
  if (sessions) charts.unshift(sessions);
  return charts;
}

/**
 * The live latency chart's two lines (p50, p99) at each live point's time (seconds since the run's start). An
 * interval in which nothing completed has no latency (its snapshot says 0 ms): its y is null, a gap in the line,
 * never a drop to 0 ms nor the previous interval's value carried over.
 */
export function liveLatencyData(points: readonly LivePoint[]): {
  p50: Array<{ x: number; y: number | null }>;
  p99: Array<{ x: number; y: number | null }>;
} {
  return {
    p50: points.map((p) => ({ x: p.t, y: p.requestsPerSec > 0 ? p.latencyP50Ms : null })),
    p99: points.map((p) => ({ x: p.t, y: p.requestsPerSec > 0 ? p.latencyP99Ms : null })),
  };
}
