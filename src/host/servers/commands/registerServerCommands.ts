import type * as vscode from 'vscode';
import { CommandIds } from '../../../shared/ids';
import { registerCommands } from '../../commands/register';
import { addServer } from './addServer';
import type { ServerArg, ServersCommandContext } from './commandContext';
import { editServer } from './editServer';
import {
  copyServerUrl,
  openServerMetrics,
  refreshServers,
  removeServer,
  startEmbedded,
  stopEmbedded,
} from './serverActions';

/** Registers the Servers view's commands. Each resolves to its result so tests and other parts can call it. */
export function registerServerCommands(ctx: ServersCommandContext): vscode.Disposable {
  return registerCommands(ctx.log, {
    [CommandIds.addServer]: (arg?: ServerArg) => addServer(ctx, arg),
    [CommandIds.editServer]: (arg?: ServerArg) => editServer(ctx, arg),
    [CommandIds.removeServer]: (arg?: ServerArg, opts?: { confirm?: boolean }) => removeServer(ctx, arg, opts ?? {}),
    [CommandIds.refreshServers]: (arg?: ServerArg) => refreshServers(ctx, arg),
    [CommandIds.copyServerUrl]: (arg?: ServerArg) => copyServerUrl(ctx, arg),
    [CommandIds.openServerMetrics]: (arg?: ServerArg) => openServerMetrics(ctx, arg),
    [CommandIds.startEmbedded]: () => startEmbedded(ctx),
    [CommandIds.stopEmbedded]: () => stopEmbedded(ctx),
  });
}
