/** Chart.js rendering of the chart models, tree-shaken to the parts we use. */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Decimation,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartConfiguration,
  type ChartDataset,
} from 'chart.js';
import type { LivePoint } from '../../src/shared/messages/results';
import type { ChartModel } from './model';
import { withAlpha, type ChartTheme } from './theme';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip, Legend, Decimation, Filler);

function axis(title: string, theme: ChartTheme, type: 'category' | 'linear', position?: 'left' | 'right') {
  return {
    type,
    position,
    title: { display: true, text: title, color: theme.foreground },
    ticks: { color: theme.foreground },
    grid: { color: theme.grid, drawOnChartArea: position !== 'right' },
  };
}

export function renderChart(canvas: HTMLCanvasElement, model: ChartModel, theme: ChartTheme): Chart {
  Chart.defaults.font.family = theme.font;
  Chart.defaults.color = theme.foreground;
  // A category axis draws the labels it is given: collect them (as text) in first-seen order.
  const labels = model.xType === 'category' ? [...new Set(model.series.flatMap((s) => s.points.map((p) => String(p.x))))] : undefined;
  const datasets = model.series.map((s) => {
    const color = theme.palette[s.color % theme.palette.length];
    const type = s.type ?? (model.kind === 'scatter' ? 'line' : model.kind);
    return {
      type,
      label: s.label,
      data: s.points.map((p) => ({ x: labels ? String(p.x) : p.x, y: Number.isFinite(p.y) ? p.y : null })),
      borderColor: color,
      backgroundColor: type === 'bar' ? withAlpha(color, 0.6) : color,
      borderDash: s.dashed ? [6, 4] : undefined,
      pointRadius: type === 'line' && s.points.length > 200 ? 0 : 3,
      showLine: model.kind === 'scatter' ? true : undefined,
      yAxisID: s.y2 ? 'y2' : 'y',
      order: type === 'line' ? 0 : 1,
    } as ChartDataset;
  });
  const scales: Record<string, unknown> = { x: axis(model.xLabel, theme, model.xType), y: axis(model.yLabel, theme, 'linear', 'left') };
  if (model.series.some((s) => s.y2)) scales.y2 = axis(model.y2Label ?? '', theme, 'linear', 'right');
  const config: ChartConfiguration = {
    type: model.kind === 'scatter' ? 'scatter' : model.kind,
    data: labels ? { labels, datasets } : { datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: model.xType === 'category' ? undefined : false,
      normalized: true,
      interaction: { mode: 'nearest', intersect: false },
      plugins: {
        legend: { labels: { color: theme.foreground } },
        decimation: { enabled: true, algorithm: 'lttb', samples: 500 },
        title: { display: false },
      },
      scales: scales as never,
    },
  };
  return new Chart(canvas, config);
}

/** The live charts: throughput and latency over time, appended as snapshots arrive. */
export function renderLiveChart(canvas: HTMLCanvasElement, kind: 'throughput' | 'latency', theme: ChartTheme): Chart {
  const series = kind === 'throughput' ? [{ label: 'requests/s', c: 0 }] : [{ label: 'latency p50 (ms)', c: 0 }, { label: 'latency p99 (ms)', c: 3 }];
  return new Chart(canvas, {
    type: 'line',
    data: { datasets: series.map((s) => ({ label: s.label, data: [], borderColor: theme.palette[s.c], backgroundColor: theme.palette[s.c], pointRadius: 0 })) },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      scales: { x: axis('Time since start (s)', theme, 'linear'), y: axis(kind === 'throughput' ? 'Requests/s' : 'Latency (ms)', theme, 'linear', 'left') } as never,
      plugins: { legend: { labels: { color: theme.foreground } } },
    },
  });
}

export function updateLiveChart(chart: Chart, kind: 'throughput' | 'latency', points: LivePoint[]): void {
  const ds = chart.data.datasets;
  if (kind === 'throughput') ds[0].data = points.map((p) => ({ x: p.t, y: p.requestsPerSec }));
  else {
    ds[0].data = points.map((p) => ({ x: p.t, y: p.latencyP50Ms }));
    ds[1].data = points.map((p) => ({ x: p.t, y: p.latencyP99Ms }));
  }
  chart.update('none');
}
