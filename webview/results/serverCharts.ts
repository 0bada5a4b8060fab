/**
 * Server, GPU and container series in the results panel: for each run, the
 * client's throughput and latency over time, then one chart per gauge group
 * on the same time axis (seconds since the run's start), each with a table
 * of the same numbers. Several runs (compare) sit side by side, group by
 * group. While a run goes, the same sections are drawn from the live points.
 */
import { Chart, type ChartDataset } from 'chart.js';
import type { LivePoint } from '../../src/shared/messages/results';
import type { RunView, TimelineView } from '../../src/shared/results';
import {
  formatSeriesValue,
  lineName,
  type ServerChartGroup,
  type ServerMetricsView,
} from '../../src/shared/serverMetrics';
import { h } from '../common/messenger';
import { legendOptions } from './charts';
import type { ChartTheme } from './theme';

interface Panel {
  runId: string;
  runName: string;
  view: ServerMetricsView;
  timeline?: TimelineView;
}

type Pending = { canvas: string; group: ServerChartGroup | 'client'; panel: Panel; xMax: number };

const idPart = (s: string) => s.replace(/[^\w-]+/g, '-');

function table(id: string, header: string[], rows: string[][], attrs: Record<string, string>): HTMLElement {
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { id, class: 'data', ...attrs },
      h('thead', {}, h('tr', {}, ...header.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))),
    ),
  );
}

function groupTable(id: string, g: ServerChartGroup, runId: string): HTMLElement {
  const rows = g.t.map((t, i) => [
    formatSeriesValue(t),
    ...g.lines.map((l) => formatSeriesValue(l.values[i], l.bounds?.[i])),
  ]);
  return table(id, ['Time (s)', ...g.lines.map(lineName)], rows, { 'data-run': runId, 'data-group': g.id });
}

function clientTable(id: string, tl: TimelineView, runId: string): HTMLElement {
  const rows = tl.t.map((t, i) => [
    formatSeriesValue(t),
    formatSeriesValue(tl.requestsPerSec[i]),
    formatSeriesValue(tl.latencyP50Ms[i]),
    formatSeriesValue(tl.latencyP99Ms[i]),
  ]);
  return table(id, ['Time (s)', 'Client requests/s', 'Client latency p50 (ms)', 'Client latency p99 (ms)'], rows, {
    'data-run': runId,
    'data-group': 'client',
  });
}

function notes(p: Panel): HTMLElement {
  const v = p.view;
  const src = v.url
    ? `Read from ${v.url} every ${v.intervalMs / 1000} s: ${v.scrapes.ok} readings${v.scrapes.failed ? `, ${v.scrapes.failed} failed (${v.scrapes.lastError ?? ''})` : ''}.`
    : 'No server metrics endpoint.';
  return h(
    'div',
    { class: 'server-notes', 'data-run': p.runId },
    h('p', { class: 'muted' }, src, v.unavailableReason ? ` ${v.unavailableReason}` : ''),
    h('p', { class: 'gpu-note', 'data-run': p.runId }, v.gpuNote),
    v.crossChecks.length
      ? h(
          'ul',
          { class: 'cross-checks', 'data-run': p.runId },
          ...v.crossChecks.map((c) =>
            h(
              'li',
              { class: c.ok ? 'check-ok' : 'check-warn' },
              `${c.ok ? '✓' : '⚠'} ${c.label}: server ${formatSeriesValue(c.server)} vs client ${formatSeriesValue(c.client)} ${c.unit} (${c.bound}). ${c.note}`,
            ),
          ),
        )
      : null,
  );
}

/**
 * The end of the run's time axis (seconds since the start; it starts at 0) for every time chart of the panel, client
 * and server, live and after the run: the latest time any of them shows, up to a whole second (the axis ends on a
 * tick, not on a label like 30.0008), at least 1 s.
 */
export function timeAxisMax(times: readonly number[]): number {
  let m = 0;
  for (const t of times) if (t > m) m = t;
  return Math.max(1, Math.ceil(m));
}

/** The same end while a run goes: its live client points and live server series. */
export function liveTimeAxisMax(view: ServerMetricsView | undefined, points: readonly LivePoint[]): number {
  return timeAxisMax([...(view?.groups.flatMap((g) => g.t) ?? []), ...points.map((p) => p.t)]);
}

/**
 * The server-metrics section for these runs (null when none has any), and
 * the charts to draw once it is in the document.
 */
