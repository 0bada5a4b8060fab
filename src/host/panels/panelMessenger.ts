import type * as vscode from 'vscode';
import type { AnyMessage } from '../../shared/messages/protocol';

/**
 * Typed messaging with a webview. Posts made before the webview said `ready`
 * are queued and flushed in order once it does (a webview that is still
 * loading drops messages). A reload of the webview (e.g. after it was hidden)
 * sends `ready` again, which calls `onReady` again so the panel re-sends data.
 */
export class PanelMessenger<ToWebview extends AnyMessage, FromWebview extends AnyMessage> implements vscode.Disposable {
  private ready = false;
  private queue: ToWebview[] = [];
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly webview: vscode.Webview,
    handlers: { onReady(): void; onMessage(msg: FromWebview): void | Promise<void> },
    private readonly onError: (e: unknown) => void = () => {},
  ) {
    this.sub = webview.onDidReceiveMessage((msg: FromWebview | { type: 'ready' }) => {
      if (msg?.type === 'ready') {
        this.ready = true;
        const q = this.queue;
        this.queue = [];
        for (const m of q) void this.webview.postMessage(m);
        handlers.onReady();
        return;
      }
      Promise.resolve()
        .then(() => handlers.onMessage(msg as FromWebview))
        .catch(this.onError);
    });
  }

  post(msg: ToWebview): void {
    if (!this.ready) this.queue.push(msg);
    else void this.webview.postMessage(msg);
  }

  /** The webview was re-created (hidden then shown): wait for a new `ready`. */
  reset(): void {
    this.ready = false;
  }

  dispose(): void {
    this.sub.dispose();
    this.queue = [];
  }
}
