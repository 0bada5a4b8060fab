/** The steps of a launch that decide before anything is created (see launch.ts). */
import type { ContainerService } from '../engine/containerService';
import { ContainerError, fixes } from '../errors';
import type { LaunchSpec } from './launchSpec';
import type { LaunchOptions, ServerPreset } from '../presets/presetTypes';
import type { CallOptions, LogLine, PullProgress } from '../types';

/** Fails fast, before any pull, when GPUs are requested from an engine without a GPU runtime. */
export async function checkGpus(
  service: ContainerService,
  preset: ServerPreset,
  spec: LaunchSpec,
  o: CallOptions,
): Promise<void> {
  if (spec.gpus === 'none') return;
  const info = await service.info(o);
  if (!info.gpu.available) throw noGpuError(preset, info.gpu.evidence);
  const listed = info.gpu.gpus.map((g) => g.id);
  if (Array.isArray(spec.gpus) && listed.length) {
    const unknown = spec.gpus.filter((id) => !listed.includes(id));
    if (unknown.length)
      throw new ContainerError(
        'invalid-preset',
        `GPU ${unknown.join(', ')} is not on this engine (it reports ${listed.join(', ')}).`,
      );
  }
}

export function noGpuError(preset: ServerPreset, evidence?: string, engineMessage?: string): ContainerError {
  const why = evidence ? ` (${evidence})` : '';
  return new ContainerError(
    'no-gpu-runtime',
    `A GPU was requested but the Docker engine has no GPU runtime${why}.`,
    preset.supportsCpu ? fixes.noGpu : fixes.noGpuNoCpu,
    { canRetryOnCpu: preset.supportsCpu, engineMessage },
  );
}

/** The same launch without GPUs (for the "launch on CPU" retry). */
export function cpuRetryOptions(options: LaunchOptions): LaunchOptions {
  return { ...options, gpus: 'none' };
}

/** Picks `name`, or `name-2`, `name-3`, … when the default name is taken; an explicit name must be free. */
export async function chooseName(
  service: ContainerService,
  spec: LaunchSpec,
  explicit: boolean,
  o: CallOptions,
): Promise<string> {
  const taken = new Set((await service.list({ scope: 'all', signal: o.signal })).map((c) => c.name));
  if (!taken.has(spec.name)) return spec.name;
  if (explicit)
    throw new ContainerError('name-in-use', `A container named ${spec.name} already exists.`, fixes.nameInUse);
  for (let i = 2; i < 100; i++) if (!taken.has(`${spec.name}-${i}`)) return `${spec.name}-${i}`;
  throw new ContainerError('name-in-use', `Too many containers named ${spec.name}-N exist.`, fixes.nameInUse);
}

/** Pulls per the policy; returns whether a pull happened. */
export async function ensureImage(
  service: ContainerService,
  image: string,
  policy: LaunchOptions['pull'],
  o: CallOptions & { onProgress?: (p: PullProgress) => void },
): Promise<boolean> {
  const present = policy === 'always' ? false : await service.imageExists(image, o);
  if (present) return false;
  if (policy === 'never') {
    throw new ContainerError(
      'image-not-found',
      `Image ${image} is not on this engine and pulling is turned off.`,
      'Pull or load the image first, or allow pulling.',
      { image },
    );
  }
  await service.pull(image, { signal: o.signal, onProgress: o.onProgress });
  return true;
}

/** Keeps the last lines a container printed, with secret values masked. */
export class LogTail {
  private readonly lines: string[] = [];
  constructor(
    private readonly max: number,
    readonly secrets: string[],
  ) {}

  /** Masks secrets in place and remembers the line. */
  add(line: LogLine): LogLine {
    let text = line.text;
    for (const s of this.secrets) if (s.length >= 4) text = text.split(s).join('***');
    this.lines.push(text);
    if (this.lines.length > this.max) this.lines.shift();
    return text === line.text ? line : { ...line, text };
  }

  get last(): string[] {
    return [...this.lines];
  }
}
