import * as vscode from 'vscode';
import { focusViewCommand, StatusBarIds, ViewIds } from '../../shared/ids';

/**
 * "$(server) 3/4 ready" in the status bar: the servers of the tree that
 * passed their last probe. Clicking it opens the Servers view. Hidden while
 * the tree holds no server.
 */
export class ServersStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(StatusBarIds.servers, vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Inference Lab: Servers';
    this.item.command = { command: focusViewCommand(ViewIds.servers), title: 'Open the Servers view' };
  }

  update(counts: { ready: number; total: number; probing: number }, asOf: Date): void {
    if (!counts.total) return this.item.hide();
    const time = asOf.toLocaleTimeString();
    this.item.text = `$(server) ${counts.ready}/${counts.total} ready`;
    const probing = counts.probing ? `, ${counts.probing} not probed yet` : '';
    this.item.tooltip = `Inference Lab: ${counts.ready} of ${counts.total} servers ready${probing} (as of ${time}). Click to open the Servers view.`;
    this.item.accessibilityInformation = { label: `Inference Lab: ${counts.ready} of ${counts.total} servers ready` };
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
