import * as vscode from 'vscode';
import type { Logger } from '../../core/util/logger';
import type { CommandId } from '../../shared/ids';

/** A command handler: any arguments VS Code, a menu or a caller passes; its result is the command's result. */
export type CommandHandler = (...args: never[]) => unknown;

/**
 * The one way the extension registers a command. The handler's result is the
 * command's result (tests and other features call commands and use it). A throw
 * or a rejection is logged with the command id and shown as a message, never a
 * stack trace in a toast; the command then resolves to undefined. `label`
 * prefixes the message with what failed ("New Request: …").
 */
export function registerCommand(
  log: Logger,
  id: CommandId,
  handler: CommandHandler,
  label?: string,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await handler(...(args as never[]));
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      log.error(`${label ?? id}: ${msg}`);
      void vscode.window.showErrorMessage(label ? `${label}: ${msg}` : msg);
      return undefined;
    }
  });
}

/** Registers a feature's handlers, one per command id, through `registerCommand`. */
export function registerCommands(log: Logger, handlers: Partial<Record<CommandId, CommandHandler>>): vscode.Disposable {
  return vscode.Disposable.from(
    ...Object.entries(handlers).map(([id, fn]) => registerCommand(log, id as CommandId, fn as CommandHandler)),
  );
}
