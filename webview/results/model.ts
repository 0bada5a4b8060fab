/**
 * Pure chart models of the results panel: which charts a set of runs gets and
 * their series and table rows. No DOM, no Chart.js: unit-tested in plain Node.
 */
import type { RunView, StepView } from '../../src/shared/results';

export interface Series {
  label: string;
  /** Index into the theme palette (one colour per run, or per series for one run). */
  color: number;
  points: Array<{ x: number | string; y: number }>;
  type?: 'bar' | 'line';
  /** Secondary y axis. */
  y2?: boolean;
  dashed?: boolean;
}

export interface ChartModel {
  id: string;
  title: string;
  kind: 'bar' | 'line' | 'scatter';
  xLabel: string;
  yLabel: string;
  y2Label?: string;
  xType: 'category' | 'linear';
  series: Series[];
  /** The same numbers as a table: header + rows (already formatted). */
  table: { header: string[]; rows: string[][] };
}

const fmt = (v: number): string => (Number.isFinite(v) ? (Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(2)) : v === Infinity ? 'inf' : '–');

/** The throughput a run is judged by. */
export function mainThroughputKey(run: RunView): string {
  return run.group === 'text-generation' ? 'outputTokensPerSec' : run.group === 'image-classification' ? 'imagesPerSec' : 'inputsPerSec';
}

/** Latency metrics present in the runs, text-generation first by importance. */
export function latencyMetrics(runs: RunView[]): Array<{ key: string; label: string }> {
  const seen = new Map<string, string>();
  for (const r of runs) for (const s of r.steps) for (const [k, m] of Object.entries(s.metrics)) if (!seen.has(k)) seen.set(k, m.label);
  const order = ['ttft', 'tpot', 'itl', 'e2el'];
  return [...seen].map(([key, label]) => ({ key, label })).sort((a, b) => (order.indexOf(a.key) + 99) % 99 - (order.indexOf(b.key) + 99) % 99);
}

const xOf = (s: StepView): number | string => (s.x === 'inf' ? 'inf' : s.x);
const xName = (runs: RunView[]) => (runs[0]?.steps[0]?.mode === 'rate' ? 'Request rate (req/s)' : 'Concurrency');
const multi = (runs: RunView[]) => runs.length > 1;
const runLabel = (r: RunView, what: string, runs: RunView[]) => (multi(runs) ? `${r.name}: ${what}` : what);

export function percentileChart(runs: RunView[], metric: string): ChartModel {
  const stats = ['p50', 'p90', 'p95', 'p99'] as const;
  const label = latencyMetrics(runs).find((m) => m.key === metric)?.label ?? metric;
  const series: Series[] = [];
  const rows: string[][] = [];
  runs.forEach((r, ri) => {
    stats.forEach((st, si) => {
      series.push({ label: runLabel(r, st, runs), color: multi(runs) ? ri : si, type: 'bar', points: r.steps.map((s) => ({ x: s.label, y: s.metrics[metric]?.[st] ?? NaN })) });
    });
    for (const s of r.steps) {
      const m = s.metrics[metric];
      if (m) rows.push([...(multi(runs) ? [r.name] : []), s.label, ...stats.map((st) => fmt(m[st])), fmt(m.mean)]);
    }
  });
  return {
    id: `percentiles-${metric}`,
    title: `${label} percentiles per step`,
    kind: 'bar',
    xLabel: 'Step',
    yLabel: `${label} (ms)`,
    xType: 'category',
    series,
    table: { header: [...(multi(runs) ? ['Run'] : []), 'Step', 'p50 (ms)', 'p90 (ms)', 'p95 (ms)', 'p99 (ms)', 'mean (ms)'], rows },
  };
}

export function throughputChart(runs: RunView[]): ChartModel {
  const rows: string[][] = [];
  const series = runs.flatMap((r, ri) => {
    const key = mainThroughputKey(r);
    const unit = r.steps.find((s) => s.throughput[key])?.throughput[key].unit ?? '';
    for (const s of r.steps) rows.push([...(multi(runs) ? [r.name] : []), String(xOf(s)), fmt(s.throughput.requestsPerSec?.value ?? NaN), fmt(s.throughput[key]?.value ?? NaN)]);
    return [
      { label: runLabel(r, `requests/s`, runs), color: multi(runs) ? ri : 0, points: r.steps.map((s) => ({ x: xOf(s), y: s.throughput.requestsPerSec?.value ?? NaN })), type: 'line' as const },
      { label: runLabel(r, unit, runs), color: multi(runs) ? ri : 1, y2: true, dashed: true, points: r.steps.map((s) => ({ x: xOf(s), y: s.throughput[key]?.value ?? NaN })), type: 'line' as const },
    ];
  });
  const unit = runs[0]?.steps.find((s) => s.throughput[mainThroughputKey(runs[0])])?.throughput[mainThroughputKey(runs[0])].unit ?? '';
  return {
    id: 'throughput',
    title: `Throughput versus ${xName(runs).toLowerCase()}`,
    kind: 'line',
    xLabel: xName(runs),
    yLabel: 'Requests/s',
    y2Label: unit,
    xType: 'category',
    series,
    table: { header: [...(multi(runs) ? ['Run'] : []), xName(runs), 'Requests/s', unit], rows },
  };
}

