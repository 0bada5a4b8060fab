import * as vscode from 'vscode';
import type { ContainerService } from '../../../core/docker/engine/containerService';
import { toContainerError } from '../../../core/docker/engine/errorMapping';
import type { ContainerError } from '../../../core/docker/errors';
import type { LaunchedServer } from '../../../core/docker/launch/launch';
import { cpuRetryOptions } from '../../../core/docker/launch/launchSteps';
import type { LaunchOptions, ServerPreset } from '../../../core/docker/presets/presetTypes';
import type { DockerAccess } from '../../../core/docker/engine/dockerAccess';
import type { WorkspacePresets } from '../workspacePresets';
import { askGpus, askModel, askPort } from './askSteps';
import { launchBlockedReason } from '../../../core/containers/launch/choices';
import { choosePreset, type ChosenPreset } from './pickPreset';
import { review } from './reviewStep';
import { runLaunch, type RunDeps } from './runLaunch';
import { showContainerError } from './showError';

export interface LaunchDeps extends RunDeps {
  access: DockerAccess;
  presets: WorkspacePresets;
  /** Remembers the last choices per preset (never secrets). */
  memento: vscode.Memento;
  /** Hands a ready server to the Servers tree; resolves once it is shown (probed). */
  onReady(server: LaunchedServer): Promise<void>;
}

/**
 * The argument of `inferenceLab.containers.launch`: a preset id (`"triton"`,
 * as guide links pass it), or `{ preset, options }` for scripts and tests,
 * which launches without asking (unless `interactive`).
 */
export type LaunchArg = string | { preset: string; options?: LaunchOptions; interactive?: boolean };

/** What the command resolves to (undefined when the user dismissed a question). */
export type LaunchOutcome =
  | { status: 'ready'; server: LaunchedServer }
  | { status: 'failed'; kind: ContainerError['kind']; message: string; canRetryOnCpu: boolean }
  | { status: 'cancelled' }
  | { status: 'blocked'; message: string };

const memoKey = 'inferenceLab.containers.lastOptions';

function remembered(memento: vscode.Memento, presetId: string): LaunchOptions | undefined {
  return memento.get<Record<string, LaunchOptions>>(memoKey, {})[presetId];
}

async function remember(memento: vscode.Memento, presetId: string, o: LaunchOptions): Promise<void> {
  // The name was chosen for this container; a next launch picks its own.
  const { name: _name, ...rest } = o;
  await memento.update(memoKey, { ...memento.get<Record<string, LaunchOptions>>(memoKey, {}), [presetId]: rest });
}

async function ask(
  deps: LaunchDeps,
  service: ContainerService,
  preset: ServerPreset,
  start: LaunchOptions,
): Promise<LaunchOptions | undefined> {
  let o = await askModel(preset, start);
  if (o) o = await askGpus(service, preset, o);
  if (o) o = await askPort(service, preset, o);
  return o && review({ secrets: deps.secrets, presets: deps.presets, engine: service }, preset, o);
}

function failed(
  deps: LaunchDeps,
  error: ContainerError,
  chosen: ChosenPreset,
  retry?: { service: ContainerService; options: LaunchOptions },
): LaunchOutcome {
  void showContainerError(error, {
    serverKind: chosen.preset.serverKind,
    output: deps.output(),
    onCpu:
      retry && error.details.canRetryOnCpu
        ? () => execute(deps, retry.service, chosen, cpuRetryOptions(retry.options))
        : undefined,
    onPort:
      retry && error.kind === 'port-in-use'
        ? async () => {
            const o = await askPort(retry.service, chosen.preset, retry.options);
            if (o) await execute(deps, retry.service, chosen, o);
          }
        : undefined,
  });
  return {
    status: 'failed',
    kind: error.kind,
    message: error.userMessage,
    canRetryOnCpu: error.details.canRetryOnCpu === true,
  };
}

async function execute(
  deps: LaunchDeps,
  service: ContainerService,
  chosen: ChosenPreset,
  options: LaunchOptions,
): Promise<LaunchOutcome> {
  const r = await runLaunch(deps, service, chosen.preset, options);
  if (r.status === 'failed') return failed(deps, r.error, chosen, { service, options });
  if (r.status === 'cancelled') {
    void vscode.window.showInformationMessage(
      `The launch of ${chosen.preset.label} was cancelled; nothing was left behind.`,
    );
    return r;
  }
  await remember(deps.memento, chosen.preset.id, options);
  await deps.onReady(r.server);
  return r;
}

/**
 * Launch Inference Server: preset → model → GPUs → host port → review, then
 * the launch under a progress notification. Workspace presets are refused in
 * an untrusted workspace (built-in presets are not).
 */
export async function launchCommand(deps: LaunchDeps, arg?: LaunchArg): Promise<LaunchOutcome | undefined> {
  const chosen = await choosePreset(deps.presets, typeof arg === 'string' ? arg : arg?.preset);
  if (!chosen) return undefined;
  const blocked = launchBlockedReason(chosen.source, vscode.workspace.isTrusted, chosen.preset.label);
  if (blocked) {
    void vscode.window
      .showWarningMessage(blocked, 'Manage Workspace Trust')
      .then((a) => a && vscode.commands.executeCommand('workbench.trust.manage'));
    return { status: 'blocked', message: blocked };
  }
  const given = typeof arg === 'object' ? arg.options : undefined;
  let options: LaunchOptions | undefined = given
    ? { ...chosen.options, ...given }
    : (remembered(deps.memento, chosen.preset.id) ?? chosen.options);
  let service: ContainerService;
  try {
    service = await deps.access.service();
    await service.ping();
    if (!given || (typeof arg === 'object' && arg.interactive))
      options = await ask(deps, service, chosen.preset, options);
  } catch (e) {
    return failed(deps, toContainerError(e, { op: 'launch' }), chosen);
  }
  return options ? execute(deps, service, chosen, options) : undefined;
}
