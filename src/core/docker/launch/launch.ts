/**
 * Launch = check (preset, engine, GPUs, name, ports) → pull if missing →
 * create → start → wait for the health endpoint (streaming logs meanwhile,
 * failing fast when the container exits) → the server's facts for the
 * explorer. A launch that fails after create removes its container (unless
 * `keepOnFailure`); the error carries the last log lines.
 */
import { homedir } from 'node:os';
import { nullLogger, type Logger } from '../../util/logger';
import type { ContainerService } from '../engine/containerService';
import { createBody } from './createBody';
import { toContainerError } from '../engine/errorMapping';
import { ContainerError } from '../errors';
import { labelKeys } from './labels';
import { waitForHealth } from './healthWait';
import { chooseName, checkGpus, ensureImage, LogTail, noGpuError } from './launchSteps';
import { resolveLaunch, type LaunchSpec, type SpecPort } from './launchSpec';
import { assertPortsFree } from './portCheck';
import type { GpuSelection, LaunchOptions, ServerPreset } from '../presets/presetTypes';
import type { LogLine } from '../types';

export type LaunchPhase = 'check' | 'pull' | 'create' | 'start' | 'health' | 'ready';

export interface LaunchProgress {
  phase: LaunchPhase;
  message: string;
  /** Pull percentage (0–100) during 'pull'. */
  percent?: number;
  downloadedBytes?: number;
  totalBytes?: number;
  /** The container's name, from create on (the UI shows that container as starting). */
  containerName?: string;
}

export interface LaunchHooks {
  service: ContainerService;
  signal?: AbortSignal;
  /** Secret env values by name (HF_TOKEN, …) from secret storage: sent to the engine only, masked in logs. */
  secrets?: Record<string, string>;
  onProgress?: (p: LaunchProgress) => void;
  /** Container log lines while waiting for health (secrets masked). */
  onLog?: (line: LogLine) => void;
  log?: Logger;
  /** Skip the pre-pull GPU check (engines whose GPU hook does not show in `docker info`). */
  skipGpuCheck?: boolean;
  /** Keep the container when the launch fails after create (default: remove it). */
  keepOnFailure?: boolean;
  /** For `~` in volume paths (default: the user's home). */
  homeDir?: string;
}

/** What the explorer needs to add the server. */
export interface LaunchedServer {
  containerId: string;
  containerName: string;
  presetId: string;
  serverKind: string;
  image: string;
  /** Base URL of the health (main HTTP) port, e.g. http://127.0.0.1:8000. */
  baseUrl: string;
  /** URL (http://…) or address (host:port, gRPC) per preset port name. */
  endpoints: Record<string, string>;
  hostPorts: Record<string, number>;
  gpus: GpuSelection;
  pulled: boolean;
  readyAfterMs: number;
}

function hostFor(service: ContainerService, p: SpecPort): string {
  if (!service.isLocal) return service.advertisedHost;
  const ip = p.hostIp === '0.0.0.0' || p.hostIp === '::' ? '127.0.0.1' : p.hostIp;
  return ip.includes(':') ? `[${ip}]` : ip;
}

function endpoints(service: ContainerService, spec: LaunchSpec): Record<string, string> {
  return Object.fromEntries(
    spec.ports.map((p) => [
      p.name,
      p.protocol === 'http' ? `http://${hostFor(service, p)}:${p.hostPort}` : `${hostFor(service, p)}:${p.hostPort}`,
    ]),
  );
}

function exitedError(
  id: string,
  exitCode: number | undefined,
  engineError: string | undefined,
  lines: string[],
): ContainerError {
  const tail = lines.length ? quote(lines) : ' It printed nothing.';
  const why = engineError ? ` (${engineError})` : '';
  return new ContainerError(
    'exited-during-start',
    `The container exited with code ${exitCode ?? '?'} before it was ready${why}.${tail}`,
    'Check the model id, volumes and arguments in the logs above.',
    {
      containerId: id,
      exitCode,
      lastLogLines: lines,
    },
  );
}

async function prepare(preset: ServerPreset, options: LaunchOptions, h: LaunchHooks): Promise<LaunchSpec> {
  const { service, signal } = h;
  const bindAddress = options.bindAddress ?? (service.isLocal ? undefined : '0.0.0.0');
  const spec = resolveLaunch(preset, { ...options, bindAddress }, { homeDir: h.homeDir ?? homedir() });
  h.onProgress?.({ phase: 'check', message: `Checking the Docker engine at ${service.endpoint}` });
  await service.ping({ signal });
  if (!h.skipGpuCheck) await checkGpus(service, preset, spec, { signal });
  spec.name = await chooseName(service, spec, options.name !== undefined, { signal });
  await assertPortsFree(service, spec.ports, { signal });
  return spec;
}

export async function launch(preset: ServerPreset, options: LaunchOptions, h: LaunchHooks): Promise<LaunchedServer> {
  try {
    return await run(preset, options, h);
  } catch (e) {
    throw toContainerError(e, {
      op: 'launch',
      endpoint: h.service.endpoint,
      abortReason: h.signal?.aborted ? h.signal.reason : undefined,
    });
  }
}

