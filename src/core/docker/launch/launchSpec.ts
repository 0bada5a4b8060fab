/**
 * Turns a preset and the user's choices into one resolved launch: every
 * placeholder filled, ports, mounts, GPUs and labels decided. The engine
 * create body, the `docker run` line and the compose service are all
 * rendered from this, so the three can never disagree.
 */
import { ContainerError } from '../errors';
import { labelKeys } from './labels';
import type { GpuSelection, LaunchOptions, ServerPreset } from '../presets/presetTypes';
import { fillPlaceholders, parseSize, validateLaunchInput } from './launchChecks';

export interface SpecPort {
  name: string;
  container: number;
  hostPort: number;
  hostIp: string;
  protocol: 'http' | 'grpc';
  role: 'inference' | 'management' | 'metrics';
}

export interface SpecMount {
  /** Absolute host path, or a named volume. */
  source: string;
  target: string;
  readOnly: boolean;
  kind: 'bind' | 'volume';
}

export interface SpecEnv {
  name: string;
  /** Undefined for secrets: the value is only ever supplied at create time. */
  value?: string;
  secret: boolean;
}

export interface LaunchSpec {
  presetId: string;
  serverKind: string;
  /** Full reference with tag. */
  image: string;
  name: string;
  cmd: string[];
  env: SpecEnv[];
  ports: SpecPort[];
  gpus: GpuSelection;
  shmSize?: string;
  shmBytes?: number;
  ipcHost: boolean;
  ulimits: { name: string; soft: number; hard: number }[];
  mounts: SpecMount[];
  labels: Record<string, string>;
  health: { port: SpecPort; path: string; expectStatus: number; bodyIncludes?: string; timeoutMs: number };
}

export interface ResolveContext {
  /** For `~` in host paths. */
  homeDir: string;
}

const namedVolume = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function mountFor(source: string, target: string, readOnly: boolean, ctx: ResolveContext): SpecMount {
  if (namedVolume.test(source)) return { source, target, readOnly, kind: 'volume' };
  const expanded =
    source === '~' || source.startsWith('~/') ? ctx.homeDir.replace(/\/$/, '') + source.slice(1) : source;
  if (!expanded.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(expanded)) {
    throw new ContainerError(
      'invalid-preset',
      `Volume source "${source}" must be an absolute path, a ~/ path or a volume name.`,
    );
  }
  return { source: expanded, target, readOnly, kind: 'bind' };
}

function gpusLabel(g: GpuSelection): string {
  return Array.isArray(g) ? g.join(',') : g;
}

/** Resolves a launch. Throws an 'invalid-preset' ContainerError naming the first problem. */
export function resolveLaunch(preset: ServerPreset, options: LaunchOptions, ctx: ResolveContext): LaunchSpec {
  const params = validateLaunchInput(preset, options);
  const fill = (s: string) => fillPlaceholders(s, params);
  const gpus: GpuSelection = options.gpus ?? 'all';
  const tag = options.tag ?? (gpus === 'none' && preset.cpuTag ? preset.cpuTag : preset.tag);
  const image = `${options.image ?? preset.image}:${tag}`;
  const bindAddress = options.bindAddress ?? '127.0.0.1';
  const ports: SpecPort[] = preset.ports.map((p) => ({
    name: p.name,
    container: p.container,
    hostPort: options.hostPorts?.[p.name] ?? p.defaultHostPort,
    hostIp: bindAddress,
    protocol: p.protocol,
    role: p.role,
  }));
  const healthPort = ports.find((p) => p.name === preset.health.port) as SpecPort;
  const cmd: string[] = [];
  for (const a of preset.args) {
    const value = a.value === undefined ? undefined : fill(a.value);
    if (value === undefined && a.value !== undefined) continue;
    if (a.flag) cmd.push(a.flag);
    if (value !== undefined) cmd.push(value);
  }
  cmd.push(...(options.extraArgs ?? []));
  const env: SpecEnv[] = [];
  for (const e of preset.env) {
    if (e.secret) env.push({ name: e.name, secret: true });
    else if (e.value !== undefined && fill(e.value) !== undefined)
      env.push({ name: e.name, value: fill(e.value), secret: false });
  }
  for (const name of options.secretEnv ?? []) if (!env.some((e) => e.name === name)) env.push({ name, secret: true });
  for (const [name, value] of Object.entries(options.env ?? {})) env.push({ name, value, secret: false });
  const mounts: SpecMount[] = [];
  for (const v of preset.volumes) {
    const source = options.volumes?.[v.role] ?? v.defaultSource;
    if (source) mounts.push(mountFor(source, fill(v.containerPath) ?? v.containerPath, v.readOnly ?? false, ctx));
  }
  const shmSize = options.shmSize ?? preset.shmSize;
  const name = options.name ?? `inference-lab-${preset.id}-${healthPort.hostPort}`;
  const labels: Record<string, string> = {
    ...(options.labels ?? {}),
    [labelKeys.managed]: 'true',
    [labelKeys.preset]: preset.id,
    [labelKeys.serverKind]: preset.serverKind,
    [labelKeys.gpus]: gpusLabel(gpus),
    [labelKeys.healthPath]: fill(preset.health.path) ?? preset.health.path,
    [labelKeys.httpPort]: String(healthPort.container),
  };
  return {
    presetId: preset.id,
    serverKind: preset.serverKind,
    image,
    name,
    cmd,
    env,
    ports,
    gpus,
    shmSize,
    shmBytes: shmSize ? parseSize(shmSize) : undefined,
    ipcHost: preset.ipcHost ?? false,
    ulimits: preset.ulimits ?? [],
    mounts,
    labels,
    health: {
      port: healthPort,
      path: fill(preset.health.path) ?? preset.health.path,
      expectStatus: preset.health.expectStatus,
      bodyIncludes: preset.health.bodyIncludes === undefined ? undefined : fill(preset.health.bodyIncludes),
      timeoutMs: options.healthTimeoutMs ?? preset.health.timeoutMs,
    },
  };
}
