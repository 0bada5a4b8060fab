import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CommandIds } from '../../../src/shared/ids';
import { activateExtension, EXTENSION_ID } from './util';

interface Api {
  activationMs: number;
}

describe('activation and manifest', () => {
  it('activates without error and reports its activation time', async () => {
    const { ext, api } = await activateExtension<Api>();
    assert.equal(ext.isActive, true);
    assert.equal(typeof api.activationMs, 'number');
    assert.ok(api.activationMs > 0, 'activation time was measured');
    // Figures are printed for the run log (targets are checked from these numbers, not asserted).
    console.log(`activation time: ${api.activationMs.toFixed(1)} ms`);
  });

  it('declares no "*" activation and only lazy activation events', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { activationEvents?: string[] };
    for (const e of pkg.activationEvents ?? []) {
      assert.notEqual(e, '*');
      assert.notEqual(e, 'onStartupFinished');
    }
  });

  it('registers every command of contributes.commands, and contributes every command it registers', async () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { commands: Array<{ command: string; category?: string }> };
    };
    const contributed = new Set(pkg.contributes.commands.map((c) => c.command));
    const registered = new Set((await vscode.commands.getCommands(true)).filter((c) => c.startsWith('inferenceLab.')));
    // VS Code itself registers focus/reset commands for our views: not ours to declare.
    for (const c of [...registered])
      if (c.startsWith('inferenceLab.views.') || c.startsWith('inferenceLab.guide.view')) registered.delete(c);
    const missing = [...contributed].filter((c) => !registered.has(c));
    const undeclared = [...registered].filter((c) => !contributed.has(c));
    assert.deepEqual(missing, [], 'contributed but not registered');
    assert.deepEqual(undeclared, [], 'registered but not contributed');
    assert.deepEqual(new Set(Object.values(CommandIds)), contributed, 'the CommandIds table matches the manifest');
    for (const c of pkg.contributes.commands)
      assert.equal(c.category, 'Inference Lab', `${c.command} has the category`);
  });

  it('contributes the Servers view in its own activity-bar container', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.inferenceLab');
    await vscode.commands.executeCommand('inferenceLab.views.servers.focus');
  });
});
