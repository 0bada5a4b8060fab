import * as vscode from 'vscode';
import type { ContainerService } from '../../../core/docker/engine/containerService';
import { probePort } from '../../../core/docker/launch/portCheck';
import type { GpuSelection, LaunchOptions, ServerPreset } from '../../../core/docker/presets/presetTypes';
import { gpuChoices, parseDeviceIds } from '../../../core/containers/launch/choices';
import {
  mainPortName,
  planSidePorts,
  portProblem,
  suggestMainPort,
  type PortCheck,
} from '../../../core/containers/launch/ports';

/**
 * The questions of a launch, one quick input each: the model (id or folder,
 * as the preset needs), the GPUs the engine reports, and the host port
 * (checked free). Each returns the updated options, or undefined on Escape.
 */

const single = (v: string) => (!v.trim() ? 'A value is needed.' : /[\r\n]/.test(v) ? 'One line only.' : undefined);

/** Required parameters (model id, model name) and the model folder. */
export async function askModel(preset: ServerPreset, o: LaunchOptions): Promise<LaunchOptions | undefined> {
  const params = { ...o.params };
  for (const p of preset.params.filter((x) => x.required)) {
    const value = await vscode.window.showInputBox({
      title: `Launch ${preset.label}: ${p.label}`,
      prompt: p.description,
      value: String(params[p.name] ?? p.default ?? ''),
      ignoreFocusOut: true,
      validateInput: single,
    });
    if (value === undefined) return undefined;
    params[p.name] = value.trim();
  }
  const volumes = { ...o.volumes };
  for (const v of preset.volumes.filter((x) => x.role === 'modelRepository')) {
    const current = volumes[v.role];
    const items: Array<vscode.QuickPickItem & { value?: string | null }> = [];
    if (current) items.push({ label: current, description: 'as before', value: current });
    items.push({ label: '$(folder-opened) Choose a folder…', description: v.description, value: null });
    if (!v.required)
      items.push({ label: 'No folder', description: 'register models through the management API later', value: '' });
    const pick = await vscode.window.showQuickPick(items, {
      title: `Launch ${preset.label}: model folder`,
      placeHolder: v.description,
      ignoreFocusOut: true,
    });
    if (!pick) return undefined;
    let source = pick.value;
    if (source === null) {
      const folders = await vscode.window.showOpenDialog({
        canSelectFolders: true,
        canSelectFiles: false,
        title: v.description,
        openLabel: 'Mount',
        defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      });
      if (!folders?.length) return undefined;
      source = folders[0].fsPath;
    }
    if (source) volumes[v.role] = source;
    else delete volumes[v.role];
  }
  return { ...o, params, volumes };
}

/** GPUs: what the engine reports, "Specific devices…", and "none (CPU)" where the preset runs on CPU. */
export async function askGpus(
  service: ContainerService,
  preset: ServerPreset,
  o: LaunchOptions,
): Promise<LaunchOptions | undefined> {
  const info = await service.info();
  const choices = gpuChoices(info.gpu, preset);
  const same = (v: GpuSelection | 'ask') => JSON.stringify(v) === JSON.stringify(o.gpus);
  choices.sort((a, b) => Number(same(b.value)) - Number(same(a.value)));
  const pick = await vscode.window.showQuickPick(
    choices.map((c) => ({
      ...c,
      label: `${c.value === 'none' ? '$(debug-disconnect)' : '$(circuit-board)'} ${c.label}`,
    })),
    {
      title: `Launch ${preset.label}: GPUs`,
      placeHolder: `GPUs for the container (${info.gpu.available ? 'GPU runtime found' : 'no GPU runtime found'} on ${service.endpoint})`,
      ignoreFocusOut: true,
    },
  );
  if (!pick) return undefined;
  if (pick.value !== 'ask') return { ...o, gpus: pick.value };
  const text = await vscode.window.showInputBox({
    title: `Launch ${preset.label}: GPU devices`,
    prompt: 'Device indexes or UUIDs, separated by commas (as for docker run --gpus device=…).',
    value: Array.isArray(o.gpus) ? o.gpus.join(',') : '0',
    ignoreFocusOut: true,
    validateInput: (v) => {
      const r = parseDeviceIds(v);
      return typeof r === 'string' ? r : undefined;
    },
  });
  if (text === undefined) return undefined;
  return { ...o, gpus: parseDeviceIds(text) as string[] };
}

/** The free-port check for this engine: ports other containers publish, and on a local engine a bind test. */
export async function portCheckFor(service: ContainerService, o: LaunchOptions): Promise<PortCheck> {
  const running = await service.list({ scope: 'all', all: false });
  const published = new Set(running.flatMap((c) => c.ports.map((p) => p.hostPort ?? 0)).filter((p) => p > 0));
  const bind = o.bindAddress ?? '127.0.0.1';
  const host = bind === '::' ? '0.0.0.0' : bind;
  return {
    published,
    isFree: service.isLocal ? async (p) => (await probePort(p, host)) !== 'in-use' : async () => true,
  };
}

/** The main HTTP port (typed, checked free); the other ports follow it to free ones. */
export async function askPort(
  service: ContainerService,
  preset: ServerPreset,
  o: LaunchOptions,
): Promise<LaunchOptions | undefined> {
  const check = await portCheckFor(service, o);
  const { wanted, suggested } = await suggestMainPort(preset, o, check);
  const main = preset.ports.find((p) => p.name === mainPortName(preset))!;
  const taken = suggested !== wanted ? ` Port ${wanted} is taken.` : '';
  const value = await vscode.window.showInputBox({
    title: `Launch ${preset.label}: host port`,
    prompt: `Host port for ${main.name} (container port ${main.container}), published on ${o.bindAddress ?? '127.0.0.1'}.${taken}`,
    value: String(suggested ?? wanted),
    ignoreFocusOut: true,
    validateInput: (v) => portProblem(Number(v.trim()), check),
  });
  if (value === undefined) return undefined;
  return { ...o, hostPorts: await planSidePorts(preset, o, Number(value.trim()), check) };
}