export function kneeChart(runs: RunView[], metric: string): ChartModel {
  const rows: string[][] = [];
  const label = latencyMetrics(runs).find((m) => m.key === metric)?.label ?? metric;
  const series = runs.flatMap((r, ri) => {
    const pts = (st: 'p50' | 'p99') => r.steps.map((s) => ({ x: s.throughput.requestsPerSec?.value ?? NaN, y: s.metrics[metric]?.[st] ?? NaN }));
    for (const s of r.steps) rows.push([...(multi(runs) ? [r.name] : []), s.label, fmt(s.throughput.requestsPerSec?.value ?? NaN), fmt(s.metrics[metric]?.p50 ?? NaN), fmt(s.metrics[metric]?.p99 ?? NaN)]);
    return [
      { label: runLabel(r, `${label} p50`, runs), color: multi(runs) ? ri : 0, points: pts('p50') },
      { label: runLabel(r, `${label} p99`, runs), color: multi(runs) ? ri : 3, dashed: true, points: pts('p99') },
    ];
  });
  return {
    id: `knee-${metric}`,
    title: `${label} versus throughput (the knee)`,
    kind: 'scatter',
    xLabel: 'Throughput (requests/s)',
    yLabel: `${label} (ms)`,
    xType: 'linear',
    series,
    table: { header: [...(multi(runs) ? ['Run'] : []), 'Step', 'Requests/s', `${label} p50 (ms)`, `${label} p99 (ms)`], rows },
  };
}

export function distributionCharts(runs: RunView[]): ChartModel[] {
  const keys = runs[0]?.group === 'text-generation' ? ['ttft', 'itl'] : ['e2el'];
  return keys.flatMap((key) => {
    const ds = runs.map((r) => r.distributions.find((d) => d.key === key)).filter((d) => d && d.count > 0);
    if (!ds.length) return [];
    const d0 = ds[0]!;
    const series: Series[] = [];
    const rows: string[][] = [];
    runs.forEach((r, ri) => {
      const d = r.distributions.find((x) => x.key === key);
      if (!d || !d.count) return;
      const total = d.count;
      series.push({ label: runLabel(r, 'share of requests', runs), color: multi(runs) ? ri : 0, type: 'bar', points: d.bins.map((b, i) => ({ x: b, y: d.counts[i] / total })) });
      series.push({ label: runLabel(r, 'CDF', runs), color: multi(runs) ? ri : 3, type: 'line', y2: true, points: d.cdf.map(([x, y]) => ({ x, y })) });
      for (const q of [0.5, 0.9, 0.99]) {
        const p = d.cdf.find(([, f]) => f >= q);
        if (p) rows.push([...(multi(runs) ? [r.name] : []), `p${q * 100}`, fmt(p[0])]);
      }
    });
    return [{
      id: `dist-${key}`,
      title: `${d0.label} distribution (histogram and CDF)`,
      kind: 'line' as const,
      xLabel: `${d0.label} (${d0.unit})`,
      yLabel: 'Share of requests',
      y2Label: 'Cumulative fraction',
      xType: 'linear' as const,
      series,
      table: { header: [...(multi(runs) ? ['Run'] : []), 'Quantile (from the CDF)', `${d0.label} (${d0.unit})`], rows },
    }];
  });
}

/** Classification and embeddings: latency and items/s per batch size (steps grouped by batch size, highest load each). */
export function batchChart(runs: RunView[]): ChartModel | undefined {
  if (!runs.length || runs[0].group === 'text-generation') return undefined;
  const key = mainThroughputKey(runs[0]);
  const word = runs[0].group === 'image-classification' ? 'Images/s' : 'Inputs/s';
  const rows: string[][] = [];
  const series = runs.flatMap((r, ri) => {
    const byBatch = new Map<number, StepView>();
    for (const s of r.steps) {
      const prev = byBatch.get(s.batchSize);
      if (!prev || (s.throughput[key]?.value ?? 0) > (prev.throughput[key]?.value ?? 0)) byBatch.set(s.batchSize, s);
    }
    const sorted = [...byBatch].sort((a, b) => a[0] - b[0]);
    for (const [b, s] of sorted) rows.push([...(multi(runs) ? [r.name] : []), String(b), fmt(s.throughput[key]?.value ?? NaN), fmt(s.metrics.e2el?.p50 ?? NaN), fmt(s.metrics.e2el?.p99 ?? NaN)]);
    return [
      { label: runLabel(r, word, runs), color: multi(runs) ? ri : 1, type: 'bar' as const, points: sorted.map(([b, s]) => ({ x: String(b), y: s.throughput[key]?.value ?? NaN })) },
      { label: runLabel(r, 'latency p50 (ms)', runs), color: multi(runs) ? ri : 0, type: 'line' as const, y2: true, points: sorted.map(([b, s]) => ({ x: String(b), y: s.metrics.e2el?.p50 ?? NaN })) },
    ];
  });
  return {
    id: 'batch',
    title: `${word} and latency versus batch size`,
    kind: 'bar',
    xLabel: 'Batch size',
    yLabel: word,
    y2Label: 'Latency p50 (ms)',
    xType: 'category',
    series,
    table: { header: [...(multi(runs) ? ['Run'] : []), 'Batch size', word, 'Latency p50 (ms)', 'Latency p99 (ms)'], rows },
  };
}

/** Every chart of the results view for these runs. */
export function chartModels(runs: RunView[], metric?: string): ChartModel[] {
  const metrics = latencyMetrics(runs);
  const m = metric && metrics.some((x) => x.key === metric) ? metric : (metrics.find((x) => x.key === 'e2el') ?? metrics[0])?.key;
  if (!m) return [];
  const charts = [percentileChart(runs, m), throughputChart(runs), kneeChart(runs, m), ...distributionCharts(runs)];
  const batch = batchChart(runs);
  if (batch) charts.push(batch);
  return charts;
}
