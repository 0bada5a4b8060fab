/** The static frame of the request panel: header (server, model, template), toolbar, areas. */
import { h } from '../common/messenger';
import type { CopyFormat, RequestDraft, RequestPanelInit } from '../../src/shared/messages/request';
import { select, textfield } from './controls';

export interface PageHandlers {
  send(): void;
  cancel(): void;
  save(): void;
  copy(format: CopyFormat): void;
  changeModel(model: string): void;
  changeTemplate(template: string): void;
}

const copyLabels: Record<CopyFormat, string> = {
  curl: 'curl',
  grpcurl: 'grpcurl',
  python: 'Python',
  typescript: 'TypeScript',
};

function toolButton(id: string, label: string, icon: string, onClick: () => void, secondary = true): HTMLElement {
  const b = h('vscode-button', { id, icon, secondary }, label);
  b.addEventListener('click', onClick);
  return b;
}

export function copyButtons(formats: CopyFormat[], handlers: PageHandlers): HTMLElement {
  return h(
    'span',
    { id: 'copy-buttons', class: 'inline' },
    h('span', { class: 'muted' }, 'Copy as'),
    ...formats.map((f) => toolButton(`copy-${f}`, copyLabels[f], 'copy', () => handlers.copy(f))),
  );
}

export function header(init: RequestPanelInit, draft: RequestDraft, handlers: PageHandlers): HTMLElement {
  const t = init.target;
  const models = init.models.length ? init.models : draft.model ? [draft.model] : [];
  // Servers that cannot list their models (TF Serving) or not probed yet: the name is typed.
  const modelSel = models.length
    ? select(
        'model-select',
        models.map((m): [string, string] => [m, m]),
        draft.model,
        { id: 'model-select', 'aria-label': 'Model' },
      )
    : textfield('model-select', draft.model, { id: 'model-select', 'aria-label': 'Model', placeholder: 'model name' });
  modelSel.addEventListener('change', (e) => handlers.changeModel((e.target as HTMLElement & { value: string }).value));
  const templateSel = select(
    'template-select',
    init.templates.map((x): [string, string] => [x.id, x.label]),
    draft.template,
    { id: 'template-select', 'aria-label': 'Template' },
  );
  templateSel.addEventListener('change', (e) =>
    handlers.changeTemplate((e.target as HTMLElement & { value: string }).value),
  );
  const key = init.hasApiKey
    ? h(
        'vscode-badge',
        { id: 'api-key', title: 'The API key comes from secret storage and is never shown, saved or copied' },
        'API key ••••••',
      )
    : null;
  return h(
    'header',
    { class: 'target' },
    h('h1', { id: 'server-name' }, t.serverName),
    h(
      'div',
      { class: 'muted', id: 'server-url' },
      `${t.kind} · ${t.baseUrl}${t.grpcAddress ? ` · gRPC ${t.grpcAddress}` : ''}${init.fileName ? ` · ${init.fileName}` : ''}`,
    ),
    h(
      'div',
      { class: 'inline' },
      h('vscode-label', { for: 'model-select' }, 'Model'),
      modelSel,
      h('vscode-label', { for: 'template-select' }, 'Template'),
      templateSel,
      key,
    ),
    init.metadataError ? h('p', { class: 'muted', id: 'metadata-note' }, init.metadataError) : null,
  );
}

export function toolbar(init: RequestPanelInit, handlers: PageHandlers): HTMLElement {
  return h(
    'div',
    { class: 'toolbar', id: 'toolbar' },
    toolButton('send', 'Send', 'play', () => handlers.send(), false),
    toolButton('cancel', 'Cancel', 'debug-stop', () => handlers.cancel()),
    toolButton('save', init.fileName ? 'Save' : 'Save…', 'save', () => handlers.save()),
    copyButtons(init.copyFormats, handlers),
  );
}
