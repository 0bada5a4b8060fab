import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, waitFor } from './util';

describe('About / status panel', () => {
  before(async () => {
    await activateExtension();
  });

  it('opens as a webview panel and is revealed, not duplicated, when run again', async () => {
    await vscode.commands.executeCommand('inferenceLab.about.show');
    const tabOf = () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .filter((t) => t.input instanceof vscode.TabInputWebview && t.label === 'Inference Lab: About');
    await waitFor(() => tabOf().length === 1, 'the About tab');
    await vscode.commands.executeCommand('inferenceLab.about.show');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(tabOf().length, 1);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