export function serverMetricsSection(
  runs: RunView[],
  live?: { runId: string; view: ServerMetricsView; timeline?: TimelineView },
): { section: HTMLElement; pending: Pending[] } | null {
  const panels: Panel[] = runs.flatMap((r) => {
    if (live && r.id === live.runId)
      return [{ runId: r.id, runName: r.name, view: live.view, timeline: live.timeline }];
    return r.serverMetrics?.enabled
      ? [{ runId: r.id, runName: r.name, view: r.serverMetrics, timeline: r.timeline }]
      : [];
  });
  if (live && !runs.some((r) => r.id === live.runId))
    panels.push({ runId: live.runId, runName: 'running', view: live.view, timeline: live.timeline });
  if (!panels.length) return null;
  const xMax = timeAxisMax(panels.flatMap((p) => [...p.view.groups.flatMap((g) => g.t), ...(p.timeline?.t ?? [])]));
  const pending: Pending[] = [];
  const cols = panels.length > 1 ? 'server-cols' : 'server-col';
  const row = (cells: HTMLElement[]) => h('div', { class: cols }, ...cells);
  const cell = (p: Panel, title: string, canvas: string, tableEl: HTMLElement) =>
    h(
      'div',
      { class: 'server-cell' },
      panels.length > 1 ? h('h4', {}, p.runName) : null,
      h(
        'div',
        { class: 'chart-box' },
        h('canvas', { id: canvas, role: 'img', 'aria-label': `${title}: ${p.runName}` }),
      ),
      tableEl,
    );
  const parts: HTMLElement[] = [h('h2', {}, live ? 'Server metrics (live)' : 'Server metrics'), row(panels.map(notes))];
  // The client's own timeline first: the reference the server series explain.
  const withClient = panels.filter((p) => p.timeline?.t.length);
  if (withClient.length) {
    parts.push(h('h3', {}, 'Client throughput and latency over time'));
    parts.push(
      row(
        panels.map((p) => {
          if (!p.timeline?.t.length) return h('div', { class: 'server-cell muted' }, 'No client timeline.');
          const canvas = `server-chart-${idPart(p.runId)}-client`;
          pending.push({ canvas, group: 'client', panel: p, xMax });
          return cell(
            p,
            'Client throughput and latency',
            canvas,
            clientTable(`server-table-${idPart(p.runId)}-client`, p.timeline, p.runId),
          );
        }),
      ),
    );
  }
  const groupIds = [...new Set(panels.flatMap((p) => p.view.groups.map((g) => g.id)))];
  for (const gid of groupIds) {
    const title = panels.flatMap((p) => p.view.groups).find((g) => g.id === gid)!.title;
    parts.push(h('h3', { 'data-group': gid }, title));
    parts.push(
      row(
        panels.map((p) => {
          const g = p.view.groups.find((x) => x.id === gid);
          if (!g) return h('div', { class: 'server-cell muted' }, 'Not reported by this run.');
          const canvas = `server-chart-${idPart(p.runId)}-${gid}`;
          pending.push({ canvas, group: g, panel: p, xMax });
          return cell(p, title, canvas, groupTable(`server-table-${idPart(p.runId)}-${gid}`, g, p.runId));
        }),
      ),
    );
  }
  return {
    section: h('section', { id: live ? 'server-live' : 'server-metrics', 'aria-label': 'Server metrics' }, ...parts),
    pending,
  };
}

function axis(title: string, theme: ChartTheme, position: 'bottom' | 'left' | 'right', max?: number) {
  return {
    type: 'linear',
    position,
    min: max !== undefined ? 0 : undefined,
    max,
    title: { display: true, text: title, color: theme.foreground },
    ticks: { color: theme.foreground },
    grid: { color: theme.grid, drawOnChartArea: position !== 'right' },
  };
}

/**
 * Colours beyond the theme's six chart colours (a gauge group can hold nine or more lines, e.g. server latency):
 * fixed hues away from the theme's blue, orange, green, red, purple and yellow, then golden-angle hues.
 */
const extraColors = ['#17becf', '#e377c2', '#8c564b', '#7f7f7f', '#9acd32', '#1f3a93', '#fa8072', '#808000', '#00a884'];

/** Line `i`'s colour: the theme's palette first, then distinct extra colours (no repeats within a chart). */
export function seriesColor(i: number, palette: readonly string[]): string {
  if (i < palette.length) return palette[i];
  const k = i - palette.length;
  if (k < extraColors.length) return extraColors[k];
  return `hsl(${Math.round((k * 137.508) % 360)}, 70%, 45%)`;
}

/** Point marks: a value known only as a bound is a triangle (▲ at least, ▼ at most), the others dots. */
function boundMarks(bounds: Array<'ge' | 'le' | null> | undefined, n: number) {
  if (!bounds?.some(Boolean)) return {};
  return {
    pointStyle: Array.from({ length: n }, (_, k) => (bounds[k] ? 'triangle' : 'circle')),
    pointRotation: Array.from({ length: n }, (_, k) => (bounds[k] === 'le' ? 180 : 0)),
    pointRadius: Array.from({ length: n }, (_, k) => (bounds[k] ? 5 : 2)),
  };
}

