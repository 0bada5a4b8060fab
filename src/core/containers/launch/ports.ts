/**
 * Host-port choices for a launch: the preset's default (or the one the user
 * chose before) when it is free, else the next free one. "Free" means no
 * container publishes it and, on a local engine, nothing listens on it. The
 * probe is injected so the logic is unit-tested without sockets.
 */
import type { LaunchOptions, ServerPreset } from '../../docker/presets/presetTypes';

/** Resolves true when the port can be bound now. */
export type PortProbe = (port: number) => Promise<boolean>;

export interface PortCheck {
  isFree: PortProbe;
  /** Host ports that running containers publish. */
  published: ReadonlySet<number>;
}

/** Why `port` cannot be used, or undefined when it can. */
export async function portProblem(
  port: number,
  check: PortCheck,
  also: ReadonlySet<number> = new Set(),
): Promise<string | undefined> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) return 'Enter a port number from 1 to 65535.';
  if (check.published.has(port)) return `Port ${port} is already published by a running container.`;
  if (also.has(port)) return `Port ${port} is already used by another port of this server.`;
  if (!(await check.isFree(port))) return `Port ${port} is in use on this machine.`;
  return undefined;
}

/** `start` when usable, else the next usable port above it (undefined after `tries`). */
export async function nextUsablePort(
  start: number,
  check: PortCheck,
  also: ReadonlySet<number> = new Set(),
  tries = 100,
): Promise<number | undefined> {
  for (let p = start; p < start + tries && p <= 65535; p++) if (!(await portProblem(p, check, also))) return p;
  return undefined;
}

/** The name of the port the launch asks about: the one the health check uses (the main HTTP port). */
export function mainPortName(preset: ServerPreset): string {
  return preset.health.port;
}

/** What to offer for the main port, and whether the usual one was taken. */
export async function suggestMainPort(
  preset: ServerPreset,
  options: LaunchOptions,
  check: PortCheck,
): Promise<{ wanted: number; suggested?: number }> {
  const name = mainPortName(preset);
  const wanted = options.hostPorts?.[name] ?? preset.ports.find((p) => p.name === name)!.defaultHostPort;
  return { wanted, suggested: await nextUsablePort(wanted, check) };
}

/**
 * Host ports for the preset's other ports (gRPC, metrics, …): each keeps its
 * chosen or default port when usable, else moves to the next usable one.
 */
export async function planSidePorts(
  preset: ServerPreset,
  options: LaunchOptions,
  mainPort: number,
  check: PortCheck,
): Promise<Record<string, number>> {
  const main = mainPortName(preset);
  const used = new Set([mainPort]);
  const out: Record<string, number> = { [main]: mainPort };
  for (const p of preset.ports) {
    if (p.name === main) continue;
    const port =
      (await nextUsablePort(options.hostPorts?.[p.name] ?? p.defaultHostPort, check, used)) ?? p.defaultHostPort;
    used.add(port);
    out[p.name] = port;
  }
  return out;
}