async function run(preset: ServerPreset, options: LaunchOptions, h: LaunchHooks): Promise<LaunchedServer> {
  const { service, signal } = h;
  const log = h.log ?? nullLogger;
  const spec = await prepare(preset, options, h);
  const pulled = await ensureImage(service, spec.image, options.pull ?? 'missing', {
    signal,
    onProgress: (p) =>
      h.onProgress?.({
        phase: 'pull',
        message: `Pulling ${spec.image}: ${p.status}`,
        percent: p.percent,
        downloadedBytes: p.downloadedBytes,
        totalBytes: p.totalBytes,
      }),
  });
  if (!pulled) h.onProgress?.({ phase: 'pull', message: `Image ${spec.image} is present: pull skipped`, percent: 100 });
  h.onProgress?.({ phase: 'create', message: `Creating ${spec.name}`, containerName: spec.name });
  const body = createBody(spec, h.secrets);
  body.Labels[labelKeys.launchOptions] = JSON.stringify({ ...options, name: spec.name });
  const id = await service.create(body, { signal });
  try {
    return await startAndWait(preset, spec, id, pulled, h, log);
  } catch (e) {
    if (!h.keepOnFailure) {
      await service
        .remove(id, { force: true, timeoutMs: 30_000 })
        .catch((r: Error) => log.warn(`could not remove ${spec.name} after a failed launch: ${r.message}`));
    }
    throw e;
  }
}

async function startAndWait(
  preset: ServerPreset,
  spec: LaunchSpec,
  id: string,
  pulled: boolean,
  h: LaunchHooks,
  log: Logger,
): Promise<LaunchedServer> {
  const { service, signal } = h;
  h.onProgress?.({ phase: 'start', message: `Starting ${spec.name}`, containerName: spec.name });
  try {
    await service.start(id, { signal });
  } catch (e) {
    if (ContainerError.is(e, 'no-gpu-runtime')) throw noGpuError(preset, undefined, e.details.engineMessage);
    throw e;
  }
  const tail = new LogTail(50, Object.values(h.secrets ?? {}));
  const logsCtrl = new AbortController();
  const stopLogs = () => logsCtrl.abort();
  signal?.addEventListener('abort', stopLogs, { once: true });
  const logsDone = (async () => {
    for await (const line of service.logs(id, { follow: true, timestamps: true, signal: logsCtrl.signal }))
      h.onLog?.(tail.add(line));
  })().catch((e: Error) => log.debug(`log stream of ${spec.name} ended: ${e.message}`));
  const urls = endpoints(service, spec);
  const healthUrl = `${urls[spec.health.port.name]}${spec.health.path}`;
  h.onProgress?.({ phase: 'health', message: `Waiting for ${healthUrl}`, containerName: spec.name });
  try {
    const ready = await waitForHealth({
      url: healthUrl,
      expectStatus: spec.health.expectStatus,
      bodyIncludes: spec.health.bodyIncludes,
      timeoutMs: spec.health.timeoutMs,
      signal,
      check: async () => {
        const d = await service.inspect(id, { signal });
        if (d.running) return;
        // The followed stream ends with the container: let it hand the final lines to onLog first.
        await Promise.race([logsDone, new Promise((r) => setTimeout(r, 2_000).unref())]);
        throw exitedError(id, d.exitCode, d.error, await lastLines(service, id, tail));
      },
      onAttempt: (observed) =>
        h.onProgress?.({ phase: 'health', message: `Waiting for ${healthUrl}: ${observed}`, containerName: spec.name }),
    });
    h.onProgress?.({
      phase: 'ready',
      message: `${preset.label} is ready at ${urls[spec.health.port.name]}`,
      containerName: spec.name,
    });
    return {
      containerId: id,
      containerName: spec.name,
      presetId: spec.presetId,
      serverKind: spec.serverKind,
      image: spec.image,
      baseUrl: urls[spec.health.port.name],
      endpoints: urls,
      hostPorts: Object.fromEntries(spec.ports.map((p) => [p.name, p.hostPort])),
      gpus: spec.gpus,
      pulled,
      readyAfterMs: ready.elapsedMs,
    };
  } catch (e) {
    if (ContainerError.is(e, 'health-timeout')) {
      const lines = await lastLines(service, id, tail);
      throw new ContainerError(e.kind, `${e.message}${quote(lines)}`, e.fix, {
        ...e.details,
        containerId: id,
        lastLogLines: lines,
      });
    }
    throw e;
  } finally {
    signal?.removeEventListener('abort', stopLogs);
    stopLogs();
    await logsDone;
  }
}

/**
 * The container's last lines, read back from the engine: the followed stream
 * may still have lines in flight when we decide to fail. Falls back to what
 * the stream delivered. Secrets are masked either way.
 */
async function lastLines(service: ContainerService, id: string, streamed: LogTail): Promise<string[]> {
  try {
    const tail = new LogTail(50, streamed.secrets);
    for await (const line of service.logs(id, { tail: 50, timeoutMs: 5_000 })) tail.add(line);
    return tail.last.length ? tail.last : streamed.last;
  } catch {
    return streamed.last;
  }
}

function quote(lines: string[]): string {
  const shown = lines.slice(-10);
  return shown.length ? `\nLast log lines:\n${shown.map((l) => `  ${l}`).join('\n')}` : '';
}
