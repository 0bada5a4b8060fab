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
  type PointStyle,
} from 'chart.js';
import type { LivePoint } from '../../src/shared/messages/results';
import { liveLatencyData, type ChartModel } from './model';
import { withAlpha, type ChartTheme } from './theme';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
  Legend,
  Decimation,
  Filler,
);

function axis(title: string, theme: ChartTheme, type: 'category' | 'linear', position?: 'left' | 'right') {
  return {
    type,
    position,
    title: { display: true, text: title, color: theme.foreground },
    ticks: { color: theme.foreground },
    grid: { color: theme.grid, drawOnChartArea: position !== 'right' },
  };
}

/**
 * The legend of every chart: a line series shows as a short line in its own dash pattern and
 * width, a bar series as a filled box (Chart.js's default box, filled and stroked with the
 * series' dash, turns a dashed line's swatch into a scribble).
 */
export function legendOptions(theme: ChartTheme) {
  return {
    labels: {
      color: theme.foreground,
      usePointStyle: true,
      pointStyleWidth: 40,
      generateLabels: (chart: Chart) =>
        Chart.defaults.plugins.legend.labels.generateLabels(chart).map((item) => {
          const d = (item.datasetIndex === undefined ? undefined : chart.data.datasets[item.datasetIndex]) as
            { type?: string; borderDash?: number[]; borderWidth?: number } | undefined;
          const type = d?.type ?? (chart.config as { type?: string }).type;
          if (type === 'bar') return { ...item, pointStyle: 'rect' as PointStyle };
          // With point styles Chart.js takes width and dash from the points; a line's swatch wants the line's.
          return {
            ...item,
            pointStyle: 'line' as PointStyle,
            lineDash: d?.borderDash ?? [],
            lineWidth: typeof d?.borderWidth === 'number' ? d.borderWidth : 3,
          };
        }),
    },
  };
}

export function renderChart(
  canvas: HTMLCanvasElement,
  model: ChartModel,
  theme: ChartTheme,
  onPick?: (x: string | number, datasetIndex: number) => void,
): Chart {
  Chart.defaults.font.family = theme.font;
  Chart.defaults.color = theme.foreground;
  // A category axis draws the labels it is given, in the model's order.
  const labels =
    model.xType === 'category'
      ? (model.categories ?? [...new Set(model.series.flatMap((s) => s.points.map((p) => String(p.x))))])
      : undefined;
  const datasets = model.series.map((s) => {
    const color = theme.palette[s.color % theme.palette.length];
    const type = s.type ?? (model.kind === 'scatter' ? 'line' : model.kind);
    const width = s.barWidth;
    return {
      type,
      label: s.label,
      data: s.points.map((p) => ({ x: labels ? String(p.x) : p.x, y: Number.isFinite(p.y) ? p.y : null })),
      borderColor: color,
      backgroundColor: type === 'bar' ? withAlpha(color, s.shade ?? 0.6) : color,
      borderDash: s.dashed ? [6, 4] : undefined,
      pointRadius: type === 'line' && s.points.length > 200 ? 0 : 3,
      showLine: model.kind === 'scatter' ? true : undefined,
      yAxisID: s.y2 ? 'y2' : 'y',
      order: type === 'line' ? 0 : 1,
      // Histogram bars on a linear axis: as wide as their bin (Chart.js would size them by the closest pair of ticks and values).
      ...(width ? { barThickness: (ctx: { chart: Chart }) => barPixels(ctx.chart, width), grouped: false } : {}),
    } as ChartDataset;
  });
  const scales: Record<string, unknown> = {
    x: axis(model.xLabel, theme, model.xType),
    y: {
      ...axis(model.yLabel, theme, 'linear', 'left'),
      ...(model.yRange ? { min: model.yRange[0], max: model.yRange[1] } : {}),
    },
  };
  if (model.series.some((s) => s.y2)) scales.y2 = axis(model.y2Label ?? '', theme, 'linear', 'right');
  const config: ChartConfiguration = {
    type: model.kind === 'scatter' ? 'scatter' : model.kind,
    data: labels ? { labels, datasets } : { datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: model.xType === 'category' ? undefined : false,
      interaction: { mode: 'nearest', intersect: false },
      onClick: onPick
        ? (_e, elements, chart) => {
            const el = elements[0];
            if (!el) return;
            const p = chart.data.datasets[el.datasetIndex].data[el.index] as { x: number | string };
            onPick(p.x, el.datasetIndex);
          }
        : undefined,
      plugins: {
        legend: legendOptions(theme),
        decimation: { enabled: true, algorithm: 'lttb', samples: 500 },
        title: { display: false },
      },
      scales: scales as never,
    },
    // What was drawn is written next to the canvas after every render (the journeys compare it with the result file).
    plugins: [
      {
        id: 'drawn-data',
        afterRender: (chart: Chart) => {
          chart.canvas.dataset.drawn = JSON.stringify(drawnData(chart));
          chart.canvas.dataset.yRange = `${chart.scales.y?.min}..${chart.scales.y?.max}`;
        },
      },
    ],
  };
  return new Chart(canvas, config);
}

function barPixels(chart: Chart, width: number): number {
  const x = chart.scales.x;
  if (!x) return 1;
  return Math.max(1, Math.abs(x.getPixelForValue(x.min + width) - x.getPixelForValue(x.min)) - 1);
}

/**
 * What the chart drew, per dataset: its label, axis, the points it holds and
 * where each was drawn (canvas pixels), how many landed inside the plot area
 * (and the mean bar width), and its legend item. The
 * panel writes it next to the canvas for the UI journeys to compare with the
 * result file.
 */
