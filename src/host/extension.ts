import * as vscode from 'vscode';
import { CommandIds } from './commands/ids';
import { AboutPanel } from './panels/aboutPanel';
import { channelLogger } from './platform/logger';
import { ServersTreeProvider } from './tree/serversTree';

const activationStart = performance.now();
let activationMs = 0;

/** activate() only composes services and registers contributions; heavy modules load lazily. */
export function activate(context: vscode.ExtensionContext): { activationMs: number } {
  const t0 = performance.now();
  const channel = vscode.window.createOutputChannel('Inference Lab', { log: true });
  context.subscriptions.push(channel);
  const log = channelLogger(channel);

  const servers = new ServersTreeProvider();
  context.subscriptions.push(servers, vscode.window.createTreeView('inferenceLab.views.servers', { treeDataProvider: servers, showCollapseAll: true }));

  const status = {
    activationMs: () => activationMs,
    components: () => [{ name: 'Servers view', state: 'registered' }],
  };
  context.subscriptions.push(
    vscode.commands.registerCommand(CommandIds.showAbout, () => AboutPanel.show(context, status, log)),
    vscode.commands.registerCommand(CommandIds.showLog, () => channel.show(true)),
  );

  activationMs = performance.now() - t0;
  log.debug(`activated in ${activationMs.toFixed(1)} ms (module load to ready ${(performance.now() - activationStart).toFixed(1)} ms)`);
  return { activationMs };
}

export function deactivate(): void {}
