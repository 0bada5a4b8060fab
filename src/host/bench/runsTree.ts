import * as vscode from 'vscode';
import type { RunMeta } from '../../core/results/resultsStore';
import type { BenchService } from './benchService';
import { CommandIds } from '../../shared/ids';
import { groupLabel } from '../../shared/benchGroups';

export class RunItem extends vscode.TreeItem {
  constructor(readonly run: RunMeta) {
    super(run.name, vscode.TreeItemCollapsibleState.None);
    this.id = `run:${run.id}`;
    const date = new Date(run.createdAt).toLocaleString();
    const where = [run.server.kind, run.server.model].filter(Boolean).join(' ');
    const workers = run.workers?.length ? `${run.workers.length} workers` : '';
    this.description = [
      run.baseline ? 'baseline' : '',
      groupLabel(run.group),
      where,
      workers,
      run.status === 'complete' ? run.headline : run.status,
    ]
      .filter(Boolean)
      .join(' · ');
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${escapeMd(run.name)}**\n\n`);
    md.appendMarkdown(
      `${groupLabel(run.group)} on ${escapeMd(run.server.url)}${where ? ` (${escapeMd(where)})` : ''}\n\n`,
    );
    md.appendMarkdown(
      `Started ${date} · ${run.status}${run.incompleteReason ? `: ${escapeMd(run.incompleteReason)}` : ''}${run.headline ? `\n\n${escapeMd(run.headline)}` : ''}`,
    );
    if (run.workers?.length)
      md.appendMarkdown(`\n\nWorkers (one merged result):\n\n${run.workers.map((w) => `- ${escapeMd(w)}`).join('\n')}`);
    this.tooltip = md;
    this.iconPath =
      run.status === 'running'
        ? new vscode.ThemeIcon('loading~spin')
        : run.status === 'incomplete'
          ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
          : new vscode.ThemeIcon(
              run.baseline ? 'pinned' : 'graph',
              run.baseline ? new vscode.ThemeColor('charts.blue') : undefined,
            );
    this.contextValue = `run.${run.status}${run.baseline ? '.baseline' : ''}`;
    this.command = { command: CommandIds.runsOpen, title: 'Open', arguments: [this] };
  }
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/** The Benchmark Runs view: saved runs, newest first. */
export class RunsTreeProvider implements vscode.TreeDataProvider<RunItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly service: BenchService) {
    this.sub = service.onDidChange(() => this.changed.fire(undefined));
  }

  getTreeItem(e: RunItem): vscode.TreeItem {
    return e;
  }

  async getChildren(): Promise<RunItem[]> {
    try {
      return (await this.service.list()).map((r) => new RunItem(r));
    } catch (e) {
      this.service.log.error(`Benchmark runs: ${(e as Error).message}`);
      return [];
    }
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