/** Draws the pending charts of a section already in the document. */
export function drawServerCharts(pending: Pending[], theme: ChartTheme): Chart[] {
  return pending.map(({ canvas, group, panel, xMax }) => {
    const el = document.getElementById(canvas) as HTMLCanvasElement;
    const color = (i: number) => seriesColor(i, theme.palette);
    let datasets: ChartDataset<'line'>[];
    let units: string[];
    if (group === 'client') {
      const tl = panel.timeline!;
      const pts = (v: Array<number | null>) => tl.t.map((t, i) => ({ x: t, y: v[i] }));
      // Latency between gaps ("–": nothing completed) is a lone value: drawn as a point, as the server lines are.
      const dots = tl.t.length > 120 ? 0 : 2;
      datasets = [
        {
          label: 'Client requests/s',
          data: pts(tl.requestsPerSec),
          borderColor: color(0),
          backgroundColor: color(0),
          yAxisID: 'y',
          pointRadius: 0,
        },
        {
          label: 'Client latency p50 (ms)',
          data: pts(tl.latencyP50Ms),
          borderColor: color(1),
          backgroundColor: color(1),
          yAxisID: 'y2',
          pointRadius: dots,
        },
        {
          label: 'Client latency p99 (ms)',
          data: pts(tl.latencyP99Ms),
          borderColor: color(3),
          backgroundColor: color(3),
          yAxisID: 'y2',
          pointRadius: dots,
          borderDash: [6, 4],
        },
      ];
      units = ['Requests/s', 'Latency (ms)'];
    } else {
      const first = group.lines[0]?.unit ?? '';
      const other = [...new Set(group.lines.map((l) => l.unit).filter((u) => u !== first))];
      datasets = group.lines.map((l, i) => ({
        label: lineName(l),
        data: group.t.map((t, k) => ({ x: t, y: l.values[k] })),
        borderColor: color(i),
        backgroundColor: color(i),
        yAxisID: l.unit === first ? 'y' : 'y2',
        pointRadius: group.t.length > 120 ? 0 : 2,
        spanGaps: false,
        ...boundMarks(l.bounds, group.t.length),
      })) as ChartDataset<'line'>[];
      units = [first, other.join(', ')];
    }
    const scales: Record<string, unknown> = {
      x: axis('Time since start (s)', theme, 'bottom', xMax),
      y: axis(units[0], theme, 'left'),
    };
    if (datasets.some((d) => d.yAxisID === 'y2')) scales.y2 = axis(units[1], theme, 'right');
    const chart = new Chart(el, {
      type: 'line',
      data: { datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        interaction: { mode: 'nearest', intersect: false },
        plugins: { legend: legendOptions(theme) },
        scales: scales as never,
      },
    });
    // What was drawn, for tests and the curious: the x range and each line's colour.
    el.dataset.xMin = String(chart.scales.x.min);
    el.dataset.xMax = String(chart.scales.x.max);
    el.dataset.colors = JSON.stringify(datasets.map((d) => d.borderColor));
    return chart;
  });
}

let liveCharts: Chart[] = [];

/** Replaces the live server section (inserted after `after`, or appended) with the latest points. */
export function updateServerLive(
  app: HTMLElement,
  runs: RunView[],
  view: ServerMetricsView | undefined,
  theme: ChartTheme,
  points: readonly LivePoint[] = [],
): void {
  for (const c of liveCharts) c.destroy();
  liveCharts = [];
  const old = document.getElementById('server-live');
  if (!view) {
    old?.remove();
    return;
  }
  const running = runs.find((r) => r.status === 'running');
  // The live client points (run clock, as the server points): the first chart of the section, one x axis for all.
  const timeline: TimelineView = {
    t: points.map((p) => p.t),
    requestsPerSec: points.map((p) => p.requestsPerSec),
    // An interval in which nothing completed has no latency (the snapshot says 0): "–" and a gap, not 0 ms.
    latencyP50Ms: points.map((p) => (p.requestsPerSec > 0 ? p.latencyP50Ms : NaN)),
    latencyP99Ms: points.map((p) => (p.requestsPerSec > 0 ? p.latencyP99Ms : NaN)),
  };
  const built = serverMetricsSection(running ? [running] : [], { runId: running?.id ?? 'live', view, timeline });
  if (!built) return;
  if (old) old.replaceWith(built.section);
  else app.append(built.section);
  liveCharts = drawServerCharts(built.pending, theme);
  document.body.dataset.serverLivePoints = String(Math.max(0, ...view.groups.map((g) => g.t.length)));
}

/** Destroys the live server charts (before a full re-render). */
export function clearServerLive(): void {
  for (const c of liveCharts) c.destroy();
  liveCharts = [];
}
