import * as vscode from 'vscode';
import { CommandIds } from '../../commands/ids';
import { addServer } from './addServer';
import type { ServerArg, ServersCommandContext } from './commandContext';
import { editServer } from './editServer';
import { copyServerUrl, openServerMetrics, refreshServers, removeServer, startEmbedded, stopEmbedded } from './serverActions';

/** Registers the Servers view's commands. Each resolves to its result so tests and other parts can call it. */
export function registerServerCommands(ctx: ServersCommandContext): vscode.Disposable {
  const on = (id: string, fn: (arg?: ServerArg, ...rest: unknown[]) => unknown) =>
    vscode.commands.registerCommand(id, async (arg?: ServerArg, ...rest: unknown[]) => {
      try {
        return await fn(arg, ...rest);
      } catch (e) {
        // A handler bug or a failed settings write: a message, never a stack trace in a toast.
        const msg = e instanceof Error ? e.message : String(e);
        ctx.log.error(`${id}: ${msg}`);
        void vscode.window.showErrorMessage(msg);
        return undefined;
      }
    });
  return vscode.Disposable.from(
    on(CommandIds.addServer, (arg) => addServer(ctx, arg)),
    on(CommandIds.editServer, (arg) => editServer(ctx, arg)),
    on(CommandIds.removeServer, (arg, opts) => removeServer(ctx, arg, (opts ?? {}) as { confirm?: boolean })),
    on(CommandIds.refreshServers, (arg) => refreshServers(ctx, arg)),
    on(CommandIds.copyServerUrl, (arg) => copyServerUrl(ctx, arg)),
    on(CommandIds.openServerMetrics, (arg) => openServerMetrics(ctx, arg)),
    on(CommandIds.startEmbedded, () => startEmbedded(ctx)),
    on(CommandIds.stopEmbedded, () => stopEmbedded(ctx)),
  );
}
