import * as vscode from 'vscode';
import { GuideCommandIds } from '../../core/guide/commands';
import { commandHref } from '../../core/guide/links';

/**
 * "Learn more" links into the guide for tree nodes, panels and error messages.
 * A topic is a guide page id with an optional anchor, e.g. `servers/triton`
 * or `benchmarks/metrics#where-the-tools-disagree` (see GUIDE_TOC in
 * src/core/guide/toc.ts). Unknown topics open the guide's home page with a notice.
 */
export function learnMoreUri(topic: string): vscode.Uri {
  return vscode.Uri.parse(commandHref(GuideCommandIds.openGuide, topic));
}

/**
 * A Markdown link for a MarkdownString (hover, tooltip). The MarkdownString
 * must trust the command: `md.isTrusted = { enabledCommands: [GuideCommandIds.openGuide] }`.
 */
export function learnMoreMarkdown(topic: string, label = 'Learn more'): string {
  return `[${label}](${commandHref(GuideCommandIds.openGuide, topic)})`;
}

/** Opens the guide at a topic (for buttons, e.g. "Learn more" on an error notification). */
export function openLearnMore(topic: string): Thenable<unknown> {
  return vscode.commands.executeCommand(GuideCommandIds.openGuide, topic);
}

/** Shows an error with a "Learn more" button that opens the guide at `topic`. */
export async function showErrorWithLearnMore(message: string, topic: string): Promise<void> {
  if ((await vscode.window.showErrorMessage(message, 'Learn more')) === 'Learn more') await openLearnMore(topic);
}
