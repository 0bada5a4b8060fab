import * as vscode from 'vscode';
import { ContainerError } from '../../core/docker/errors';
import { launchOptionsFromLabels } from '../../core/docker/presets/presetFile';
import type { LaunchOptions, ServerPreset } from '../../core/docker/presets/presetTypes';
import type { Logger } from '../../core/util/logger';
import { CommandIds } from '../../shared/ids';
import { presetOf, type MappedContainer } from '../../core/containers/containerServers';
import type { ContainerSettings } from './containerSettings';
import type { ContainerWatcher } from './containerWatcher';
import type { DockerAccess } from '../../core/docker/engine/dockerAccess';
import { copyRendered } from './launch/reviewStep';
import { savePresetFlow } from './launch/savePreset';
import { showContainerError } from './launch/showError';
import { showLogTerminal, type LogTerminal } from './logTerminal';
import type { WorkspacePresets } from './workspacePresets';

export interface ActionDeps {
  access: DockerAccess;
  watcher: ContainerWatcher;
  presets: WorkspacePresets;
  settings: () => ContainerSettings;
  log: Logger;
}

/** A tree node (`{ id: "ctr:<name>…" }`), a container name or id, or undefined (the user picks). */
export type ContainerArg = { id?: string } | string | undefined;

export async function resolveContainer(deps: ActionDeps, arg: ContainerArg): Promise<MappedContainer | undefined> {
  const ref = typeof arg === 'string' ? arg : arg?.id;
  if (ref) {
    const name = ref.startsWith('ctr:') ? ref.slice(4).split('/')[0] : ref;
    const found = deps.watcher.find(name) ?? (await deps.watcher.refreshNow(), deps.watcher.find(name));
    if (!found) throw new Error(`Container ${name} is not listed any more.`);
    return found;
  }
  const items = deps.watcher.containers.map((c) => ({
    label: c.facts.name,
    description: `${c.facts.state} · ${c.facts.image}`,
    c,
  }));
  if (!items.length) {
    void vscode.window.showInformationMessage('No inference-server containers: use "Launch Inference Server…" first.');
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title: 'Choose a container' }))?.c;
}

/** Show Logs: a terminal following the container's output. */
export async function showLogs(deps: ActionDeps, c: MappedContainer): Promise<LogTerminal> {
  return showLogTerminal(await deps.access.service(), c.facts);
}

/** Restart, Stop and Remove: a short progress notification, errors in words; the event stream updates the tree. */
export async function lifecycle(
  deps: ActionDeps,
  c: MappedContainer,
  op: 'restart' | 'stop' | 'remove',
  confirm = true,
): Promise<boolean> {
  if (op === 'remove' && confirm) {
    const running = c.facts.state === 'running' ? ' It is running and will be stopped first.' : '';
    const ok = await vscode.window.showWarningMessage(
      `Remove the container ${c.facts.name}?`,
      { modal: true, detail: `${c.facts.image}.${running} Named volumes are kept.` },
      'Remove',
    );
    if (ok !== 'Remove') return false;
  }
  const words = { restart: 'Restarting', stop: 'Stopping', remove: 'Removing' }[op];
  const service = await deps.access.service();
  const graceSeconds = deps.settings().stopGraceSeconds;
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `${words} ${c.facts.name}…` },
      () =>
        op === 'restart'
          ? service.restart(c.facts.id, { graceSeconds })
          : op === 'stop'
            ? service.stop(c.facts.id, { graceSeconds })
            : service.remove(c.facts.id, { force: true }),
    );
    deps.log.info(`container ${c.facts.name}: ${op}`);
    await deps.watcher.refreshNow();
    return true;
  } catch (e) {
    if (e instanceof ContainerError) void showContainerError(e);
    else void vscode.window.showErrorMessage(`${words} ${c.facts.name} failed: ${(e as Error).message}`);
    return false;
  }
}

/** Our container's preset and launch options, from its labels (undefined with the reason shown). */
function launchOf(deps: ActionDeps, c: MappedContainer): { preset: ServerPreset; options: LaunchOptions } | undefined {
  const preset = presetOf(c.facts, deps.presets.presets);
  const options = launchOptionsFromLabels(c.labels);
  if (c.facts.managed && preset && options) return { preset, options };
  const why = !c.facts.managed
    ? 'it was not launched by Inference Lab'
    : !preset
      ? `its preset "${c.facts.presetId}" is not built in nor in this workspace`
      : 'its launch options label is missing';
  void vscode.window.showErrorMessage(`Cannot rebuild the launch of ${c.facts.name}: ${why}.`);
  return undefined;
}

export async function copyLaunch(
  deps: ActionDeps,
  c: MappedContainer,
  format: 'run' | 'compose',
): Promise<string | undefined> {
  const l = launchOf(deps, c);
  return l && copyRendered(format, l.preset, l.options, await deps.access.service());
}

export async function saveAsPreset(deps: ActionDeps, c: MappedContainer): Promise<vscode.Uri | undefined> {
  const l = launchOf(deps, c);
  return l && savePresetFlow(deps.presets, l.preset, l.options);
}

/** Open Request Panel / Run Benchmark on the container's server. */
export async function useServer(c: MappedContainer, what: 'request' | 'bench'): Promise<unknown> {
  const server = c.server;
  if (!server) {
    void vscode.window.showErrorMessage(
      `${c.facts.name} serves no reachable endpoint: it is ${c.facts.state}, or its HTTP port is not published.`,
    );
    return undefined;
  }
  if (what === 'request')
    return vscode.commands.executeCommand(CommandIds.newRequest, { serverKey: server.identity.key });
  return vscode.commands.executeCommand(CommandIds.benchRun, { url: server.config.url });
}
