import type { AnyMessage } from '../../src/shared/messages/protocol';

interface VsCodeApi<S> {
  postMessage(msg: unknown): void;
  getState(): S | undefined;
  setState(state: S): void;
}
declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

/**
 * The webview side of a panel's typed protocol. Create it once per page; it
 * posts `ready` after the listener is attached, so the host can flush its queue.
 * UI state (never data) persists through get/setState across reloads.
 */
export class WebviewMessenger<FromHost extends AnyMessage, ToHost extends AnyMessage, UiState extends object = object> {
  private readonly api: VsCodeApi<UiState> = acquireVsCodeApi<UiState>();

  constructor(onMessage: (msg: FromHost) => void) {
    window.addEventListener('message', (ev: MessageEvent<FromHost>) => {
      if (ev.data && typeof ev.data.type === 'string') onMessage(ev.data);
    });
    this.api.postMessage({ type: 'ready' });
  }

  post(msg: ToHost): void {
    this.api.postMessage(msg);
  }

  get state(): UiState | undefined {
    return this.api.getState();
  }

  setState(patch: Partial<UiState>): void {
    this.api.setState({ ...(this.api.getState() ?? ({} as UiState)), ...patch });
  }
}

/** Creates an element with attributes and children (no innerHTML: CSP and escaping). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Record<string, string | number | boolean | undefined>,
  ...children: Array<Node | string | null | undefined>
): HTMLElementTagNameMap[K];
export function h(
  tag: string,
  attrs?: Record<string, string | number | boolean | undefined>,
  ...children: Array<Node | string | null | undefined>
): HTMLElement;
export function h(
  tag: string,
  attrs: Record<string, string | number | boolean | undefined> | undefined,
  ...children: Array<Node | string | null | undefined>
): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) el.append(c);
  return el;
}
