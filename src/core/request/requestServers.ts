/**
 * The servers the request panel can talk to, as the panel sees them: a tree server's target
 * without its secrets, its models and status. The host adapts the Servers view's service to
 * `RequestServers` (src/host/request/serverSource.ts).
 */
import type { RequestTarget } from '../../shared/request';
import type { ModelMetadata } from '../servers/types';
import type { TreeServer } from '../servers/view/identities';
import type { ServerViewState } from '../servers/view/viewState';
import { normalizeBaseUrl } from '../servers/serverHttp';
import { parseNodeId } from '../servers/view/nodeIds';

/** A server the request panel can talk to, without its secrets. */
export interface RequestServer {
  /** The tree's server key (`cfg:<id>`, `emb:vllm`, `disc:8000`). */
  key: string;
  target: RequestTarget;
  models: string[];
  /** Models served under a route prefix of the server (a Ray Serve application's), by model name. */
  routes?: Record<string, string>;
  status: string;
}

/**
 * The target of a request to `model` on `s` (its first model when none is named): the server's URL, plus the
 * route prefix of the application serving the model (Ray Serve), so a draft's `/v1/...` path lands on it.
 */
export function modelTarget(s: RequestServer, model?: string): RequestTarget {
  const m = model ?? s.target.model ?? s.models[0];
  const route = m === undefined ? undefined : s.routes?.[m]?.replace(/\/+$/, '');
  return { ...s.target, model: m, ...(route ? { baseUrl: `${s.target.baseUrl}${route}` } : {}) };
}

/** What the panel needs from the Servers view: the servers, and a model's metadata. */
export interface RequestServers {
  list(): RequestServer[];
  /** By tree key or by server id. */
  find(keyOrId: string): RequestServer | undefined;
  metadata(key: string, model: string): Promise<ModelMetadata>;
  /** Probes one server now (its models are not known before its first probe). */
  refresh(key: string): Promise<void>;
}

/** The embedded vLLM personality has a WebSocket streaming endpoint at `/v1/stream`. */
export const EMBEDDED_WS_PATH = '/v1/stream';

function wsUrlFor(server: TreeServer): string | undefined {
  if (server.identity.origin !== 'embedded' || server.identity.id !== 'vllm') return undefined;
  const u = new URL(server.config.url);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  u.pathname = EMBEDDED_WS_PATH;
  return u.toString();
}

/** A tree server and its last probed state as the panel's server. */
export function requestServerOf(s: TreeServer, st: ServerViewState): RequestServer {
  const target: RequestTarget = {
    serverId: s.config.id,
    serverName: st.name ?? s.identity.name,
    kind: st.kind ?? s.identity.kind ?? 'openai',
    baseUrl: s.config.url.replace(/\/+$/, ''),
    // The configured address, else the one the probe found answering at the HTTP port + 1.
    grpcAddress: s.config.grpcAddress || st.grpcAddress,
    wsUrl: wsUrlFor(s),
    allowSelfSigned: s.config.allowSelfSigned,
  };
  const routes = Object.fromEntries(
    st.models.flatMap((m) => (m.application ? [[m.name, m.application.route] as const] : [])),
  );
  return {
    key: s.identity.key,
    target,
    models: st.models.map((m) => m.name),
    ...(Object.keys(routes).length ? { routes } : {}),
    status: st.status,
  };
}

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
  if (known) return modelTarget(known, model);
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
