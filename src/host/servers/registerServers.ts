import * as vscode from 'vscode';
import type { ContainerServerSource } from '../../core/servers/view/containerNodes';
import { RefreshScheduler } from '../../core/servers/view/refreshScheduler';
import type { Logger } from '../../core/util/logger';
import { EmbeddedController } from '../embedded/embeddedController';
import { embeddedComponent, embeddedEndpoints, type EmbeddedEndpoints } from '../embedded/embeddedService';
import { ApiKeyStore } from './apiKeys';
import type { ServersCommandContext } from './commands/commandContext';
import { registerServerCommands } from './commands/registerServerCommands';
import { serverDirectory, type ServerDirectory } from './serverDirectory';
import { onServerSettingsChanged, readServerSettings, type ServerSettings } from './serverSettings';
import type { ServersService } from './serversService';
import { ServersTreeProvider } from './serversTree';
import { gateByVisibility } from './refreshPolicy';
import { ServersStatusBar } from './statusBar';
import { ContextKeys, ViewIds } from '../../shared/ids';

/** What the Servers view offers the rest of the extension. */
export interface ServersApi {
  /** The embedded server's endpoints ("the embedded vLLM URL"), starting it on demand. */
  readonly embedded: EmbeddedEndpoints;
  /** The servers of the tree, for pickers in other panels, with their API keys on request. */
  readonly directory: ServerDirectory;
  /** The Servers view's service itself (servers, their last probe, model metadata), loaded on first call. */
  service(): Promise<ServersService>;
  /** Lines for the About panel. */
  components(): Array<{ name: string; state: string; detail?: string }>;
  /** Stops the embedded server; awaited by `deactivate`. */
  shutdown(): Promise<void>;
  /** Shows Docker containers (and their servers) in the tree; the containers feature attaches its watcher. */
  attachContainers(source: ContainerServerSource): vscode.Disposable;
}

/**
 * Registers the Servers view, its commands, status bar item and refresh
 * policy. Cheap: the prober, the adapters and the embedded server load with
 * `import()` when the view is first shown or a command needs them.
 */
export function registerServers(context: vscode.ExtensionContext, log: Logger): ServersApi {
  let settings: ServerSettings = readServerSettings();
  const apiKeys = new ApiKeyStore(context.secrets);
  const embedded = new EmbeddedController(() => settings.embedded, log);
  const statusBar = new ServersStatusBar();
  let service: ServersService | undefined;
  let loading: Promise<ServersService> | undefined;
  let containers: ContainerServerSource | undefined;
  const load = (): Promise<ServersService> =>
    (loading ??= import('./serversService.js').then(({ ServersService: S }) => {
      const s = new S({ apiKeys, embedded, log, settings: () => settings, containers: () => containers });
      context.subscriptions.push(
        s,
        s.onDidChange(() => (provider.update(), statusBar.update(s.counts(), new Date()))),
      );
      return (service = s);
    }));
  const provider = new ServersTreeProvider(load, log);
  const view = vscode.window.createTreeView(ViewIds.servers, { treeDataProvider: provider, showCollapseAll: true });
  const scheduler = new RefreshScheduler(async () => (await load()).refresh(), {
    intervalMs: settings.refresh.intervalMs,
    onError: (e) => log.error(`servers refresh: ${e instanceof Error ? e.message : String(e)}`),
  });
  const directory = serverDirectory(load, apiKeys);
  const ctx: ServersCommandContext = {
    provider,
    service: load,
    apiKeys,
    embedded,
    view,
    log,
    refreshAll: () => scheduler.refreshNow(),
  };

  const autoStart = () => {
    if (settings.embedded.enabled && embedded.state.phase === 'stopped') void embedded.start().catch(() => undefined);
  };
  const onSettings = () => {
    const before = settings;
    settings = readServerSettings();
    scheduler.setIntervalMs(settings.refresh.intervalMs);
    if (JSON.stringify(before.discovery) !== JSON.stringify(settings.discovery)) service?.resetDiscovery();
    if (!settings.embedded.enabled && embedded.state.phase !== 'stopped') void embedded.stop();
    else if (!before.embedded.enabled && view.visible) autoStart();
    else if (JSON.stringify(before.embedded) !== JSON.stringify(settings.embedded))
      void embedded.restartIfRunning().catch(() => undefined);
    service?.invalidate();
    scheduler.request();
  };
  const onEmbedded = () => {
    void vscode.commands.executeCommand('setContext', ContextKeys.embeddedRunning, embedded.state.phase === 'running');
    service?.invalidate();
    if (embedded.state.phase === 'running') scheduler.request();
  };
  context.subscriptions.push(
    view,
    provider,
    directory,
    statusBar,
    embedded,
    { dispose: () => scheduler.dispose() },
    registerServerCommands(ctx),
    onServerSettingsChanged(onSettings),
    apiKeys.onDidChange(() => (service?.invalidate(), scheduler.request())),
    embedded.onDidChange(onEmbedded),
    gateByVisibility(view, scheduler, autoStart),
  );
  return {
    embedded: embeddedEndpoints(embedded, () => settings.embedded.enabled),
    directory,
    service: load,
    components: () => {
      const c = service?.counts();
      return [
        embeddedComponent(embedded.state),
        { name: 'Servers view', state: c ? `${c.ready}/${c.total} ready` : 'not opened yet' },
      ];
    },
    shutdown: () => embedded.stop(),
    attachContainers(source) {
      containers = source;
      service?.invalidate();
      return new vscode.Disposable(() => {
        if (containers === source) containers = undefined;
        service?.invalidate();
      });
    },
  };
}
