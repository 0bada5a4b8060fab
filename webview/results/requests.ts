/**
 * The per-request view: a sortable table of one step's requests (from the
 * raw records, sorted by the host over the whole step), and a click on a row
 * opens that request's token timeline — every streamed event against time
 * since the send.
 */
import { Chart } from 'chart.js';
import type { RequestRow, RequestSortKey, RequestsView, TokenTimeline } from '../../src/shared/messages/results';
import { formatNumber } from '../../src/shared/format';
import type { RunView } from '../../src/shared/results';
import { h } from '../common/messenger';
import { legendOptions } from './charts';
import { fmt } from './model';
import type { ChartTheme } from './theme';

export interface RequestsState {
  runId?: string;
  stepIndex: number;
  view?: RequestsView;
  timeline?: TokenTimeline;
}

export interface RequestsActions {
  show(runId: string, stepIndex: number, key: RequestSortKey, descending: boolean): void;
  open(runId: string, i: number): void;
}

const columns: Array<{ key: RequestSortKey | undefined; label: string; cell(r: RequestRow): string }> = [
  { key: 'i', label: 'Request', cell: (r) => String(r.i) },
  { key: 'startMs', label: 'Start (s)', cell: (r) => formatNumber(r.startMs / 1000, 3) },
  { key: 'ttftMs', label: 'TTFT (ms)', cell: (r) => (r.ttftMs === undefined ? 'none' : fmt(r.ttftMs)) },
  { key: 'e2eMs', label: 'E2E (ms)', cell: (r) => fmt(r.e2eMs) },
  {
    key: 'outputTokens',
    label: 'Tokens in / out',
    cell: (r) => `${r.inputTokens ?? '?'} / ${r.outputTokens ?? '?'}${r.items > 1 ? ` · ${r.items} items` : ''}`,
  },
  { key: 'status', label: 'Status', cell: (r) => (r.status ? String(r.status) : 'no response') },
  { key: undefined, label: 'Error', cell: (r) => r.error ?? '' },
];

export function requestsSection(runs: RunView[], state: RequestsState, act: RequestsActions): HTMLElement | null {
  const run = runs.find((r) => r.id === state.runId) ?? runs[0];
  if (!run || !run.steps.length) return null;
  const view = state.view?.runId === run.id ? state.view : undefined;
  const stepSel = h(
    'select',
    { id: 'requests-step', 'aria-label': 'Step' },
    ...run.steps.map((s) =>
      h('option', { value: String(s.index), selected: s.index === (view?.stepIndex ?? state.stepIndex) }, s.label),
    ),
  );
  stepSel.addEventListener('change', () =>
    act.show(
      run.id,
      Number((stepSel as HTMLSelectElement).value),
      view?.sort.key ?? 'i',
      view?.sort.descending ?? false,
    ),
  );
  const runSel =
    runs.length > 1
      ? (() => {
          const sel = h(
            'select',
            { id: 'requests-run', 'aria-label': 'Run' },
            ...runs.map((r) => h('option', { value: r.id, selected: r.id === run.id }, r.name)),
          );
          sel.addEventListener('change', () => act.show((sel as HTMLSelectElement).value, 0, 'i', false));
          return sel;
        })()
      : null;
  const showBtn = h('vscode-button', { secondary: true, id: 'requests-show' }, view ? 'Reload' : 'Show requests');
  showBtn.addEventListener('click', () =>
    act.show(
      run.id,
      Number((stepSel as HTMLSelectElement).value),
      view?.sort.key ?? 'i',
      view?.sort.descending ?? false,
    ),
  );
  const parts: Array<HTMLElement | string | null> = [
    h('h2', {}, 'Requests of a step'),
    h('div', { class: 'toolbar' }, runSel, stepSel, showBtn),
  ];
  if (view) {
    const head = columns.map((c) => {
      const sorted = view.sort.key === c.key;
      const th = h(
        'th',
        {
          scope: 'col',
          'data-sort': c.key,
          'aria-sort': sorted ? (view.sort.descending ? 'descending' : 'ascending') : undefined,
          class: c.key ? 'sortable' : undefined,
        },
        `${c.label}${sorted ? (view.sort.descending ? ' ▼' : ' ▲') : ''}`,
      );
      if (c.key)
        th.addEventListener('click', () =>
          act.show(
            run.id,
            view.stepIndex,
            c.key!,
            sorted ? !view.sort.descending : c.key !== 'i' && c.key !== 'startMs',
          ),
        );
      return th;
    });
    const body = view.rows.map((r) => {
      const tr = h(
        'tr',
        {
          class: `request${r.error ? ' failed' : ''}`,
          'data-request': r.i,
          tabindex: 0,
          title: 'Open the token timeline',
        },
        ...columns.map((c) => h('td', {}, c.cell(r))),
      );
      tr.addEventListener('click', () => act.open(run.id, r.i));
      tr.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') act.open(run.id, r.i);
      });
      return tr;
    });
    parts.push(
      h(
        'p',
        { class: 'muted', id: 'requests-summary' },
        `${view.stepLabel}: ${view.total} measured requests${view.rows.length < view.total ? `, the first ${view.rows.length} shown` : ''}. Click a column to sort, a row for its token timeline.`,
      ),
      h(
        'div',
        { class: 'table-scroll' },
        h('table', { id: 'requests', class: 'data' }, h('thead', {}, h('tr', {}, ...head)), h('tbody', {}, ...body)),
      ),
    );
  }
  if (state.timeline && state.timeline.runId === run.id) parts.push(timelineSection(state.timeline));
  return h('section', { id: 'section-requests', 'aria-label': 'Requests of a step' }, ...parts);
}

