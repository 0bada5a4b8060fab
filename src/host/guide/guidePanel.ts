import * as vscode from 'vscode';
import type { GuideLibrary } from '../../core/guide/library';
import { GUIDE_HOME, isGuidePage, neighbours, splitTopic } from '../../core/guide/toc';
import type { Logger } from '../../core/util/logger';
import type { GuideHostToWebview, GuideTocEntry, GuideUiState, GuideWebviewToHost } from '../../shared/messages/guide';
import { PanelMessenger } from '../panels/panelMessenger';
import { renderWebviewHtml, webviewOptions } from '../panels/webviewHtml';
import { runCommandLink } from './commandLinks';
import { extensionGuide, tocWithTitles } from './guideContent';
import { PanelTypes } from '../../shared/ids';

/**
 * The guide panel: table of contents, search and pages rendered from
 * media/guide. One instance, revealed and navigated if already open; restored
 * after a reload by the serializer registered in registerGuide.
 */
export class GuidePanel implements vscode.Disposable {
  static readonly viewType = PanelTypes.guide;
  private static current: GuidePanel | undefined;
  private static library: GuideLibrary | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly messenger: PanelMessenger<GuideHostToWebview, GuideWebviewToHost>;
  private page = GUIDE_HOME;
  private anchor: string | undefined;
  /** Shown after the next page, which would otherwise clear it. */
  private pendingNotice: string | undefined;

  /** Opens (or reveals) the guide at `topic` (`page` or `page#anchor`). */
  static show(context: vscode.ExtensionContext, log: Logger, topic?: string): GuidePanel {
    if (GuidePanel.current) {
      GuidePanel.current.panel.reveal();
      if (topic) void GuidePanel.current.open(topic);
      return GuidePanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      GuidePanel.viewType,
      'Inference Lab Guide',
      vscode.ViewColumn.Active,
      webviewOptions(context.extensionUri),
    );
    GuidePanel.current = new GuidePanel(panel, context, log, topic);
    return GuidePanel.current;
  }

  /** Restores a panel VS Code kept across a reload. */
  static revive(
    panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    log: Logger,
    state: GuideUiState | undefined,
  ): GuidePanel {
    GuidePanel.current?.dispose();
    panel.webview.options = webviewOptions(context.extensionUri);
    GuidePanel.current = new GuidePanel(panel, context, log, state?.page);
    return GuidePanel.current;
  }

  static get isOpen(): boolean {
    return GuidePanel.current !== undefined;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly log: Logger,
    topic: string | undefined,
  ) {
    GuidePanel.library ??= extensionGuide(context.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.svg');
    panel.webview.html = renderWebviewHtml(panel.webview, context.extensionUri, {
      panel: 'guide',
      title: 'Inference Lab Guide',
      hasCss: true,
    });
    this.messenger = new PanelMessenger<GuideHostToWebview, GuideWebviewToHost>(
      panel.webview,
      { onReady: () => void this.sendAll(), onMessage: (msg) => this.onMessage(msg) },
      (e) => log.error(`Guide panel: ${String(e)}`),
    );
    if (topic) this.setTopic(topic);
    // The tab names the page at once, not only after the webview has loaded and asked for it.
    void this.showTitle();
    this.disposables.push(
      this.messenger,
      panel.onDidDispose(() => this.dispose()),
      // A hidden webview is torn down (no retainContextWhenHidden): wait for its next `ready`.
      panel.onDidChangeViewState((e) => {
        if (!e.webviewPanel.visible) this.messenger.reset();
      }),
    );
  }

  private get lib(): GuideLibrary {
    return GuidePanel.library as GuideLibrary;
  }

  /** Navigates to a topic; an unknown page falls back to the home page with a notice. */
  async open(topic: string): Promise<void> {
    this.setTopic(topic);
    await this.showTitle();
    await this.sendPage();
  }

  focusSearch(query?: string): void {
    this.messenger.post({ type: 'focusSearch', query });
  }

  private setTopic(topic: string): void {
    const { page, anchor } = splitTopic(topic);
    if (!isGuidePage(page)) {
      this.pendingNotice = `There is no guide page "${page}"; showing the guide's home page.`;
      this.page = GUIDE_HOME;
      this.anchor = undefined;
      return;
    }
    this.page = page;
    this.anchor = anchor;
  }

  private async showTitle(): Promise<void> {
    try {
      this.panel.title = `Guide: ${(await this.entry(this.page))?.title ?? this.page}`;
    } catch (e) {
      this.log.error(`Guide panel: ${String(e)}`);
    }
  }

  private async sendAll(): Promise<void> {
    try {
      this.messenger.post({ type: 'toc', sections: await tocWithTitles(this.lib) });
    } catch (e) {
      this.notice('error', e);
    }
    await this.sendPage();
  }

  private async sendPage(): Promise<void> {
    try {
      const guideRoot = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'guide');
      const page = await this.lib.render(this.page, {
        imageUrl: (p) => this.panel.webview.asWebviewUri(vscode.Uri.joinPath(guideRoot, p)).toString(),
      });
      const { prev, next } = neighbours(this.page);
      this.panel.title = `Guide: ${page.title}`;
      this.messenger.post({
        type: 'page',
        page: {
          id: page.id,
          title: page.title,
          html: page.html,
          prev: await this.entry(prev),
          next: await this.entry(next),
        },
        anchor: this.anchor,
      });
      if (this.pendingNotice) this.messenger.post({ type: 'notice', level: 'warning', message: this.pendingNotice });
      this.pendingNotice = undefined;
    } catch (e) {
      this.notice('error', e);
    }
  }

  private async entry(id: string | undefined): Promise<GuideTocEntry | undefined> {
    if (!id) return undefined;
    return { id, title: (await this.lib.parsed(id)).title || id };
  }

  private async onMessage(msg: GuideWebviewToHost): Promise<void> {
    switch (msg.type) {
      case 'open':
        await this.open(msg.anchor ? `${msg.page}#${msg.anchor}` : msg.page);
        break;
      case 'search': {
        const hits = await this.lib.search(msg.query);
        this.messenger.post({
          type: 'searchResults',
          query: msg.query,
          hits: hits.map(({ score: _score, ...h }) => h),
        });
        break;
      }
      case 'runCommand': {
        const outcome = await runCommandLink(msg.href);
        if (!outcome.ok) {
          this.messenger.post({ type: 'notice', level: 'warning', message: outcome.message });
          void vscode.window.showWarningMessage(outcome.message);
        }
        break;
      }
      case 'openExternal':
        // Only web documentation links; anything else in a page is not followed.
        if (/^https:\/\//i.test(msg.url)) await vscode.env.openExternal(vscode.Uri.parse(msg.url));
        break;
      case 'ready':
        break;
    }
  }

  private notice(level: 'warning' | 'error', e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    this.log.warn(`Guide: ${message}`);
    this.messenger.post({ type: 'notice', level, message });
  }

  dispose(): void {
    if (GuidePanel.current === this) GuidePanel.current = undefined;
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}
