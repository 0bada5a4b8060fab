import * as vscode from 'vscode';
import type { RequestTarget } from '../../shared/request';
import { normalizeBaseUrl } from '../../core/servers/serverHttp';
import { parseNodeId } from '../../core/servers/view/nodeIds';
import { serverKinds } from '../../core/servers/types';
import type { RequestServer, RequestServers } from '../../core/request/requestServers';

/**
 * The argument of `inferenceLab.request.new`. Any of:
 * - a Servers tree node (the tree hands over `{ id }`: `<serverKey>` for a
 *   server, `<serverKey>/model:<name>` for a model),
 * - `{ serverId | serverKey, model? }` naming a server of the tree,
 * - a full target `{ baseUrl, kind, serverId?, serverName?, model?, grpcAddress?, wsUrl? }` (any reachable server).
 */
export type RequestCommandArg = {
  id?: string;
  serverKey?: string;
  serverId?: string;
  model?: string;
  baseUrl?: string;
  kind?: string;
  serverName?: string;
  grpcAddress?: string;
  wsUrl?: string;
  role?: string;
};

function withModel(s: RequestServer, model: string | undefined): RequestTarget {
  return { ...s.target, model: model ?? s.target.model ?? s.models[0] };
}

/** The target named by a command argument, or undefined when it names nothing (then the user picks). */
export function targetFromArg(arg: unknown, servers: RequestServers | undefined): RequestTarget | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const a = { ...(arg as RequestCommandArg) };
  if (typeof a.id === 'string' && !a.serverKey && !a.baseUrl) {
    const node = parseNodeId(a.id);
    a.serverKey = node.serverKey;
    a.model ??= node.model;
  }
  const model = typeof a.model === 'string' && a.model ? a.model : undefined;
  const known = (a.serverKey && servers?.find(a.serverKey)) || (a.serverId && servers?.find(a.serverId));
  if (known) return withModel(known, model);
  if (typeof a.baseUrl === 'string') {
    const baseUrl = normalizeBaseUrl(a.baseUrl);
    const id = a.serverId ?? `url.${new URL(baseUrl).host}`;
    return {
      serverId: id,
      serverName: a.serverName ?? new URL(baseUrl).host,
      kind: a.kind ?? 'openai',
      baseUrl,
      grpcAddress: a.grpcAddress,
      wsUrl: a.wsUrl,
      model,
    };
  }
  if (a.serverKey || a.serverId)
    throw new Error(`Server ${a.serverKey ?? a.serverId} is not in the Servers view (any more)`);
  return undefined;
}

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
  if (s.models.length <= 1) return withModel(s, undefined);
  const model = await vscode.window.showQuickPick(s.models, { title: `New Request: model on ${s.target.serverName}` });
  return model ? withModel(s, model) : undefined;
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
