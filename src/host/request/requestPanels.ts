import * as vscode from 'vscode';
import type { RequestDraft, RequestTarget } from '../../shared/request';
import type { RequestUiState } from '../../shared/messages/request';
import { bindFile, fileErrorHtml } from './boundFile';
import { webviewOptions } from '../panels/webviewHtml';
import type { PanelContext } from './panelContext';
import { panelTitle, REQUEST_VIEW_TYPE, RequestPanel } from './requestPanel';
import { targetFromArg } from '../../core/request/requestServers';
import { pickTarget } from './targetPick';
import { PanelTypes } from '../../shared/ids';

const keyOf = (t: RequestTarget) => `${t.serverId}|${t.model ?? ''}`;

/**
 * Every open request panel, one per server/model (a second "New Request"
 * on the same model reveals the first), plus the panels of saved-request
 * files, which VS Code opens as a custom editor.
 */
export class RequestPanels
  implements vscode.Disposable, vscode.WebviewPanelSerializer<RequestUiState>, vscode.CustomTextEditorProvider
{
  private readonly open = new Map<string, RequestPanel>();

  constructor(private readonly ctx: PanelContext) {}

  /** `inferenceLab.request.new`: from a tree node, a target, or a pick. */
  async newRequest(arg?: unknown): Promise<RequestPanel | undefined> {
    const servers = await this.ctx.servers().catch(() => undefined);
    const target = targetFromArg(arg, servers) ?? (await pickTarget(servers));
    return target ? this.show(target) : undefined;
  }

  show(target: RequestTarget, draft?: RequestDraft): RequestPanel {
    const key = keyOf(target);
    const existing = this.open.get(key);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      REQUEST_VIEW_TYPE,
      panelTitle(target),
      vscode.ViewColumn.Active,
      webviewOptions(this.ctx.context.extensionUri),
    );
    return this.track(new RequestPanel(panel, this.ctx, target, draft, key));
  }

  /** Restores a panel after a reload from the webview's saved UI state. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: RequestUiState | undefined): Promise<void> {
    if (!state?.target?.baseUrl) {
      panel.dispose();
      return;
    }
    const key = keyOf(state.target);
    if (this.open.has(key)) {
      panel.dispose();
      this.open.get(key)?.reveal();
      return;
    }
    this.track(new RequestPanel(panel, this.ctx, state.target, state.draft, key));
  }

  /** A saved request opened by double click (or "Open in Request Panel"). */
  async resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): Promise<void> {
    const servers = await this.ctx.servers().catch(() => undefined);
    const bound = bindFile(document, servers);
    if ('error' in bound) {
      panel.webview.options = { enableScripts: false };
      panel.webview.html = fileErrorHtml(document, bound.error);
      return;
    }
    const p = new RequestPanel(panel, this.ctx, bound.target, bound.draft, document.uri.toString(), bound.file);
    p.onDidDispose(() => bound.file.dispose());
  }

  /** `inferenceLab.request.openFile`: a request file from the explorer or the active editor. */
  async openFile(uri?: vscode.Uri): Promise<void> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target) throw new Error('Choose a saved request file (.inference-lab/requests/*.json) to open');
    await vscode.commands.executeCommand('vscode.openWith', target, PanelTypes.requestFileEditor);
  }

  private track(p: RequestPanel): RequestPanel {
    this.open.set(p.key, p);
    p.onDidDispose(() => {
      if (this.open.get(p.key) === p) this.open.delete(p.key);
    });
    return p;
  }

  dispose(): void {
    for (const p of [...this.open.values()]) p.dispose();
    this.open.clear();
  }
}
