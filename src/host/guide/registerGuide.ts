import * as vscode from 'vscode';
import type { Logger } from '../../core/util/logger';
import type { GuideUiState } from '../../shared/messages/guide';
import { registerGuideLanguageFeatures } from './languageFeatures';
import { CommandIds, PanelTypes } from '../../shared/ids';
import { registerCommands } from '../commands/register';

/** The walkthrough contributed in package.json, as `<publisher>.<name>#<id>`. */
export const WALKTHROUGH_ID = 'inference-lab.inference-lab#inferenceLab.gettingStarted';

/**
 * Registers the guide: commands, the panel serializer and the config-file
 * language features. Activation stays cheap: the panel, markdown-it and the
 * search index load on first use.
 */
export function registerGuide(context: vscode.ExtensionContext, log: Logger): void {
  const panelModule = () => import('./guidePanel.js');
  context.subscriptions.push(
    registerCommands(log, {
      [CommandIds.openGuide]: async (topic?: unknown) => {
        (await panelModule()).GuidePanel.show(context, log, typeof topic === 'string' ? topic : undefined);
      },
      [CommandIds.searchGuide]: async (query?: unknown) => {
        (await panelModule()).GuidePanel.show(context, log).focusSearch(typeof query === 'string' ? query : undefined);
      },
      [CommandIds.openWalkthrough]: () =>
        vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false),
    }),
    vscode.window.registerWebviewPanelSerializer(PanelTypes.guide, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: GuideUiState | undefined) {
        (await panelModule()).GuidePanel.revive(panel, context, log, state);
      },
    }),
  );
  registerGuideLanguageFeatures(context);
}
