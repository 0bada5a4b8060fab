import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import type { Chart } from 'chart.js';
import type {
  LiveState,
  ResultsHostToWebview,
  ResultsPanelState,
  ResultsWebviewToHost,
} from '../../src/shared/messages/results';
import { formatNumber } from '../../src/shared/format';
import type { CompareView, DeltaRow, ProfileId, RunView } from '../../src/shared/results';
import { h, WebviewMessenger } from '../common/messenger';
import { renderChart, renderLiveChart, updateLiveChart } from './charts';
import { chartModels, latencyMetrics, type ChartModel } from './model';
import {
  clearServerLive,
  drawServerCharts,
  liveTimeAxisMax,
  serverMetricsSection,
  updateServerLive,
} from './serverCharts';
import { renderTimeline, requestsSection, type RequestsActions, type RequestsState } from './requests';
import { readTheme, watchTheme } from './theme';

const app = document.getElementById('app') as HTMLElement;
let charts: Chart[] = [];
let liveCharts: { throughput?: Chart; latency?: Chart } = {};
let last: Extract<ResultsHostToWebview, { type: 'runs' }> | undefined;
const requests: RequestsState = { stepIndex: 0 };
let timelineChart: Chart | undefined;
const requestActions: RequestsActions = {
  show: (runId, stepIndex, key, descending) => {
    requests.runId = runId;
    requests.stepIndex = stepIndex;
    messenger.post({ type: 'requests', runId, stepIndex, sort: { key, descending } });
  },
  open: (runId, i) => messenger.post({ type: 'timeline', runId, i }),
};

const messenger = new WebviewMessenger<ResultsHostToWebview, ResultsWebviewToHost, ResultsPanelState>((msg) => {
  switch (msg.type) {
    case 'runs':
      last = msg;
      messenger.setState({ runIds: msg.runs.map((r) => r.id) });
      render();
      break;
    case 'live':
      if (last) last = { ...last, live: msg.live };
      updateLive(msg.live);
      break;
    case 'busy':
      setNotice(msg.message, 'muted');
      break;
    case 'notice':
      setNotice(msg.message, 'muted');
      break;
    case 'error':
      setNotice(msg.message, 'error');
      break;
    case 'requests':
      requests.view = msg.view;
      requests.runId = msg.view.runId;
      requests.stepIndex = msg.view.stepIndex;
      renderRequests();
      document.body.dataset.requests = String(Date.now());
      break;
    case 'timeline':
      requests.timeline = msg.timeline;
      renderRequests();
      document.getElementById('timeline-section')?.scrollIntoView({ block: 'nearest' });
      document.body.dataset.timeline = String(msg.timeline.i);
      break;
  }
});

/** Redraws the requests section alone (the charts above stay as they are). */
function renderRequests(): void {
  if (!last) return;
  timelineChart?.destroy();
  timelineChart = undefined;
  const fresh = requestsSection(last.runs, requests, requestActions);
  const old = document.getElementById('section-requests');
  if (old && fresh) old.replaceWith(fresh);
  else if (fresh) app.append(fresh);
  const canvas = document.getElementById('chart-timeline') as HTMLCanvasElement | null;
  if (canvas && requests.timeline) timelineChart = renderTimeline(canvas, requests.timeline, readTheme());
}

function setNotice(text: string, cls: string): void {
  let n = document.getElementById('notice');
  if (!n) {
    n = h('p', { id: 'notice', role: 'status' });
    app.prepend(n);
  }
  n.className = cls;
  n.textContent = text;
}

function select(
  id: string,
  label: string,
  options: Array<{ value: string; label: string }>,
  value: string,
  onChange: (v: string) => void,
): HTMLElement {
  const sel = h(
    'vscode-single-select',
    { id, 'aria-label': label },
    ...options.map((o) => h('vscode-option', { value: o.value, selected: o.value === value }, o.label)),
  );
  sel.addEventListener('change', () => onChange((sel as unknown as { value: string }).value));
  return h('label', { class: 'field' }, `${label} `, sel);
}

