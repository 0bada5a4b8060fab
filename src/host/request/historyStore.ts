import type * as vscode from 'vscode';
import { pushHistory, readHistory } from '../../core/request/history';
import type { HistoryEntry } from '../../shared/request';

/**
 * Request history per server in workspace state (global state when no folder
 * is open): the last 50 requests with their timings. Drafts are masked
 * before they get here; nothing in it is a secret.
 */
export class HistoryStore {
  private readonly changed = new Set<(serverId: string, entries: HistoryEntry[]) => void>();

  constructor(private readonly memento: vscode.Memento) {}

  private key(serverId: string): string {
    return `inferenceLab.request.history.${serverId}`;
  }

  list(serverId: string): HistoryEntry[] {
    return readHistory(this.memento.get(this.key(serverId)));
  }

  async add(serverId: string, entry: HistoryEntry): Promise<HistoryEntry[]> {
    const next = pushHistory(this.list(serverId), entry);
    await this.memento.update(this.key(serverId), next);
    this.emit(serverId, next);
    return next;
  }

  async clear(serverId: string): Promise<void> {
    await this.memento.update(this.key(serverId), undefined);
    this.emit(serverId, []);
  }

  /** Other panels of the same server refresh their history list. */
  onDidChange(listener: (serverId: string, entries: HistoryEntry[]) => void): vscode.Disposable {
    this.changed.add(listener);
    return { dispose: () => this.changed.delete(listener) };
  }

  private emit(serverId: string, entries: HistoryEntry[]): void {
    for (const l of this.changed) l(serverId, entries);
  }
}
