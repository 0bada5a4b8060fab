import type { ModelMetadata } from '../../core/servers/types';
import type { TreeServer } from '../../core/servers/view/identities';
import type { RequestTarget } from '../../shared/request';
import type { EmbeddedEndpoints } from '../embedded/embeddedService';
import type { ServersService } from '../servers/serversService';

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

/**
 * Adapts the Servers view's service (and the embedded server's endpoints,
 * which may start the server on first use) to what the panel asks.
 */
export function requestServersFrom(service: ServersService, _embedded?: EmbeddedEndpoints): RequestServers {
  const toRequestServer = (s: TreeServer): RequestServer => {
    const st = service.state(s);
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
  };
  return {
    list: () => service.servers().map(toRequestServer),
    find(keyOrId) {
      const s = service.servers().find((x) => x.identity.key === keyOrId || x.config.id === keyOrId);
      return s ? toRequestServer(s) : undefined;
    },
    metadata(key, model) {
      const s = service.find(key);
      if (!s) return Promise.reject(new Error(`Server ${key} is no longer in the Servers view`));
      return service.modelMetadata(s, model);
    },
    refresh: (key) => service.refresh([key]),
  };
}
