import * as vscode from 'vscode';
import type { RequestTarget } from '../../shared/request';
import { normalizeBaseUrl } from '../../core/servers/serverHttp';
import { serverKinds } from '../../core/servers/types';
import { modelTarget, targetFromArg, type RequestServer, type RequestServers } from '../../core/request/requestServers';

/** Asks for a server (tree servers, or a URL) and a model. Undefined when the user cancels. */
export async function pickTarget(servers: RequestServers | undefined): Promise<RequestTarget | undefined> {
  const list = servers?.list() ?? [];
  const byUrl = {
    label: '$(globe) Enter a URL…',
    description: 'any inference server',
    server: undefined as RequestServer | undefined,
  };
  const items = [
    ...list.map((s) => ({
      label: s.target.serverName,
      description: `${s.target.kind} · ${s.target.baseUrl}`,
      detail: s.status === 'ready' ? undefined : s.status,
      server: s as RequestServer | undefined,
    })),
    byUrl,
  ];
  const chosen = await vscode.window.showQuickPick(items, {
    title: 'New Request: server',
    placeHolder: 'Send the request to…',
  });
  if (!chosen) return undefined;
  if (!chosen.server) return targetFromUrl();
  let s = chosen.server;
  if (!s.models.length && s.status === 'probing' && servers) {
    // Picked before its first probe finished: its models are not known yet.
    const key = s.key;
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Reading the models of ${s.target.serverName}…` },
      () => servers.refresh(key),
    );
    s = servers.find(key) ?? s;
  }
  if (s.models.length <= 1) return modelTarget(s, undefined);
  const model = await vscode.window.showQuickPick(s.models, { title: `New Request: model on ${s.target.serverName}` });
  return model ? modelTarget(s, model) : undefined;
}

async function targetFromUrl(): Promise<RequestTarget | undefined> {
  const url = await vscode.window.showInputBox({
    title: 'New Request: server URL',
    value: 'http://127.0.0.1:8000',
    validateInput: (v) => {
      try {
        normalizeBaseUrl(v);
        return undefined;
      } catch (e) {
        return e instanceof Error ? e.message : String(e);
      }
    },
  });
  if (!url) return undefined;
  const kind = await vscode.window.showQuickPick([...serverKinds], {
    title: 'New Request: which protocol does it speak?',
  });
  if (!kind) return undefined;
  const model = await vscode.window.showInputBox({ title: 'New Request: model name (empty for none)' });
  if (model === undefined) return undefined;
  return targetFromArg({ baseUrl: url, kind, model }, undefined);
}
