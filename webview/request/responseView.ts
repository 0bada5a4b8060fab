/**
 * The response area: status line, error banner, live metrics, then one tab
 * per view plus Timing, Headers and Request. While a stream runs, text is
 * appended to the Answer tab as it arrives.
 */
import { h } from '../common/messenger';
import type { RequestResult, SentSummary, StreamMetrics } from '../../src/shared/messages/request';
import { fmtBytes, fmtMs, metricItems } from './format';
import { headersContent, sentContent, timingContent, viewContent, viewTitles } from './views';

export function metricsStrip(m: StreamMetrics | undefined): HTMLElement {
  const strip = h('div', { id: 'metrics', class: 'metrics', role: 'status', 'aria-live': 'polite' });
  if (!m) return strip;
  for (const it of metricItems(m))
    strip.append(
      h(
        'span',
        { class: 'metric', id: `metric-${it.id}`, title: it.title },
        h('span', { class: 'metric-label' }, it.label),
        h('span', { class: 'metric-value' }, it.value),
      ),
    );
  return strip;
}

function tabs(entries: Array<[string, string, HTMLElement]>, selected: string | undefined): HTMLElement {
  const idx = Math.max(
    0,
    entries.findIndex(([id]) => id === selected),
  );
  const el = h('vscode-tabs', { id: 'response-tabs', 'selected-index': String(idx) });
  for (const [id, title, content] of entries) {
    // vscode-tabs assigns its own ids to headers and panels: ours go in data-tab.
    el.append(
      h('vscode-tab-header', { slot: 'header', 'data-tab': id }, title),
      h('vscode-tab-panel', { 'data-tab': id }, content),
    );
  }
  return el;
}

/** A response area for a request that has just started: the sent request and an empty answer. */
export function startedArea(sent: SentSummary): HTMLElement {
  return h(
    'section',
    { id: 'response', 'aria-label': 'Response', 'aria-busy': 'true' },
    h(
      'div',
      { id: 'status-line', class: 'status-line' },
      h('vscode-progress-ring', { class: 'ring' }),
      h('span', { id: 'status-text' }, `Sending ${sent.method} ${sent.url}…`),
    ),
    metricsStrip(undefined),
    tabs(
      [
        ['generation', 'Answer', h('pre', { class: 'answer', id: 'answer' })],
        ['request', 'Request', sentContent(sent)],
      ],
      'generation',
    ),
  );
}

export function statusText(r: RequestResult): string {
  const head =
    r.status !== undefined
      ? `HTTP ${r.status}${r.statusText ? ` ${r.statusText}` : ''}`
      : r.cancelled
        ? 'Cancelled'
        : (r.statusText ?? 'No answer');
  const parts = [head, fmtBytes(r.sizeBytes), fmtMs(r.timing.totalMs)];
  if (r.stream) parts.push(`${r.stream.tokenCount} tokens`);
  return parts.join(' · ');
}

/** The full response area for a finished request. `tab` keeps the user's last chosen tab when it exists. */
export function resultArea(r: RequestResult, sent: SentSummary | undefined, tab: string | undefined): HTMLElement {
  const entries: Array<[string, string, HTMLElement]> = r.views.map((v, i) => [
    i === r.views.findIndex((x) => x.type === v.type) ? v.type : `${v.type}-${i}`,
    viewTitles[v.type],
    viewContent(v),
  ]);
  entries.push(['timing', 'Timing', timingContent(r.timing, sent?.transport ?? 'http')]);
  if (Object.keys(r.headers).length)
    entries.push(['headers', 'Headers', headersContent(r.headers, 'response-headers')]);
  if (sent) entries.push(['request', 'Request', sentContent(sent)]);
  const badge = h(
    'vscode-badge',
    { id: 'status-badge', variant: 'counter', class: r.ok ? 'ok' : 'bad' },
    r.status !== undefined ? String(r.status) : r.cancelled ? 'cancelled' : r.ok ? 'OK' : 'error',
  );
  return h(
    'section',
    { id: 'response', 'aria-label': 'Response' },
    h('div', { id: 'status-line', class: 'status-line' }, badge, h('span', { id: 'status-text' }, statusText(r))),
    r.error
      ? h('div', { id: 'error', class: `error-banner kind-${r.error.kind}`, role: 'alert' }, r.error.message)
      : null,
    r.notes?.length ? h('ul', { id: 'notes', class: 'notes muted' }, ...r.notes.map((n) => h('li', {}, n))) : null,
    metricsStrip(r.stream),
    tabs(entries, tab && entries.some(([id]) => id === tab) ? tab : entries[0]?.[0]),
  );
}
