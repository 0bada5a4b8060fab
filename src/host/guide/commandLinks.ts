import * as vscode from 'vscode';
import { CommandTitles } from '../../core/guide/commands';
import { parseCommandHref } from '../../core/guide/links';

export type CommandLinkOutcome = { ok: true } | { ok: false; message: string };

/**
 * Runs a `command:` link from a guide page. Commands that other parts of the
 * extension add may be missing from a given build; such a link gives a clear
 * message instead of VS Code's generic "command not found" error.
 */
export async function runCommandLink(href: string): Promise<CommandLinkOutcome> {
  const link = parseCommandHref(href);
  if (link.kind !== 'command')
    return {
      ok: false,
      message: `This link is not a valid command link (${link.kind === 'invalid' ? link.reason : href}).`,
    };
  const title = CommandTitles[link.command] ?? link.command;
  const known = await vscode.commands.getCommands(true);
  if (!known.includes(link.command)) {
    return {
      ok: false,
      message: `"${title}" is not available in this version of Inference Lab (command ${link.command} is not registered).`,
    };
  }
  try {
    await vscode.commands.executeCommand(link.command, ...link.args);
    return { ok: true };
  } catch (e) {
    return { ok: false, message: `"${title}" failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}
