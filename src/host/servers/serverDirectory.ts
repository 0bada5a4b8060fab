import * as vscode from 'vscode';
import type { ServerConfig } from '../../core/servers/types';
import type { ServerChoice } from '../../shared/servers';
import type { ApiKeyStore } from './apiKeys';
import type { ServersService } from './serversService';

/**
 * The servers of the tree as other panels (request, benchmark) see them: a
 * list for a picker, and the full config of one, API key included, for the
 * moment a request is sent. Callers must not log or persist that config.
 */
export interface ServerDirectory {
  /** Fires when the list or a server's status may have changed. */
  readonly onDidChange: vscode.Event<void>;
  /** Every server of the tree (configured, embedded personalities, discovered), without secrets. */
  list(): Promise<ServerChoice[]>;
  /** The config of a server by its `ServerChoice.id`, with its API key from secret storage. */
  config(id: string): Promise<ServerConfig | undefined>;
}

export function serverDirectory(
  load: () => Promise<ServersService>,
  apiKeys: ApiKeyStore,
): ServerDirectory & vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const subs: vscode.Disposable[] = [changed];
  const service = async () => {
    const s = await load();
    if (subs.length === 1)
      subs.push(
        s.onDidChange(() => changed.fire()),
        apiKeys.onDidChange(() => changed.fire()),
      );
    return s;
  };
  return {
    dispose: () => vscode.Disposable.from(...subs).dispose(),
    onDidChange: changed.event,
    list: async () => (await service()).choices(),
    async config(id) {
      const s = await service();
      const server = s.servers().find((x) => x.config.id === id);
      return server && s.configWithKey(server);
    },
  };
}
