/**
 * The Docker Engine API `POST /containers/create` body for a resolved launch.
 * Secret values are looked up here, at the last moment, and only for the
 * engine: the body is never logged (see `describeCreate` for the log line).
 */
import type { GpuSelection } from '../presets/presetTypes';
import type { LaunchSpec } from './launchSpec';

export interface DeviceRequest {
  Driver: string;
  Count: number;
  DeviceIDs?: string[];
  Capabilities: string[][];
}

export interface CreateContainerBody {
  name: string;
  Image: string;
  Cmd?: string[];
  Env: string[];
  Labels: Record<string, string>;
  ExposedPorts: Record<string, object>;
  HostConfig: {
    PortBindings: Record<string, { HostIp: string; HostPort: string }[]>;
    Binds: string[];
    ShmSize?: number;
    IpcMode?: string;
    Ulimits?: { Name: string; Soft: number; Hard: number }[];
    DeviceRequests?: DeviceRequest[];
  };
}

/** Same request the docker CLI sends for `--gpus all` / `--gpus device=0,1`. */
export function deviceRequests(gpus: GpuSelection): DeviceRequest[] | undefined {
  if (gpus === 'none') return undefined;
  if (gpus === 'all') return [{ Driver: '', Count: -1, Capabilities: [['gpu']] }];
  return [{ Driver: '', Count: 0, DeviceIDs: [...gpus], Capabilities: [['gpu']] }];
}

export function bindString(m: LaunchSpec['mounts'][number]): string {
  return `${m.source}:${m.target}${m.readOnly ? ':ro' : ''}`;
}

/**
 * Builds the create body. `secrets` maps env names to values (from secret
 * storage); a secret that was not supplied is left out rather than sent empty.
 */
export function createBody(spec: LaunchSpec, secrets: Record<string, string> = {}): CreateContainerBody {
  const env: string[] = [];
  for (const e of spec.env) {
    if (!e.secret) env.push(`${e.name}=${e.value ?? ''}`);
    else if (secrets[e.name]) env.push(`${e.name}=${secrets[e.name]}`);
  }
  const exposed: Record<string, object> = {};
  const bindings: CreateContainerBody['HostConfig']['PortBindings'] = {};
  for (const p of spec.ports) {
    const key = `${p.container}/tcp`;
    exposed[key] = {};
    bindings[key] = [{ HostIp: p.hostIp, HostPort: String(p.hostPort) }];
  }
  return {
    name: spec.name,
    Image: spec.image,
    Cmd: spec.cmd.length ? spec.cmd : undefined,
    Env: env,
    Labels: spec.labels,
    ExposedPorts: exposed,
    HostConfig: {
      PortBindings: bindings,
      Binds: spec.mounts.map(bindString),
      ShmSize: spec.shmBytes,
      IpcMode: spec.ipcHost ? 'host' : undefined,
      Ulimits: spec.ulimits.length
        ? spec.ulimits.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard }))
        : undefined,
      DeviceRequests: deviceRequests(spec.gpus),
    },
  };
}

/** A one-line description of a create body that is safe to log (env values left out). */
export function describeCreate(body: CreateContainerBody): string {
  const envNames = body.Env.map((e) => e.slice(0, e.indexOf('=')));
  const ports = Object.entries(body.HostConfig.PortBindings).map(([k, v]) => `${v[0].HostIp}:${v[0].HostPort}->${k}`);
  const gpus = body.HostConfig.DeviceRequests?.[0];
  const gpuText = !gpus ? 'none' : gpus.Count === -1 ? 'all' : (gpus.DeviceIDs ?? []).join(',');
  return `${body.name} image=${body.Image} ports=[${ports.join(' ')}] gpus=${gpuText} env=[${envNames.join(' ')}] cmd=${JSON.stringify(body.Cmd ?? [])}`;
}
