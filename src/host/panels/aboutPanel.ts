import * as vscode from 'vscode';
import type { AboutHostToWebview, AboutStatus, AboutWebviewToHost } from '../../shared/messages/about';
import type { Logger } from '../../core/util/logger';
import { PanelMessenger } from './panelMessenger';
import { renderWebviewHtml, webviewOptions } from './webviewHtml';
import { CommandIds, PanelTypes } from '../../shared/ids';

export interface StatusSource {
  /** Reports the state of the extension's own components (embedded server, docker, …). */
  components(): Array<{ name: string; state: string; detail?: string }>;
  activationMs(): number;
}

/** The About / status panel: one instance, revealed if already open. */
export class AboutPanel implements vscode.Disposable {
  static readonly viewType = PanelTypes.about;
  private static current: AboutPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly messenger: PanelMessenger<AboutHostToWebview, AboutWebviewToHost>;

  static show(context: vscode.ExtensionContext, source: StatusSource, log: Logger): AboutPanel {
    if (AboutPanel.current) {
      AboutPanel.current.panel.reveal();
      return AboutPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      AboutPanel.viewType,
      'Inference Lab: About',
      vscode.ViewColumn.Active,
      webviewOptions(context.extensionUri),
    );
    AboutPanel.current = new AboutPanel(panel, context, source, log);
    return AboutPanel.current;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly source: StatusSource,
    log: Logger,
  ) {
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.svg');
    panel.webview.html = renderWebviewHtml(panel.webview, context.extensionUri, {
      panel: 'about',
      title: 'Inference Lab: About',
    });
    this.messenger = new PanelMessenger<AboutHostToWebview, AboutWebviewToHost>(
      panel.webview,
      {
        onReady: () => this.sendStatus(),
        onMessage: (msg) => this.onMessage(msg),
      },
      (e) => log.error(`About panel: ${String(e)}`),
    );
    this.disposables.push(
      this.messenger,
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private async onMessage(msg: AboutWebviewToHost): Promise<void> {
    switch (msg.type) {
      case 'refresh':
        this.sendStatus();
        break;
      case 'showLog':
        await vscode.commands.executeCommand(CommandIds.showLog);
        break;
      case 'openSettings':
        await vscode.commands.executeCommand('workbench.action.openSettings', '@ext:inference-lab.inference-lab');
        break;
      case 'ready':
        break;
    }
  }

  private sendStatus(): void {
    this.messenger.post({ type: 'status', status: this.collect(), refreshedAt: new Date().toISOString() });
  }

  private collect(): AboutStatus {
    const cfg = vscode.workspace.getConfiguration('inferenceLab');
    const inspectKeys = ['embeddedServer.enabled', 'refresh.intervalSeconds', 'discovery.enabled'];
    return {
      version: String(this.context.extension.packageJSON.version ?? '?'),
      vscodeVersion: vscode.version,
      uiKind: vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop',
      remoteName: vscode.env.remoteName ?? null,
      activationMs: Math.round(this.source.activationMs() * 10) / 10,
      nodeVersion: process.version,
      platform: `${process.platform}-${process.arch}`,
      workspaceTrusted: vscode.workspace.isTrusted,
      logLevel: vscode.LogLevel[vscode.env.logLevel] ?? String(vscode.env.logLevel),
      settings: inspectKeys.map((k) => ({ key: `inferenceLab.${k}`, value: JSON.stringify(cfg.get(k)) })),
      components: this.source.components(),
    };
  }

  dispose(): void {
    AboutPanel.current = undefined;
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}
