/**
 * The servers the request panel can talk to, as the panel sees them: a tree server's target
 * without its secrets, its models and status. The host adapts the Servers view's service to
 * `RequestServers` (src/host/request/serverSource.ts).
 */
import type { RequestTarget } from '../../shared/request';
import type { ModelMetadata } from '../servers/types';
import type { TreeServer } from '../servers/view/identities';
import type { ServerViewState } from '../servers/view/viewState';

/** A server the request panel can talk to, without its secrets. */
export interface RequestServer {
  /** The tree's server key (`cfg:<id>`, `emb:vllm`, `disc:8000`). */
  key: string;
  target: RequestTarget;
  models: string[];
  status: string;
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
    grpcAddress: s.config.grpcAddress,
    wsUrl: wsUrlFor(s),
    allowSelfSigned: s.config.allowSelfSigned,
  };
  return { key: s.identity.key, target, models: st.models.map((m) => m.name), status: st.status };
}
