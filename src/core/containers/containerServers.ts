/**
 * A container as the Servers tree sees it: its facts, and (when it runs and
 * publishes its server's HTTP port) the server to probe. Our containers are
 * read from their `inference-lab.*` labels; others are matched to a built-in
 * preset by image, which tells their ports and server kind. Pure: no vscode.
 */
import { labelKeys } from '../docker/launch/labels';
import { launchOptionsFromLabels } from '../docker/presets/presetFile';
import { builtinPresets, imageRepository } from '../docker/presets/presets';
import type { PresetPort, ServerPreset } from '../docker/presets/presetTypes';
import type { ContainerSummary, PortMapping } from '../docker/types';
import { isServerKind, type ServerConfig } from '../servers/types';
import type { ContainerFacts } from '../servers/view/containerNodes';
import type { TreeServer } from '../servers/view/identities';
import type { EndpointView } from '../servers/view/viewState';

export interface MapContext {
  /** Published ports are reachable on this machine's loopback. */
  isLocal: boolean;
  /** Host name of a remote engine. */
  advertisedHost: string;
  /** Workspace presets, looked up (before the built-ins) by a container's preset label. */
  presets?: readonly ServerPreset[];
  /** GPU assignment read from `inspect` for containers without our label. */
  gpus?: string;
}

export interface MappedContainer {
  facts: ContainerFacts;
  server?: TreeServer;
  /** The container's labels (ours hold the launch options, for "Copy docker run"). */
  labels: Record<string, string>;
}

const wildcard = new Set(['', '0.0.0.0', '::']);

/** Tree key of a container's server. */
export const containerKey = (name: string) => `ctr:${name}`;

/** The preset a container was launched from (ours) or whose image it runs (others). */
export function presetOf(
  c: Pick<ContainerSummary, 'managed' | 'presetId' | 'image'>,
  presets: readonly ServerPreset[] = [],
): ServerPreset | undefined {
  if (c.managed && c.presetId) return [...presets, ...builtinPresets].find((p) => p.id === c.presetId);
  const repo = imageRepository(c.image);
  return builtinPresets.find((p) => p.image === repo);
}

/** Published TCP ports, one per host port (the engine lists IPv4 and IPv6 bindings separately). */
export function publishedPorts(ports: PortMapping[]): PortMapping[] {
  const seen = new Map<number, PortMapping>();
  for (const p of ports) {
    if (p.protocol !== 'tcp' || !p.hostPort) continue;
    const had = seen.get(p.hostPort);
    if (!had || (had.hostIp?.includes(':') && !p.hostIp?.includes(':'))) seen.set(p.hostPort, p);
  }
  return [...seen.values()].sort((a, b) => a.containerPort - b.containerPort);
}

export function portWords(ports: PortMapping[]): string[] {
  return publishedPorts(ports).map((p) => `${p.hostIp || '0.0.0.0'}:${p.hostPort}→${p.containerPort}`);
}

/** The host a published port is reached on. */
function hostOf(p: PortMapping, ctx: MapContext): string {
  if (!ctx.isLocal) return ctx.advertisedHost;
  const ip = !p.hostIp || wildcard.has(p.hostIp) ? '127.0.0.1' : p.hostIp;
  return ip.includes(':') ? `[${ip}]` : ip;
}

const endpointLabel = (p: PresetPort) =>
  p.role === 'metrics' ? 'Metrics' : p.role === 'management' ? 'Management' : p.protocol === 'grpc' ? 'gRPC' : 'HTTP';

function serverOf(c: ContainerSummary, preset: ServerPreset | undefined, ctx: MapContext): TreeServer | undefined {
  const published = publishedPorts(c.ports);
  const healthPort = preset?.ports.find((p) => p.name === preset.health.port);
  const httpContainerPort = Number(c.labels[labelKeys.httpPort] ?? healthPort?.container ?? NaN);
  const main = published.find((p) => p.containerPort === httpContainerPort);
  if (c.state !== 'running' || !main) return undefined;
  const url = `http://${hostOf(main, ctx)}:${main.hostPort}`;
  const kind = isServerKind(c.serverKind) ? c.serverKind : undefined;
  const endpoints: EndpointView[] = [{ label: 'HTTP', address: url }];
  const config: ServerConfig = { id: `container.${c.name}`, name: c.name, url, kind };
  for (const port of preset?.ports ?? []) {
    const m = published.find((p) => p.containerPort === port.container);
    if (!m || m === main) continue;
    const address = `${port.protocol === 'http' ? 'http://' : ''}${hostOf(m, ctx)}:${m.hostPort}`;
    const label = endpointLabel(port);
    endpoints.push({ label: endpoints.some((e) => e.label === label) ? `${label} (${port.name})` : label, address });
    if (port.role === 'metrics') config.metricsUrl = `${address}/metrics`;
    else if (port.role === 'management' && port.protocol === 'http') config.managementUrl = address;
    // Only Triton's gRPC port speaks KServe v2, which is what the prober's gRPC check expects.
    else if (port.protocol === 'grpc' && port.role === 'inference' && kind === 'triton') config.grpcAddress = address;
  }
  if (kind === 'tfserving') {
    // TF Serving cannot list its models: check the one the launch named.
    const name =
      launchOptionsFromLabels(c.labels)?.params?.modelName ??
      preset?.params.find((p) => p.name === 'modelName')?.default;
    if (name !== undefined) config.models = [String(name)];
  }
  const key = containerKey(c.name);
  // Probed as a server found on this machine; the tree shows it under its container.
  return { identity: { key, id: c.name, origin: 'discovered', name: c.name, url, kind, endpoints }, config };
}

export function mapContainer(c: ContainerSummary, ctx: MapContext): MappedContainer {
  const preset = presetOf(c, ctx.presets);
  const server = serverOf(c, preset, ctx);
  return {
    facts: {
      id: c.id,
      name: c.name,
      image: c.image,
      state: c.state,
      status: c.status,
      managed: c.managed,
      presetId: c.presetId,
      serverKind: c.serverKind,
      gpus: c.gpus ?? ctx.gpus,
      ports: portWords(c.ports),
      serverKey: server?.identity.key,
    },
    server,
    labels: c.labels,
  };
}

/** `inspect`'s GPU request in label words ("all", "0,1", "none"). */
export function gpuLabel(request: 'all' | 'none' | string[]): string {
  return Array.isArray(request) ? request.join(',') : request;
}

/** Engine events that change what the tree shows (not exec, attach, resize, copy, …). */
const stateActions = new Set([
  'create',
  'start',
  'restart',
  'stop',
  'die',
  'kill',
  'pause',
  'unpause',
  'destroy',
  'rename',
  'update',
  'oom',
]);

export function isStateEvent(action: string): boolean {
  return stateActions.has(action) || action.startsWith('health_status');
}
