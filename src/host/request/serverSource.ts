import { requestServerOf, type RequestServers } from '../../core/request/requestServers';
import type { TreeServer } from '../../core/servers/view/identities';
import type { EmbeddedEndpoints } from '../embedded/embeddedService';
import type { ServersService } from '../servers/serversService';

/**
 * Adapts the Servers view's service (and the embedded server's endpoints,
 * which may start the server on first use) to what the panel asks.
 */
export function requestServersFrom(service: ServersService, _embedded?: EmbeddedEndpoints): RequestServers {
  const toRequestServer = (s: TreeServer) => requestServerOf(s, service.state(s));
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
