/** Small builders over vscode-elements for the request form (named controls, so FormData reads them). */
import { h } from '../common/messenger';

let counter = 0;
const nextId = (name: string) => `f-${name.replace(/[^a-z0-9]/gi, '-')}-${++counter}`;

export function labelled(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || nextId(control.getAttribute('name') ?? 'field');
  control.id = id;
  return h(
    'div',
    { class: 'field' },
    h('vscode-label', { for: id }, label),
    control,
    hint ? h('div', { class: 'hint muted' }, hint) : null,
  );
}

export function textfield(
  name: string,
  value: string | number | undefined,
  attrs: Record<string, string | boolean | undefined> = {},
): HTMLElement {
  const el = h('vscode-textfield', { name, ...attrs });
  (el as HTMLElement & { value: string }).value = value === undefined ? '' : String(value);
  return el;
}

export function textarea(
  name: string,
  value: string | undefined,
  rows = 4,
  attrs: Record<string, string | boolean | undefined> = {},
): HTMLElement {
  const el = h('vscode-textarea', { name, rows: String(rows), resize: 'vertical', monospace: true, ...attrs });
  (el as HTMLElement & { value: string }).value = value ?? '';
  return el;
}

export function select(
  name: string,
  options: Array<[string, string]>,
  selected: string | undefined,
  attrs: Record<string, string | boolean | undefined> = {},
): HTMLElement {
  return h(
    'vscode-single-select',
    { name, ...attrs },
    ...options.map(([value, label]) => h('vscode-option', { value, selected: value === selected }, label)),
  );
}

export function checkbox(name: string, label: string, checked: boolean): HTMLElement {
  return h('vscode-checkbox', { name, checked, label });
}

export function radios(name: string, options: Array<[string, string]>, selected: string | undefined): HTMLElement {
  return h(
    'vscode-radio-group',
    {},
    ...options.map(([value, label]) => h('vscode-radio', { name, value, checked: value === selected, label })),
  );
}

export function button(
  label: string,
  onClick: () => void,
  attrs: Record<string, string | boolean | undefined> = {},
): HTMLElement {
  const b = h('vscode-button', { ...attrs }, label);
  b.addEventListener('click', (e) => {
    e.preventDefault();
    onClick();
  });
  return b;
}

export function section(title: string, ...children: Array<Node | null | undefined>): HTMLElement {
  return h('fieldset', { class: 'section' }, h('legend', {}, title), ...children);
}

/** The current value of a named control inside `root`. */
export function valueOf(root: ParentNode, name: string): string {
  const el = root.querySelector(`[name="${CSS.escape(name)}"]`) as (HTMLElement & { value?: string }) | null;
  return el?.value ?? '';
}
