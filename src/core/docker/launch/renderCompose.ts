/**
 * A launch as a `docker-compose.yml` service (Compose Specification), with
 * GPUs as device reservations. Secrets are `${NAME}` references that compose
 * fills from the environment or an `.env` file, never values.
 */
import { stringify } from 'yaml';
import { bindString } from './createBody';
import type { LaunchSpec } from './launchSpec';

// Compose interpolates `$` everywhere; a literal dollar is written `$$`.
const escapeDollar = (s: string) => s.replace(/\$/g, '$$$$');

interface GpuReservation {
  driver: 'nvidia';
  count?: 'all';
  device_ids?: string[];
  capabilities: ['gpu'];
}

function gpuReservation(gpus: LaunchSpec['gpus']): GpuReservation | undefined {
  if (gpus === 'none') return undefined;
  return gpus === 'all'
    ? { driver: 'nvidia', count: 'all', capabilities: ['gpu'] }
    : { driver: 'nvidia', device_ids: [...gpus], capabilities: ['gpu'] };
}

/** The service definition (a plain object, also useful to merge into an existing file). */
export function composeService(spec: LaunchSpec): Record<string, unknown> {
  const service: Record<string, unknown> = { image: spec.image, container_name: spec.name };
  if (spec.cmd.length) service.command = spec.cmd.map(escapeDollar);
  service.ports = spec.ports.map((p) => `${p.hostIp}:${p.hostPort}:${p.container}`);
  if (spec.env.length) {
    service.environment = Object.fromEntries(
      spec.env.map((e) => [e.name, e.secret ? `\${${e.name}}` : escapeDollar(e.value ?? '')]),
    );
  }
  if (spec.mounts.length) service.volumes = spec.mounts.map(bindString);
  if (spec.shmSize) service.shm_size = spec.shmSize;
  if (spec.ipcHost) service.ipc = 'host';
  if (spec.ulimits.length) {
    service.ulimits = Object.fromEntries(
      spec.ulimits.map((u) => [u.name, u.soft === u.hard ? u.soft : { soft: u.soft, hard: u.hard }]),
    );
  }
  service.labels = { ...spec.labels };
  const gpu = gpuReservation(spec.gpus);
  if (gpu) service.deploy = { resources: { reservations: { devices: [gpu] } } };
  return service;
}

/** A complete `docker-compose.yml` holding the one service (and its named volumes). */
export function renderCompose(spec: LaunchSpec, serviceName = spec.presetId): string {
  const doc: Record<string, unknown> = { services: { [serviceName]: composeService(spec) } };
  const named = spec.mounts.filter((m) => m.kind === 'volume');
  if (named.length) doc.volumes = Object.fromEntries(named.map((m) => [m.source, {}]));
  const secrets = spec.env.filter((e) => e.secret).map((e) => e.name);
  const header = secrets.length
    ? `# Set ${secrets.join(', ')} in your environment or an .env file next to this file.\n`
    : '';
  return header + stringify(doc, { lineWidth: 0 });
}
