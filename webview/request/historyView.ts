/** The per-server history list: the last requests with their timings; "Load" puts one back in the form. */
import { h } from '../common/messenger';
import type { HistoryEntry } from '../../src/shared/messages/request';
import { fmtMs } from './format';
import { table } from './views';

export function historySection(
  entries: HistoryEntry[],
  load: (e: HistoryEntry) => void,
  clear: () => void,
): HTMLElement {
  const rows = entries.map((e) => {
    const btn = h(
      'vscode-button',
      { secondary: true, icon: 'history', 'aria-label': `Load request from ${e.at}` },
      'Load',
    );
    btn.addEventListener('click', () => load(e));
    const ttft = e.stream?.ttftMs !== undefined ? ` · TTFT ${fmtMs(e.stream.ttftMs)}` : '';
    return [
      new Date(e.at).toLocaleTimeString(),
      h('span', { class: e.ok ? '' : 'error' }, e.summary),
      `${fmtMs(e.timing.totalMs)}${ttft}`,
      btn,
    ];
  });
  const clearBtn = h('vscode-button', { secondary: true, icon: 'clear-all', id: 'clear-history' }, 'Clear history');
  clearBtn.addEventListener('click', clear);
  return h(
    'details',
    { id: 'history', open: entries.length > 0 },
    h('summary', {}, `History (${entries.length})`),
    entries.length
      ? table('history-table', ['time', 'request', 'timing', ''], rows)
      : h('p', { class: 'muted' }, 'Requests you send to this server are listed here (the last 50).'),
    entries.length ? clearBtn : null,
  );
}
