import * as vscode from 'vscode';
import type { Logger } from '../../core/util/logger';
import type { RequestUiState } from '../../shared/messages/request';
import { CommandIds, PanelTypes } from '../../shared/ids';
import { registerCommand } from '../commands/register';
import type { ServersApi } from '../servers/registerServers';
import type { RequestPanels } from './requestPanels';
import type { RequestServers } from '../../core/request/requestServers';

export interface RequestPanelDeps {
  log: Logger;
  /** The Servers view's API (servers, model metadata, embedded endpoints); undefined when not registered. */
  servers(): ServersApi | undefined;
}

/** The Servers view as the panel sees it; its service loads on first call. */
async function requestServers(deps: RequestPanelDeps): Promise<RequestServers | undefined> {
  const api = deps.servers();
  if (!api) return undefined;
  const [{ requestServersFrom }, service] = await Promise.all([import('./serverSource.js'), api.service()]);
  return requestServersFrom(service, api.embedded);
}

/** View type of the saved-request custom editor (`**\/.inference-lab/requests/*.json`). */
export const REQUEST_FILE_EDITOR = PanelTypes.requestFileEditor;

/**
 * Registers the request panel's commands, its panel serializer (restores
 * panels after a reload) and the saved-request editor. The panel code is
 * loaded on first use only.
 */
export function registerRequestPanel(context: vscode.ExtensionContext, deps: RequestPanelDeps): void {
  let panels: Promise<RequestPanels> | undefined;
  const load = () =>
    (panels ??= (async () => {
      const [{ RequestPanels }, { HistoryStore }] = await Promise.all([
        import('./requestPanels.js'),
        import('./historyStore.js'),
      ]);
      const memento = vscode.workspace.workspaceFolders?.length ? context.workspaceState : context.globalState;
      const p = new RequestPanels({
        context,
        log: deps.log,
        history: new HistoryStore(memento),
        servers: () => requestServers(deps),
      });
      context.subscriptions.push(p);
      return p;
    })());
  context.subscriptions.push(
    // Resolves to the panel (undefined when the user cancelled), so code and tests can drive it.
    registerCommand(
      deps.log,
      CommandIds.newRequest,
      async (arg?: unknown) => (await load()).newRequest(arg),
      'New Request',
    ),
    registerCommand(
      deps.log,
      CommandIds.openRequestFile,
      async (uri?: vscode.Uri) => (await load()).openFile(uri),
      'Open in Request Panel',
    ),
    vscode.window.registerWebviewPanelSerializer(PanelTypes.request, {
      deserializeWebviewPanel: (panel: vscode.WebviewPanel, state: RequestUiState | undefined) =>
        load().then((p) => p.deserializeWebviewPanel(panel, state)),
    }),
    vscode.window.registerCustomEditorProvider(
      REQUEST_FILE_EDITOR,
      { resolveCustomTextEditor: (doc, panel) => load().then((p) => p.resolveCustomTextEditor(doc, panel)) },
      { webviewOptions: { retainContextWhenHidden: false } },
    ),
  );
}