export function drawnData(chart: Chart): Array<{
  label: string;
  type: string;
  dash: string;
  /** The legend item as drawn: its text, swatch ('line', 'rect'; 'box' for Chart.js's default) and dash. */
  legend?: { text: string; style: string; dash: string };
  axis: string;
  points: Array<[number | string, number | null]>;
  px: Array<[number, number]>;
  inside: number;
  barWidth?: number;
}> {
  const area = chart.chartArea;
  return chart.data.datasets.map((d, i) => {
    const meta = chart.getDatasetMeta(i);
    const els = meta.data as unknown as Array<{ x: number; y: number; width?: number; skip?: boolean }>;
    const inside = els.filter(
      (e) =>
        !e.skip &&
        Number.isFinite(e.x) &&
        Number.isFinite(e.y) &&
        e.x >= area.left - 1 &&
        e.x <= area.right + 1 &&
        e.y >= area.top - 1 &&
        e.y <= area.bottom + 1,
    ).length;
    const widths = els.map((e) => e.width).filter((w): w is number => typeof w === 'number' && Number.isFinite(w));
    const pts = (d.data as Array<{ x: number | string; y: number | null }>).map(
      (p) => [p.x, p.y] as [number | string, number | null],
    );
    const item = chart.legend?.legendItems?.find((l) => l.datasetIndex === i);
    return {
      label: String(d.label ?? ''),
      type: String((d as { type?: string }).type ?? (chart.config as { type?: string }).type ?? ''),
      dash: ((d as { borderDash?: number[] }).borderDash ?? []).join(','),
      legend: item
        ? {
            text: item.text,
            style: chart.options.plugins?.legend?.labels?.usePointStyle ? String(item.pointStyle ?? '') : 'box',
            dash: (item.lineDash ?? []).join(','),
          }
        : undefined,
      axis: String((d as { yAxisID?: string }).yAxisID ?? 'y'),
      points: pts,
      px: els.map((e) => [Math.round(e.x), Math.round(e.y)] as [number, number]),
      inside,
      barWidth: widths.length ? widths.reduce((a, b) => a + b, 0) / widths.length : undefined,
    };
  });
}

/** The live charts: throughput and latency over time, appended as snapshots arrive. */
export function renderLiveChart(canvas: HTMLCanvasElement, kind: 'throughput' | 'latency', theme: ChartTheme): Chart {
  const series =
    kind === 'throughput'
      ? [{ label: 'requests/s', c: 0 }]
      : [
          { label: 'latency p50 (ms)', c: 0 },
          { label: 'latency p99 (ms)', c: 3 },
        ];
  return new Chart(canvas, {
    type: 'line',
    data: {
      datasets: series.map((s) => ({
        label: s.label,
        data: [],
        borderColor: theme.palette[s.c],
        backgroundColor: theme.palette[s.c],
        // Latency leaves a gap where nothing completed, so a value between two gaps is a lone point: drawn as a dot
        // while the points are few. Scriptable, so it is resolved at every update (a dataset option set later is not).
        pointRadius:
          kind === 'latency' ? (ctx: { dataset: { data: unknown[] } }) => (ctx.dataset.data.length > 120 ? 0 : 2) : 0,
      })),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      scales: {
        x: axis('Time since start (s)', theme, 'linear'),
        y: axis(kind === 'throughput' ? 'Requests/s' : 'Latency (ms)', theme, 'linear', 'left'),
      } as never,
      plugins: { legend: legendOptions(theme) },
    },
  });
}

/**
 * New points for a live chart, on the run's time axis: 0 to `xMax` (liveTimeAxisMax), the same range as the live
 * server charts, so one moment of the run sits at one x position in every chart. The range drawn goes on the canvas
 * (data-x-min / data-x-max), as the server charts do.
 */
export function updateLiveChart(chart: Chart, kind: 'throughput' | 'latency', points: LivePoint[], xMax: number): void {
  const ds = chart.data.datasets;
  if (kind === 'throughput') ds[0].data = points.map((p) => ({ x: p.t, y: p.requestsPerSec }));
  else {
    // An interval in which nothing completed has no latency (the snapshot says 0): a gap, not a drop to 0 ms.
    const { p50, p99 } = liveLatencyData(points);
    ds[0].data = p50;
    ds[1].data = p99;
  }
  const x = (chart.options.scales as Record<string, { min?: number; max?: number }>).x;
  x.min = 0;
  x.max = xMax;
  chart.update('none');
  chart.canvas.dataset.xMin = String(chart.scales.x.min);
  chart.canvas.dataset.xMax = String(chart.scales.x.max);
  chart.canvas.dataset.hiddenLonePoints = String(hiddenLonePoints(chart));
}

/**
 * How many values between two gaps (or a gap and an end) Chart.js drew with no radius: such a value is not drawn
 * at all, as a line needs two points. On the canvas for the journeys (data-hidden-lone-points).
 */
function hiddenLonePoints(chart: Chart): number {
  let hidden = 0;
  chart.data.datasets.forEach((d, i) => {
    const ys = (d.data as { y: number | null }[]).map((p) => p.y);
    const els = chart.getDatasetMeta(i).data as unknown as { options?: { radius?: number } }[];
    ys.forEach((y, k) => {
      const lone = y !== null && (k === 0 || ys[k - 1] === null) && (k === ys.length - 1 || ys[k + 1] === null);
      if (lone && !((els[k]?.options?.radius ?? 0) > 0)) hidden++;
    });
  });
  return hidden;
}
