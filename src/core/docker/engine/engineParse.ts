/** Validated engine JSON → our small shapes (types.ts). */
import { validated, validators, type RawContainer, type RawInspect, type RawInfo } from './engineSchemas';
import { detectGpuSupport } from './gpuDetect';
import { isManaged, labelKeys } from '../launch/labels';
import { serverKindForImage } from '../presets/presets';
import type {
  ContainerDetails,
  ContainerEvent,
  ContainerState,
  ContainerSummary,
  EngineInfo,
  PortMapping,
} from '../types';

const states: readonly ContainerState[] = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'];

function stateOf(s: string): ContainerState {
  return (states as readonly string[]).includes(s) ? (s as ContainerState) : 'dead';
}

function protocolOf(t: string): PortMapping['protocol'] {
  return t === 'udp' || t === 'sctp' ? t : 'tcp';
}

function common(id: string, name: string, image: string, labels: Record<string, string>) {
  const managed = isManaged(labels);
  return {
    id,
    name: name.replace(/^\//, ''),
    image,
    labels,
    managed,
    presetId: labels[labelKeys.preset],
    serverKind: labels[labelKeys.serverKind] ?? serverKindForImage(image),
    gpus: labels[labelKeys.gpus],
  };
}

export function parseInfo(data: unknown, endpoint: string): EngineInfo {
  const raw: RawInfo = validated(validators.info, data, 'GET /info');
  return {
    serverVersion: raw.ServerVersion,
    operatingSystem: raw.OperatingSystem ?? '',
    os: raw.OSType ?? '',
    architecture: raw.Architecture ?? '',
    cpus: raw.NCPU ?? 0,
    memoryBytes: raw.MemTotal ?? 0,
    defaultRuntime: raw.DefaultRuntime ?? 'runc',
    runtimes: Object.keys(raw.Runtimes ?? {}),
    gpu: detectGpuSupport(raw),
    endpoint,
  };
}

export function parseContainerList(data: unknown): ContainerSummary[] {
  return validated(validators.containerList, data, 'GET /containers/json').map((c: RawContainer) => ({
    ...common(c.Id, c.Names?.[0] ?? c.Id.slice(0, 12), c.Image, c.Labels ?? {}),
    state: stateOf(c.State),
    status: c.Status,
    created: new Date(c.Created * 1000),
    ports: (c.Ports ?? []).map((p) => ({
      containerPort: p.PrivatePort,
      protocol: protocolOf(p.Type),
      hostIp: p.IP,
      hostPort: p.PublicPort,
    })),
  }));
}

function dateOrUndefined(s: string | undefined): Date | undefined {
  // The engine writes the zero time for "never".
  if (!s || s.startsWith('0001-01-01')) return undefined;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function gpuRequestOf(raw: RawInspect): ContainerDetails['gpuRequest'] {
  const gpuReq = (raw.HostConfig.DeviceRequests ?? []).find((r) =>
    (r.Capabilities ?? []).some((c) => c.includes('gpu')),
  );
  if (!gpuReq) return 'none';
  if (gpuReq.DeviceIDs?.length) return gpuReq.DeviceIDs;
  return gpuReq.Count === -1 ? 'all' : Array.from({ length: gpuReq.Count ?? 0 }, (_, i) => String(i));
}

export function parseInspect(data: unknown): ContainerDetails {
  const raw: RawInspect = validated(validators.inspect, data, 'GET /containers/{id}/json');
  const ports: PortMapping[] = [];
  for (const [key, binds] of Object.entries(raw.NetworkSettings.Ports ?? {})) {
    const [port, proto] = key.split('/');
    const base = { containerPort: Number(port), protocol: protocolOf(proto) };
    if (!binds?.length) ports.push(base);
    else for (const b of binds) ports.push({ ...base, hostIp: b.HostIp, hostPort: Number(b.HostPort) });
  }
  const s = raw.State;
  const created = new Date(raw.Created);
  return {
    ...common(raw.Id, raw.Name, raw.Config.Image, raw.Config.Labels ?? {}),
    state: stateOf(s.Status),
    status: s.Running ? 'running' : s.Status === 'exited' ? `exited (${s.ExitCode ?? '?'})` : s.Status,
    created,
    ports,
    running: s.Running,
    exitCode: s.ExitCode,
    error: s.Error || undefined,
    startedAt: dateOrUndefined(s.StartedAt),
    finishedAt: dateOrUndefined(s.FinishedAt),
    restartCount: raw.RestartCount ?? 0,
    tty: raw.Config.Tty ?? false,
    command: raw.Config.Cmd ?? [],
    envNames: (raw.Config.Env ?? []).map((e) => e.split('=')[0]),
    gpuRequest: gpuRequestOf(raw),
    health: s.Health?.Status,
  };
}

// Attributes of container events that are not labels.
const eventAttributes = new Set(['image', 'name', 'exitCode', 'execDuration', 'signal', 'container']);

/** One `GET /events` line → a container event (other types and malformed lines are skipped). */
export function parseEventLine(line: string): { event: ContainerEvent; nano: bigint } | undefined {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!validators.event(data) || data.Type !== 'container') return undefined;
  const attrs = data.Actor.Attributes ?? {};
  const labels = Object.fromEntries(Object.entries(attrs).filter(([k]) => !eventAttributes.has(k)));
  const nano = data.timeNano !== undefined ? BigInt(Math.round(data.timeNano)) : BigInt(data.time) * 1_000_000_000n;
  const exit = attrs.exitCode !== undefined ? Number(attrs.exitCode) : undefined;
  return {
    nano,
    event: {
      action: data.Action,
      id: data.Actor.ID,
      name: attrs.name,
      image: attrs.image,
      labels,
      exitCode: exit,
      time: new Date(Number(nano / 1_000_000n)),
    },
  };
}
