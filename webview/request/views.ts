/** One tab's content per response view: text, tensors, top-k, embeddings, messages, timing, headers. */
import { h } from '../common/messenger';
import type { ResponseView, SentSummary, TensorTable, TimingBreakdown } from '../../src/shared/messages/request';
import { fmtMs, fmtNumber, timingRows, waterfall } from './format';

export function table(id: string, headers: string[], rows: Array<Array<string | Node>>): HTMLElement {
  return h(
    'vscode-table',
    { id, zebra: true, 'bordered-rows': true, resizable: true },
    h('vscode-table-header', { slot: 'header' }, ...headers.map((c) => h('vscode-table-header-cell', {}, c))),
    h(
      'vscode-table-body',
      { slot: 'body' },
      ...rows.map((r) => h('vscode-table-row', {}, ...r.map((c) => h('vscode-table-cell', {}, c)))),
    ),
  );
}

function tensorBlock(t: TensorTable, i: number): HTMLElement {
  const cols = t.rows[0]?.length ?? 0;
  const stats = t.stats
    ? ` · min ${fmtNumber(t.stats.min)}, max ${fmtNumber(t.stats.max)}, mean ${fmtNumber(t.stats.mean)}`
    : '';
  const caption = `${t.name} · ${t.datatype} · shape [${t.shape.join(', ')}] · ${t.totalElements} elements${stats}${t.truncated ? ' · first rows and columns shown' : ''}`;
  return h(
    'div',
    { class: 'tensor-out', 'data-output': t.name },
    h('h3', {}, caption),
    // A native table in a scroller: tensors are wide, and numbers must not be cut to "1…".
    h(
      'div',
      { class: 'grid-scroll' },
      h(
        'table',
        { class: 'grid', id: `tensor-${i}` },
        h('thead', {}, h('tr', {}, h('th', {}, ''), ...Array.from({ length: cols }, (_, c) => h('th', {}, String(c))))),
        h(
          'tbody',
          {},
          ...t.rows.map((r, ri) => h('tr', {}, h('th', {}, String(ri)), ...r.map((v) => h('td', {}, fmtNumber(v))))),
        ),
      ),
    ),
  );
}

function bar(fraction: number): HTMLElement {
  const b = h('span', { class: 'bar' });
  // CSSOM, not a style attribute: the CSP allows no inline styles.
  b.style.width = `${Math.max(1, Math.round(fraction * 100))}%`;
  return b;
}

export function viewContent(v: ResponseView): HTMLElement {
  switch (v.type) {
    case 'generation':
      return h(
        'div',
        {},
        h('pre', { class: 'answer', id: 'answer' }, v.text),
        v.finishReason ? h('p', { class: 'muted', id: 'finish-reason' }, `finish reason: ${v.finishReason}`) : null,
      );
    case 'json':
      return h('pre', { class: 'json', id: 'json-body' }, v.text);
    case 'text':
      return h(
        'div',
        {},
        v.truncated ? h('p', { class: 'muted' }, 'Only the first part is shown.') : null,
        h('pre', { class: 'raw', id: 'raw-body' }, v.text),
      );
    case 'tensors':
      return h('div', { id: 'tensors' }, ...v.tensors.map(tensorBlock));
    case 'topk':
      return h(
        'div',
        { class: 'topk' },
        h('h3', {}, `Top ${v.labels.length} of ${v.output}`),
        table(
          'topk-table',
          ['label', 'score', '', 'index'],
          v.labels.map((l) => [
            l.label,
            `${(l.score * 100).toFixed(2)}%`,
            bar(l.score),
            l.index === undefined ? '' : String(l.index),
          ]),
        ),
      );
    case 'embeddings':
      return table(
        'embeddings-table',
        ['#', 'dimensions', 'L2 norm', 'first values'],
        v.items.map((e) => [
          String(e.index),
          String(e.dims),
          e.norm.toFixed(4),
          e.preview.map((x) => x.toFixed(4)).join(', ') + (e.dims > e.preview.length ? ', …' : ''),
        ]),
      );
    case 'messages':
      return table(
        'messages-table',
        ['at', 'direction', 'data'],
        v.items.map((m) => [fmtMs(m.atMs), m.direction === 'sent' ? '→ sent' : '← received', h('code', {}, m.data)]),
      );
  }
}

export const viewTitles: Record<ResponseView['type'], string> = {
  generation: 'Answer',
  json: 'JSON',
  text: 'Body',
  tensors: 'Tensors',
  topk: 'Top-k',
  embeddings: 'Embeddings',
  messages: 'Messages',
};

export function timingContent(t: TimingBreakdown, transport: string): HTMLElement {
  const bars = new Map(waterfall(t).map((w) => [w.id, w]));
  const rows = timingRows(t, transport).map((r) => {
    const w = bars.get(r.id);
    const lane = h('span', { class: 'lane' });
    if (w && r.ms !== undefined) {
      const seg = bar(w.width);
      seg.classList.add(`phase-${r.id}`);
      seg.style.marginLeft = `${Math.round(w.start * 100)}%`;
      lane.append(seg);
    }
    return [r.label, r.ms !== undefined ? fmtMs(r.ms) : (r.note ?? '—'), lane];
  });
  return table('timing-table', ['phase', 'time', ''], rows);
}

export function headersContent(headers: Record<string, string>, id: string): HTMLElement {
  return table(
    id,
    ['header', 'value'],
    Object.entries(headers).map(([k, v]) => [k, v]),
  );
}

export function sentContent(s: SentSummary): HTMLElement {
  return h(
    'div',
    { id: 'sent' },
    h('p', {}, h('code', {}, `${s.method} ${s.url}`)),
    Object.keys(s.headers).length ? headersContent(s.headers, 'sent-headers') : null,
    s.body ? h('pre', { class: 'raw' }, s.body) : null,
  );
}
