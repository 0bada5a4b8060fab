import * as vscode from 'vscode';
import type { LaunchedServer } from '../../core/docker/launch/launch';
import type { Logger } from '../../core/util/logger';
import { CommandIds, focusViewCommand, ViewIds } from '../../shared/ids';
import { registerCommands } from '../commands/register';
import { redactingOutput } from '../platform/logger';
import type { ServersApi } from '../servers/registerServers';
import type * as Actions from './containerActions';
import type { ActionDeps, ContainerArg } from './containerActions';
import { askSecret } from './containerSecrets';
import { onContainerSettingsChanged, readContainerSettings } from './containerSettings';
import type { MappedContainer } from '../../core/containers/containerServers';
import type { ContainerWatcher } from './containerWatcher';
import { DockerAccess } from '../../core/docker/engine/dockerAccess';
import type { LaunchArg } from './launch/launchCommand';
import { WorkspacePresets } from './workspacePresets';

/**
 * GPU containers: the Launch Inference Server command, the Containers group
 * of the Servers tree (kept current by the Docker event stream) and the
 * container commands. Cheap to register: dockerode, the docker core and the
 * launch flow load with `import()` when the tree or a command first needs them.
 */
export function registerContainers(context: vscode.ExtensionContext, log: Logger, servers: ServersApi): void {
  let settings = readContainerSettings();
  const access = new DockerAccess(() => settings.docker, log);
  const presets = new WorkspacePresets(log);
  let output: vscode.OutputChannel | undefined;
  const outputChannel = () => (output ??= createOutput(context));
  let watcher: ContainerWatcher | undefined;
  let loading: Promise<ContainerWatcher> | undefined;
  const loadWatcher = () =>
    (loading ??= import('./containerWatcher.js').then(({ ContainerWatcher: W }) => {
      const w = new W({ access, settings: () => settings, presets: () => presets.presets, log });
      context.subscriptions.push(
        w,
        w.onDidChange((keys) => void reprobe(servers, keys, log)),
      );
      void presets.all().catch(() => undefined);
      return (watcher = w);
    }));

  context.subscriptions.push(
    presets,
    // The tree asks first; the watcher (and the engine connection) loads on that first question.
    servers.attachContainers({
      servers: () => (watcher ? watcher.servers() : (void loadWatcher(), [])),
      view: (stateOf) => watcher?.view(stateOf),
    }),
    onContainerSettingsChanged(() => {
      settings = readContainerSettings();
      watcher?.reset();
    }),
  );

  const onReady = async (server: LaunchedServer) => {
    const w = await loadWatcher();
    await w.refreshNow();
    const key = w.find(server.containerName)?.server?.identity.key;
    if (key) await (await servers.service()).refresh([key]);
    await vscode.commands.executeCommand(focusViewCommand(ViewIds.servers));
    const actions = ['Open Request Panel', 'Run Benchmark', 'Show Logs'] as const;
    void vscode.window
      .showInformationMessage(
        `${server.containerName} is ready at ${server.baseUrl} (${(server.readyAfterMs / 1000).toFixed(1)} s).`,
        ...actions,
      )
      .then((a) => {
        const id =
          a === actions[0]
            ? CommandIds.containerOpenRequest
            : a === actions[1]
              ? CommandIds.containerRunBenchmark
              : a === actions[2]
                ? CommandIds.containerLogs
                : undefined;
        if (id) void vscode.commands.executeCommand(id, server.containerName);
      });
  };
  const launching = (name: string, active: boolean) => void loadWatcher().then((w) => w.setLaunching(name, active));
  const launchDeps = () => ({
    secrets: context.secrets,
    settings: () => settings,
    log,
    output: outputChannel,
    access,
    presets,
    memento: context.workspaceState,
    onReady,
    launching,
  });
  // Container commands: the actions module and the watcher load on first use; the node, name or a pick says which container.
  const withContainer =
    <T>(fn: (m: typeof Actions, deps: ActionDeps, c: MappedContainer) => Promise<T>) =>
    async (arg?: ContainerArg) => {
      const [m, w] = await Promise.all([import('./containerActions.js'), loadWatcher()]);
      const deps = { access, watcher: w, presets, settings: () => settings, log };
      const c = await m.resolveContainer(deps, arg);
      return c && fn(m, deps, c);
    };

  context.subscriptions.push(
    registerCommands(log, {
      [CommandIds.launchContainer]: async (arg?: LaunchArg) =>
        (await import('./launch/launchCommand.js')).launchCommand(launchDeps(), arg),
      [CommandIds.containerLogs]: withContainer((m, d, c) => m.showLogs(d, c)),
      [CommandIds.containerRestart]: withContainer((m, d, c) => m.lifecycle(d, c, 'restart')),
      [CommandIds.containerStop]: withContainer((m, d, c) => m.lifecycle(d, c, 'stop')),
      [CommandIds.containerRemove]: (arg?: ContainerArg, opts?: { confirm?: boolean }) =>
        withContainer((m, d, c) => m.lifecycle(d, c, 'remove', opts?.confirm !== false))(arg),
      [CommandIds.containerCopyRun]: withContainer((m, d, c) => m.copyLaunch(d, c, 'run')),
      [CommandIds.containerCopyCompose]: withContainer((m, d, c) => m.copyLaunch(d, c, 'compose')),
      [CommandIds.containerSavePreset]: withContainer((m, d, c) => m.saveAsPreset(d, c)),
      [CommandIds.containerOpenRequest]: withContainer((m, _d, c) => m.useServer(c, 'request')),
      [CommandIds.containerRunBenchmark]: withContainer((m, _d, c) => m.useServer(c, 'bench')),
      [CommandIds.containerSetHfToken]: () => askSecret(context.secrets, 'HF_TOKEN'),
    }),
  );
}

function createOutput(context: vscode.ExtensionContext): vscode.OutputChannel {
  const channel = vscode.window.createOutputChannel('Inference Lab Containers');
  context.subscriptions.push(channel);
  return redactingOutput(channel);
}

/** New or changed container servers are probed at once, so a launched server shows ready without waiting for the next round. */
async function reprobe(servers: ServersApi, keys: string[], log: Logger): Promise<void> {
  const svc = await servers.service();
  svc.invalidate();
  if (keys.length) await svc.refresh(keys).catch((e: Error) => log.warn(`containers: probe failed: ${e.message}`));
}
