/**
 * The pure parts of the launch quick picks: which GPU choices to offer from
 * what the engine reports, whether a preset may launch in this workspace, and
 * the text forms of env and extra arguments. No vscode here: unit-tested.
 */
import type { GpuSelection, LaunchOptions, ServerPreset } from '../../docker/presets/presetTypes';
import { builtinPresets } from '../../docker/presets/presets';
import type { GpuSupport } from '../../docker/types';

export interface GpuChoice {
  label: string;
  description?: string;
  /** `ask`: the user types device ids. */
  value: GpuSelection | 'ask';
}

/**
 * "All GPUs", one entry per GPU the engine lists, "Specific devices…" when it
 * lists none, and "none (CPU)" where the preset runs on CPU. GPU choices stay
 * offered on an engine without a GPU runtime (detection can miss a hook), but
 * CPU comes first there and the description says what was found.
 */
export function gpuChoices(gpu: GpuSupport, preset: ServerPreset): GpuChoice[] {
  const gpuItems: GpuChoice[] = [
    {
      label: 'All GPUs',
      description: gpu.available ? gpu.evidence : `no GPU runtime detected: ${gpu.evidence}`,
      value: 'all',
    },
  ];
  for (const g of gpu.gpus)
    gpuItems.push({
      label: `GPU ${g.id}`,
      description: g.source === 'cdi' ? 'CDI device' : 'generic resource',
      value: [g.id],
    });
  if (!gpu.gpus.length)
    gpuItems.push({ label: 'Specific devices…', description: 'device indexes or UUIDs, e.g. 0,1', value: 'ask' });
  if (!preset.supportsCpu) return gpuItems;
  const cpu: GpuChoice = {
    label: 'none (CPU)',
    description: preset.cpuTag ? `uses the ${preset.cpuTag} image` : 'no GPU',
    value: 'none',
  };
  return gpu.available ? [...gpuItems, cpu] : [cpu, ...gpuItems];
}

/** Comma- or space-separated device ids, or an error message. */
export function parseDeviceIds(text: string): string[] | string {
  const ids = text.split(/[\s,]+/).filter(Boolean);
  if (!ids.length) return 'Enter at least one device index or UUID, e.g. 0 or 0,1.';
  const bad = ids.find((id) => !/^[A-Za-z0-9][A-Za-z0-9:_.-]*$/.test(id));
  return bad ? `"${bad}" is not a device index or UUID.` : ids;
}

export type PresetSource = 'builtin' | 'workspace';

/** Why a preset cannot launch here (undefined: it can). Built-in presets always can. */
export function launchBlockedReason(source: PresetSource, trusted: boolean, label: string): string | undefined {
  if (source === 'builtin' || trusted) return undefined;
  return `"${label}" is a preset from this workspace, and the workspace is not trusted: presets from the workspace cannot launch containers until you trust it. Built-in presets can still be launched.`;
}

/** `A=1, B=two words` → { A: '1', B: 'two words' }; one variable per line or comma. */
export function parseEnvText(text: string): Record<string, string> | string {
  const env: Record<string, string> = {};
  for (const part of text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) return `"${part}" is not NAME=value.`;
    env[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return env;
}

export function formatEnv(env: Record<string, string> | undefined): string {
  return Object.entries(env ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/** Splits arguments like a shell does for plain words, '…' and "…" (no variable expansion). */
export function parseArgsText(text: string): string[] | string {
  const out: string[] = [];
  let word: string | undefined;
  for (const m of text.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s"']+)|(\s+)|(["'])/g)) {
    if (m[5]) return 'Unbalanced quotes in the arguments.';
    if (m[4]) {
      if (word !== undefined) out.push(word);
      word = undefined;
      continue;
    }
    word = (word ?? '') + (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]));
  }
  if (word !== undefined) out.push(word);
  return out;
}

export function formatArgs(args: string[] | undefined): string {
  return (args ?? []).map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `"${a.replace(/(["\\])/g, '\\$1')}"`)).join(' ');
}

/** One line saying what will run: image tag, GPUs and where. */
export function launchSummary(preset: ServerPreset, o: LaunchOptions, url: string): string {
  const gpus = o.gpus ?? 'all';
  const tag = o.tag ?? (gpus === 'none' && preset.cpuTag ? preset.cpuTag : preset.tag);
  const gpuText = gpus === 'none' ? 'CPU' : gpus === 'all' ? 'all GPUs' : `GPU ${gpus.join(',')}`;
  return `${o.image ?? preset.image}:${tag} · ${gpuText} · ${url}`;
}

/** A preset id for the file: the workspace preset's own, or the built-in's with the model appended. */
export function suggestPresetId(preset: ServerPreset, o: LaunchOptions): string {
  if (!builtinPresets.some((p) => p.id === preset.id)) return preset.id;
  const model = String(o.params?.modelId ?? o.params?.modelName ?? '');
  const slug =
    model
      .toLowerCase()
      .split('/')
      .pop()
      ?.replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') ?? '';
  return `${preset.id}-${slug || 'custom'}`.slice(0, 63).replace(/-+$/, '');
}
