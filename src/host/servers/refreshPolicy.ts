import * as vscode from 'vscode';
import type { RefreshScheduler } from '../../core/servers/view/refreshScheduler';

/**
 * Feeds the scheduler the only two facts that gate background probing: is
 * the Servers view visible, and is the window focused. A hidden view or a
 * window in the background sends no probes at all (explicit refreshes still run).
 */
export function gateByVisibility(
  view: vscode.TreeView<unknown>,
  scheduler: RefreshScheduler,
  onFirstVisible: () => void,
): vscode.Disposable {
  let seen = false;
  const apply = () => {
    if (view.visible && !seen) {
      seen = true;
      onFirstVisible();
    }
    scheduler.setActive(view.visible && vscode.window.state.focused);
  };
  apply();
  return vscode.Disposable.from(view.onDidChangeVisibility(apply), vscode.window.onDidChangeWindowState(apply));
}
