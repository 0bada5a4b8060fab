import * as vscode from 'vscode';
import type { ProfileName } from '../../core/bench/spec';
import type {
  ExportKind,
  ResultsHostToWebview,
  ResultsPanelState,
  ResultsWebviewToHost,
} from '../../shared/messages/results';
import { PanelMessenger } from '../panels/panelMessenger';
import { renderWebviewHtml, webviewOptions } from '../panels/webviewHtml';
import type { BenchService } from './benchService';
import { loadRunViews } from '../../core/results/runViews';
import { PanelTypes } from '../../shared/ids';

/**
 * Results of one run, or of several runs compared on the same charts. The
 * webview keeps only UI state; data comes from the saved files each time it
 * is shown, so reopened panels (after a window reload) show what is on disk.
 */
export class ResultsPanel implements vscode.Disposable {
  static readonly viewType = PanelTypes.results;
  private static readonly open = new Map<string, ResultsPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly messenger: PanelMessenger<ResultsHostToWebview, ResultsWebviewToHost>;
  private profile: ProfileName | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  /** Last render report of the webview (tests and bench read it). */
  lastRender: { charts: number; ms: number } | undefined;

  static show(context: vscode.ExtensionContext, service: BenchService, runIds: string[], title?: string): ResultsPanel {
    const key = [...runIds].sort().join('+');
    const existing = ResultsPanel.open.get(key);
    if (existing) {
      existing.panel.reveal();
      existing.refresh();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      ResultsPanel.viewType,
      title ?? 'Benchmark results',
      vscode.ViewColumn.Active,
      webviewOptions(context.extensionUri),
    );
    return new ResultsPanel(panel, context, service, runIds);
  }

  /** Restores a panel after a window reload (WebviewPanelSerializer). */
  static revive(
    panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    service: BenchService,
    state: ResultsPanelState | undefined,
  ): void {
    const ids = Array.isArray(state?.runIds) ? state.runIds.filter((x) => typeof x === 'string') : [];
    panel.webview.options = webviewOptions(context.extensionUri);
    const p = new ResultsPanel(panel, context, service, ids);
    if (state?.profile) p.profile = state.profile;
  }

