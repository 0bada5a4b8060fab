import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-table/index.js';
import '@vscode-elements/elements/dist/vscode-table-header/index.js';
import '@vscode-elements/elements/dist/vscode-table-header-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-body/index.js';
import '@vscode-elements/elements/dist/vscode-table-row/index.js';
import '@vscode-elements/elements/dist/vscode-table-cell/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import type { AboutHostToWebview, AboutStatus, AboutWebviewToHost } from '../../src/shared/messages/about';
import { h, WebviewMessenger } from '../common/messenger';
import { aboutRows } from './model';

const app = document.getElementById('app') as HTMLElement;
const messenger = new WebviewMessenger<AboutHostToWebview, AboutWebviewToHost>((msg) => {
  if (msg.type === 'status') render(msg.status, msg.refreshedAt);
  else app.replaceChildren(h('p', { class: 'error', role: 'alert' }, msg.message));
});

function table(caption: string, rows: Array<[string, string]>, id: string): HTMLElement {
  return h(
    'section',
    { 'aria-label': caption },
    h('h2', {}, caption),
    h(
      'vscode-table',
      { id, zebra: true, 'bordered-rows': true, resizable: true },
      h(
        'vscode-table-header',
        { slot: 'header' },
        h('vscode-table-header-cell', {}, 'Item'),
        h('vscode-table-header-cell', {}, 'Value'),
      ),
      h(
        'vscode-table-body',
        { slot: 'body' },
        ...rows.map(([k, v]) =>
          h('vscode-table-row', {}, h('vscode-table-cell', {}, k), h('vscode-table-cell', {}, v)),
        ),
      ),
    ),
  );
}

function render(s: AboutStatus, refreshedAt: string): void {
  const model = aboutRows(s);
  const refresh = h('vscode-button', { id: 'refresh', icon: 'refresh' }, 'Refresh');
  refresh.addEventListener('click', () => messenger.post({ type: 'refresh' }));
  const showLog = h('vscode-button', { id: 'show-log', secondary: true, icon: 'output' }, 'Show Log');
  showLog.addEventListener('click', () => messenger.post({ type: 'showLog' }));
  const settings = h('vscode-button', { id: 'open-settings', secondary: true, icon: 'settings-gear' }, 'Settings');
  settings.addEventListener('click', () => messenger.post({ type: 'openSettings' }));
  app.removeAttribute('aria-busy');
  app.replaceChildren(
    h('h1', {}, `Inference Lab ${s.version}`),
    h(
      'p',
      { id: 'activation' },
      `Activated in ${s.activationMs} ms · refreshed ${new Date(refreshedAt).toLocaleTimeString()}`,
    ),
    h('div', { class: 'toolbar' }, refresh, showLog, settings),
    table('Environment', model.environment, 'env-table'),
    table('Components', model.components, 'components-table'),
    table('Settings', model.settings, 'settings-table'),
  );
}