function table(
  id: string,
  header: string[],
  rows: string[][],
  rowClass?: (i: number) => string | undefined,
): HTMLElement {
  return h(
    'table',
    { id, class: 'data' },
    h('thead', {}, h('tr', {}, ...header.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, ...rows.map((r, i) => h('tr', { class: rowClass?.(i) }, ...r.map((c) => h('td', {}, c))))),
  );
}

function statusBadge(run: RunView): HTMLElement {
  const text =
    run.status === 'complete'
      ? 'complete'
      : run.status === 'running'
        ? 'running'
        : `incomplete${run.incompleteReason ? `: ${run.incompleteReason}` : ''}`;
  return h('span', { class: `status status-${run.status}`, 'data-run': run.id }, text);
}

function runHeader(run: RunView): HTMLElement {
  const exp = (kind: 'csv' | 'markdown' | 'json', label: string) => {
    const b = h('vscode-button', { secondary: true, 'data-export': kind, 'data-run': run.id }, label);
    b.addEventListener('click', () => messenger.post({ type: 'export', kind, runId: run.id }));
    return b;
  };
  return h(
    'div',
    { class: 'run' },
    h('strong', {}, run.name),
    ' ',
    statusBadge(run),
    h(
      'div',
      { class: 'muted' },
      `${run.group} · ${run.server.kind ?? 'server'} ${run.server.version ?? ''} · model ${run.server.model ?? '?'} · ${run.server.url} · ${new Date(run.startedAt).toLocaleString()} · ${run.recordsCount} records${run.clientBound ? ' · ⚠ client-bound: the load generator, not the server, may have limited these numbers' : ''}`,
    ),
    ...(run.offline ?? []).map((o) =>
      h('div', { class: `verdict verdict-${o.pass ? 'pass' : 'fail'}`, 'data-offline-step': String(o.step) }, o.line),
    ),
    h(
      'div',
      { class: 'toolbar' },
      exp('csv', 'Export CSV'),
      exp('markdown', 'Export Markdown'),
      exp('json', 'Export JSON'),
    ),
  );
}

const signed = (v: number, digits = 2) => `${v >= 0 ? '+' : ''}${formatNumber(v, digits)}`;

/** The verdict cell of a quality row: the change, the noise interval of the difference, and what follows. */
function verdictCell(r: DeltaRow): string {
  const change = Number.isFinite(r.change) ? `${signed(r.change * 100, 1)} %` : 'new';
  if (r.kind === 'context') return `${change} (context, not judged)`;
  const ci = r.ci ? ` · 95 % CI of the difference [${signed(r.ci.low)}, ${signed(r.ci.high)}] ${r.unit}` : '';
  const word =
    r.verdict === 'regression'
      ? '▲ regression'
      : r.verdict === 'improvement'
        ? '▼ improvement'
        : r.verdict === 'within noise'
          ? 'within noise'
          : r.verdict === 'not comparable'
            ? 'not comparable'
            : 'no interval (records missing)';
  return `${change}${ci} · ${word}`;
}

function compareSection(compare: CompareView[], runs: RunView[]): HTMLElement | null {
  if (!compare.length) return null;
  const name = (id: string) => runs.find((r) => r.id === id)?.name ?? id;
  return h(
    'section',
    { id: 'compare', 'aria-label': 'Comparison against the baseline' },
    h('h2', {}, `Deltas against the baseline "${name(compare[0].baselineId)}"`),
    h(
      'p',
      { class: 'muted' },
      `A regression is a change worse than ${compare[0].thresholdPct} % whose whole 95 % interval (bootstrap from the raw records, seeded) lies on the worse side. Latencies: worse when higher; throughput and goodput: worse when lower. Counts are context, never judged.`,
    ),
    ...compare.map((c) => {
      const quality = c.rows.filter((r) => r.kind === 'quality');
      const context = c.rows.filter((r) => r.kind === 'context');
      const notComparable = c.steps.filter((s) => !s.comparable);
      return h(
        'div',
        {},
        h('h3', {}, name(c.runId)),
        notComparable.length
          ? table(
              `comparable-${c.runId}`,
              ['Step', 'Not comparable because'],
              notComparable.map((s) => [s.step, s.reasons.join('; ')]),
              () => 'not-comparable',
            )
          : h(
              'p',
              { class: 'muted', id: `comparable-${c.runId}` },
              'Every step ran the same workload in both runs: comparable step by step.',
            ),
        table(
          `delta-${c.runId}`,
          ['Step', 'Metric', 'Baseline', 'This run', 'Change and verdict'],
          quality.map((r) => [
            r.step,
            `${r.metric} (${r.unit})`,
            formatNumber(r.baseline, 2),
            formatNumber(r.value, 2),
            verdictCell(r),
          ]),
          (i) =>
            quality[i].regression ? 'regression' : quality[i].verdict === 'improvement' ? 'improvement' : undefined,
        ),
        h(
          'details',
          {},
          h('summary', {}, `Context (${context.length} rows: counts and figures not judged)`),
          table(
            `context-${c.runId}`,
            ['Step', 'Figure', 'Baseline', 'This run', 'Change'],
            context.map((r) => [
              r.step,
              `${r.metric} (${r.unit})`,
              formatNumber(r.baseline, 2),
              formatNumber(r.value, 2),
              verdictCell(r),
            ]),
          ),
        ),
      );
    }),
  );
}

function liveSection(): HTMLElement {
  return h(
    'section',
    { id: 'live', 'aria-label': 'Live progress' },
    h('h2', {}, 'Live'),
    h('p', { id: 'live-step' }, ''),
    h(
      'div',
      { class: 'chart-row' },
      h('div', { class: 'chart-box' }, h('canvas', { id: 'live-throughput', 'aria-label': 'Throughput over time' })),
      h('div', { class: 'chart-box' }, h('canvas', { id: 'live-latency', 'aria-label': 'Latency over time' })),
    ),
  );
}

function updateLive(live: LiveState): void {
  if (!document.getElementById('live')) {
    if (last) {
      render();
      return;
    }
    // No step has finished yet (no result to show): the live charts alone, from the first snapshot.
    for (const c of [liveCharts.throughput, liveCharts.latency]) c?.destroy();
    liveCharts = {};
    app.removeAttribute('aria-busy');
    app.replaceChildren(h('h1', {}, 'Benchmark running'), liveSection());
  }
  const step = document.getElementById('live-step');
  if (step)
    step.textContent = `Step ${live.stepIndex + 1}${live.plannedSteps ? ` of ${live.plannedSteps}` : ''}: ${live.stepLabel} · ${live.completed} completed, ${live.failed} failed, ${live.inFlight} in flight`;
  const theme = readTheme();
  const t = document.getElementById('live-throughput') as HTMLCanvasElement | null;
  const l = document.getElementById('live-latency') as HTMLCanvasElement | null;
  if (t && !liveCharts.throughput) liveCharts.throughput = renderLiveChart(t, 'throughput', theme);
  if (l && !liveCharts.latency) liveCharts.latency = renderLiveChart(l, 'latency', theme);
  // One time axis for the live client charts here and the live server charts below.
  const xMax = liveTimeAxisMax(live.server, live.points);
  if (liveCharts.throughput) updateLiveChart(liveCharts.throughput, 'throughput', live.points, xMax);
  if (liveCharts.latency) updateLiveChart(liveCharts.latency, 'latency', live.points, xMax);
  document.body.dataset.livePoints = String(live.points.length);
  updateServerLive(app, last?.runs ?? [], live.server, theme, live.points);
}

function chartSection(model: ChartModel): HTMLElement {
  const png = h('vscode-button', { secondary: true, icon: 'file-media', 'data-png': model.id }, 'Save PNG');
  png.addEventListener('click', () => {
    const canvas = document.getElementById(`chart-${model.id}`) as HTMLCanvasElement;
    messenger.post({ type: 'exportPng', chartId: model.id, dataUrl: canvas.toDataURL('image/png') });
  });
  return h(
    'section',
    { class: 'chart', id: `section-${model.id}`, 'aria-label': model.title },
    h('div', { class: 'chart-title' }, h('h2', {}, model.title), png),
    h('div', { class: 'chart-box' }, h('canvas', { id: `chart-${model.id}`, role: 'img', 'aria-label': model.title })),
    table(`table-${model.id}`, model.table.header, model.table.rows),
  );
}

function render(): void {
  if (!last) return;
  const t0 = performance.now();
  for (const c of [...charts, liveCharts.throughput, liveCharts.latency, timelineChart]) c?.destroy();
  clearServerLive();
  charts = [];
  liveCharts = {};
  timelineChart = undefined;
  const { runs, compare, profile, live, title } = last;
  const state = messenger.state ?? { runIds: runs.map((r) => r.id) };
  const metrics = latencyMetrics(runs);
  const metric =
    state.latencyMetric && metrics.some((m) => m.key === state.latencyMetric)
      ? state.latencyMetric
      : (metrics.find((m) => m.key === 'e2e') ?? metrics[0])?.key;
  const models = chartModels(runs, metric);
  app.removeAttribute('aria-busy');
  const parts: Array<HTMLElement | null> = [
    h('h1', {}, title),
    h(
      'div',
      { class: 'toolbar' },
      select(
        'profile',
        'Metric profile',
        [
          { value: 'vllm', label: 'vLLM (vllm bench serve 0.32.0)' },
          { value: 'genai-perf', label: 'NVIDIA GenAI-Perf 0.0.16' },
          { value: 'guidellm', label: 'GuideLLM 0.8.1' },
          { value: 'aiperf', label: 'NVIDIA AIPerf 0.13.0' },
        ],
        profile,
        (v) => {
          messenger.setState({ profile: v as ProfileId });
          messenger.post({ type: 'setProfile', profile: v as ProfileId });
        },
      ),
      metrics.length
        ? select(
            'metric',
            'Latency metric',
            metrics.map((m) => ({ value: m.key, label: m.label })),
            metric ?? '',
            (v) => {
              messenger.setState({ latencyMetric: v });
              render();
            },
          )
        : null,
    ),
    ...runs.map(runHeader),
    live && runs.some((r) => r.status === 'running') ? liveSection() : null,
    compareSection(compare, runs),
    ...(models.length
      ? models.map(chartSection)
      : [
          h(
            'p',
            { class: 'muted', id: 'no-steps' },
            runs.some((r) => r.status === 'running')
              ? 'The first step is running: charts appear when it ends.'
              : 'No step completed in this run.',
          ),
        ]),
    requestsSection(runs, requests, requestActions),
  ];
  const server = serverMetricsSection(runs.filter((r) => r.status !== 'running'));
  if (server) parts.push(server.section);
  app.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null));
  const theme = readTheme();
  if (server) charts.push(...drawServerCharts(server.pending, theme));
  for (const m of models)
    charts.push(
      renderChart(
        document.getElementById(`chart-${m.id}`) as HTMLCanvasElement,
        m,
        theme,
        m.id.startsWith('percentiles-') ? (x, di) => pickOutliers(runs, m, String(x), di) : undefined,
      ),
    );
  const tl = document.getElementById('chart-timeline') as HTMLCanvasElement | null;
  if (tl && requests.timeline) timelineChart = renderTimeline(tl, requests.timeline, theme);
  if (live) updateLive(live);
  document.body.dataset.rendered = String(Date.now());
  document.body.dataset.charts = String(charts.length);
  messenger.post({ type: 'rendered', charts: charts.length, ms: performance.now() - t0 });
}

/** A click on a step's bar in a percentile chart: that step's requests, slowest first (its outliers on top). */
function pickOutliers(runs: RunView[], m: ChartModel, stepLabel: string, datasetIndex: number): void {
  const run = runs[Math.floor(datasetIndex / 4)] ?? runs[0];
  const step = run.steps.find((s) => s.label === stepLabel);
  if (!step) return;
  requestActions.show(run.id, step.index, m.id === 'percentiles-ttft' ? 'ttftMs' : 'e2eMs', true);
  document.getElementById('section-requests')?.scrollIntoView({ block: 'start' });
}

watchTheme(() => render());