  static all(): ResultsPanel[] {
    return [...ResultsPanel.open.values()];
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    private readonly service: BenchService,
    readonly runIds: string[],
  ) {
    ResultsPanel.open.set([...runIds].sort().join('+'), this);
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.svg');
    panel.webview.html = renderWebviewHtml(panel.webview, context.extensionUri, {
      panel: 'results',
      title: 'Benchmark results',
    });
    this.messenger = new PanelMessenger<ResultsHostToWebview, ResultsWebviewToHost>(
      panel.webview,
      { onReady: () => this.refresh(), onMessage: (m) => this.onMessage(m) },
      (e) => this.fail(e),
    );
    this.disposables.push(
      this.messenger,
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.visible) this.messenger.reset();
      }),
      service.onDidChange(() => this.scheduleRefresh()),
      service.onDidLive(({ runId, live }) => {
        if (this.runIds.includes(runId)) this.messenger.post({ type: 'live', live });
      }),
    );
    // The tab is named after the run(s) at once, not when the webview is first shown and loads.
    void this.titleFromStore().catch(() => undefined);
  }

  private async titleFromStore(): Promise<void> {
    const store = await this.service.store();
    const names = await Promise.all(
      this.runIds.map((id) =>
        store.meta(id).then(
          (m) => m.name,
          () => undefined,
        ),
      ),
    );
    const known = names.filter((n): n is string => n !== undefined);
    if (known.length) this.panel.title = panelTitle(known);
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.refresh();
    }, 200);
  }

  refresh(): void {
    void this.load().catch((e) => this.fail(e));
  }

  private async load(): Promise<void> {
    const store = await this.service.store();
    const { runs, compare, profile, missing } = await loadRunViews(store, this.runIds, this.profile);
    this.profile = profile;
    const live = this.runIds.map((id) => this.service.running.get(id)?.live).find(Boolean);
    if (runs.length) this.panel.title = panelTitle(runs.map((r) => r.name));
    if (!runs.length) {
      const running = this.runIds.some((id) => this.service.running.has(id));
      this.messenger.post({
        type: running ? 'busy' : 'error',
        message: running
          ? 'Starting the benchmark…'
          : `Nothing to show: ${missing.join('; ') || 'the run was deleted'}`,
      });
      if (live) this.messenger.post({ type: 'live', live });
      return;
    }
    this.messenger.post({ type: 'runs', runs, compare, profile, live, title: this.panel.title });
    if (missing.length) this.messenger.post({ type: 'notice', message: `Not shown: ${missing.join('; ')}` });
  }

  private async onMessage(m: ResultsWebviewToHost): Promise<void> {
    switch (m.type) {
      case 'setProfile':
        this.profile = m.profile;
        this.messenger.post({
          type: 'busy',
          message: `Recomputing for the ${m.profile} profile from the raw records…`,
        });
        await this.load();
        break;
      case 'export':
        await this.exportRun(m.runId, m.kind);
        break;
      case 'exportPng':
        await this.exportPng(m.chartId, m.dataUrl);
        break;
      case 'rendered':
        this.lastRender = { charts: m.charts, ms: m.ms };
        break;
      case 'requests':
      case 'timeline':
        await this.requestDetail(m);
        break;
      case 'ready':
        break;
    }
  }

  /** A step's requests, or one request's token timeline, from the run's raw records. */
  private async requestDetail(m: Extract<ResultsWebviewToHost, { type: 'requests' | 'timeline' }>): Promise<void> {
    if (!this.runIds.includes(m.runId)) return;
    const store = await this.service.store();
    const result = await store.result(m.runId);
    if (!result) throw new Error('That run has no result yet.');
    const { stepRequests, requestTimeline } = await import('../../core/results/requests.js');
    const recordsPath = store.recordsPath(m.runId);
    if (m.type === 'requests') {
      const step = result.steps.find((s) => s.index === m.stepIndex);
      if (!step) throw new Error(`The run has no step ${m.stepIndex + 1}.`);
      this.messenger.post({
        type: 'requests',
        view: await stepRequests(m.runId, recordsPath, step, this.profile ?? result.profile, m.sort),
      });
    } else {
      const timeline = await requestTimeline(
        m.runId,
        recordsPath,
        m.i,
        new Map(result.steps.map((s) => [s.index, s.label])),
      );
      if (!timeline) throw new Error(`Request ${m.i} is not in the raw records.`);
      this.messenger.post({ type: 'timeline', timeline });
    }
  }

  /** Writes the export next to the results (`.inference-lab/exports/`) and opens it. */
  async exportRun(runId: string, kind: ExportKind): Promise<vscode.Uri> {
    const store = await this.service.store();
    const { runs } = await loadRunViews(store, [runId], this.profile);
    const run = runs[0];
    if (!run) throw new Error('That run has no result to export.');
    const { toCsv, toMarkdown } = await import('../../core/results/export.js');
    const { resultToJson } = await import('../../core/bench/result.js');
    const ext = kind === 'markdown' ? 'md' : kind;
    const text =
      kind === 'csv' ? toCsv(run) : kind === 'markdown' ? toMarkdown(run) : resultToJson((await store.result(runId))!);
    const uri = vscode.Uri.joinPath(this.service.exportsDir, `${safeName(run.name)}-${run.profile}.${ext}`);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
    await vscode.window.showTextDocument(uri, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    void vscode.window.showInformationMessage(
      `Exported ${kind.toUpperCase()} to ${vscode.workspace.asRelativePath(uri)}`,
    );
    return uri;
  }

  private async exportPng(chartId: string, dataUrl: string): Promise<void> {
    const m = /^data:image\/png;base64,(.+)$/.exec(dataUrl);
    if (!m) throw new Error('The chart could not be encoded as PNG.');
    const uri = vscode.Uri.joinPath(this.service.exportsDir, `${safeName(this.panel.title)}-${safeName(chartId)}.png`);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(m[1], 'base64'));
    const open = await vscode.window.showInformationMessage(
      `Saved chart to ${vscode.workspace.asRelativePath(uri)}`,
      'Open',
    );
    if (open) await vscode.commands.executeCommand('vscode.open', uri);
  }

  private fail(e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    this.service.log.error(`Results panel: ${message}`);
    this.messenger.post({ type: 'error', message });
  }

  dispose(): void {
    ResultsPanel.open.delete([...this.runIds].sort().join('+'));
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

/** A results tab's title: the run's name, or how many runs are compared. */
function panelTitle(names: string[]): string {
  return names.length > 1 ? `Compare ${names.length} runs` : `Benchmark: ${names[0]}`;
}

function safeName(s: string): string {
  return (
    s
      .replace(/[^\w.-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'run'
  );
}