function timelineSection(t: TokenTimeline): HTMLElement {
  const gaps = t.events.map((e, k) => (k ? e.t - t.events[k - 1].t : e.t));
  return h(
    'div',
    { id: 'timeline-section' },
    h(
      'h3',
      {},
      `Request ${t.i} (${t.stepLabel}): ${t.events.length} streamed events over ${fmt(t.endMs)} ms${t.error ? ` · ${t.error}` : ''}`,
    ),
    h(
      'div',
      { class: 'chart-box' },
      h('canvas', { id: 'chart-timeline', role: 'img', 'aria-label': `Token timeline of request ${t.i}` }),
    ),
    h(
      'details',
      {},
      h('summary', {}, 'Events as a table'),
      h(
        'table',
        { id: 'timeline-table', class: 'data' },
        h(
          'thead',
          {},
          h('tr', {}, ...['#', 'Time after send (ms)', 'Gap (ms)', 'Kind'].map((x) => h('th', { scope: 'col' }, x))),
        ),
        h(
          'tbody',
          {},
          ...t.events
            .slice(0, 1000)
            .map((e, k) =>
              h(
                'tr',
                {},
                h('td', {}, String(k + 1)),
                h('td', {}, fmt(e.t)),
                h('td', {}, fmt(gaps[k])),
                h('td', {}, e.kinds.join(', ')),
              ),
            ),
        ),
      ),
    ),
  );
}

/** Each event at its time (x, ms after send) and its rank (y): the slope is the streaming rate, a flat run a stall. */
export function renderTimeline(canvas: HTMLCanvasElement, t: TokenTimeline, theme: ChartTheme): Chart {
  const content = t.events.map((e, k) => ({
    x: e.t,
    y: k + 1,
    content: e.kinds.some((x) => x === 'text' || x === 'choice' || x === 'reasoning'),
  }));
  const marks = [
    ...(t.headersMs !== undefined ? [{ label: 'headers', x: t.headersMs }] : []),
    { label: 'end', x: t.endMs },
  ];
  return new Chart(canvas, {
    type: 'scatter',
    data: {
      datasets: [
        {
          label: 'content events (text, choices, reasoning)',
          data: content.filter((p) => p.content),
          borderColor: theme.palette[0],
          backgroundColor: theme.palette[0],
          showLine: true,
          pointRadius: 2,
        },
        {
          label: 'other events (usage, done, error)',
          data: content.filter((p) => !p.content),
          borderColor: theme.palette[3],
          backgroundColor: theme.palette[3],
          pointRadius: 4,
          pointStyle: 'triangle',
        },
        {
          label: 'headers and end',
          data: marks.map((m) => ({ x: m.x, y: 0 })),
          borderColor: theme.palette[2],
          backgroundColor: theme.palette[2],
          pointRadius: 5,
          pointStyle: 'rectRot',
        },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      scales: {
        x: {
          type: 'linear',
          title: { display: true, text: 'Time after send (ms)', color: theme.foreground },
          ticks: { color: theme.foreground },
        },
        y: {
          type: 'linear',
          title: { display: true, text: 'Event number', color: theme.foreground },
          ticks: { color: theme.foreground },
        },
      },
      plugins: { legend: legendOptions(theme) },
    },
  });
}
