import * as vscode from 'vscode';
import type { Logger } from '../../core/util/logger';
import type { ResultsStore, RunMeta } from '../../core/results/resultsStore';
import type { LiveState } from '../../shared/messages/results';

/**
 * Where saved runs live and which runs are in progress. The store module
 * loads on first use; events tell the runs tree and result panels to refresh.
 */
export class BenchService implements vscode.Disposable {
  private storeInstance: ResultsStore | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly liveChanged = new vscode.EventEmitter<{ runId: string; live: LiveState }>();
  readonly onDidChange = this.changed.event;
  readonly onDidLive = this.liveChanged.event;
  /** Runs in progress in this window: id → cancel. */
  readonly running = new Map<string, { cancel(): void; live: LiveState }>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly log: Logger,
  ) {}

  /** `.inference-lab/results` in the first workspace folder, or the extension's global storage without a folder. */
  get root(): vscode.Uri {
    const ws = vscode.workspace.workspaceFolders?.[0];
    return ws
      ? vscode.Uri.joinPath(ws.uri, '.inference-lab', 'results')
      : vscode.Uri.joinPath(this.context.globalStorageUri, 'results');
  }

  get exportsDir(): vscode.Uri {
    const ws = vscode.workspace.workspaceFolders?.[0];
    return ws
      ? vscode.Uri.joinPath(ws.uri, '.inference-lab', 'exports')
      : vscode.Uri.joinPath(this.context.globalStorageUri, 'exports');
  }

  async store(): Promise<ResultsStore> {
    if (!this.storeInstance || this.storeInstance.root !== this.root.fsPath) {
      const { ResultsStore: S } = await import('../../core/results/resultsStore.js');
      this.storeInstance = new S(this.root.fsPath);
    }
    return this.storeInstance;
  }

  async list(): Promise<RunMeta[]> {
    return (await this.store()).list();
  }

  fireChanged(): void {
    this.changed.fire();
  }

  fireLive(runId: string, live: LiveState): void {
    this.liveChanged.fire({ runId, live });
  }

  dispose(): void {
    for (const r of this.running.values()) r.cancel();
    this.changed.dispose();
    this.liveChanged.dispose();
  }
}
