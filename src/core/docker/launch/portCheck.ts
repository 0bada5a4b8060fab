/**
 * Host ports are checked before a container is created, because the engine
 * only notices a conflict at start, after a possibly long pull, with a
 * message that names neither the port's owner nor a fix.
 */
import { createServer } from 'node:net';
import type { ContainerService } from '../engine/containerService';
import { ContainerError, fixes } from '../errors';
import type { CallOptions } from '../types';

export type PortProbe = 'free' | 'in-use' | 'not-local' | 'unknown';

const wildcard = new Set(['', '0.0.0.0', '::']);

function overlaps(a: string | undefined, b: string): boolean {
  return wildcard.has(a ?? '') || wildcard.has(b) || a === b;
}

/** Tries to listen on the port (then closes at once). */
export function probePort(port: number, host = '127.0.0.1'): Promise<PortProbe> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', (e: NodeJS.ErrnoException) => {
      // EACCES: a privileged port; the engine binds it as root, so we cannot tell.
      resolve(e.code === 'EADDRINUSE' ? 'in-use' : e.code === 'EADDRNOTAVAIL' ? 'not-local' : 'unknown');
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve('free')));
  });
}

/** The first port from `start` upwards that is free on `host` (for suggesting a host port). */
export async function suggestFreePort(start: number, host = '127.0.0.1', tries = 50): Promise<number | undefined> {
  for (let p = start; p < start + tries && p <= 65535; p++) if ((await probePort(p, host)) === 'free') return p;
  return undefined;
}

/**
 * Throws a 'port-in-use' ContainerError when one of the ports is published by
 * a running container or, on a local engine, taken by any other program.
 */
export async function assertPortsFree(
  service: ContainerService,
  ports: { hostPort: number; hostIp: string }[],
  o: CallOptions = {},
): Promise<void> {
  const running = await service.list({ scope: 'all', all: false, signal: o.signal, timeoutMs: o.timeoutMs });
  for (const p of ports) {
    const owner = running.find((c) => c.ports.some((m) => m.hostPort === p.hostPort && overlaps(m.hostIp, p.hostIp)));
    if (owner) {
      throw new ContainerError(
        'port-in-use',
        `Host port ${p.hostPort} is already published by container ${owner.name} (${owner.image}).`,
        fixes.portInUse,
        {
          port: p.hostPort,
          containerId: owner.id,
        },
      );
    }
  }
  if (!service.isLocal) return;
  for (const p of ports) {
    const probe = await probePort(p.hostPort, wildcard.has(p.hostIp) ? '0.0.0.0' : p.hostIp);
    if (probe === 'in-use') {
      throw new ContainerError(
        'port-in-use',
        `Host port ${p.hostPort} on ${p.hostIp} is already in use by another program.`,
        fixes.portInUse,
        { port: p.hostPort },
      );
    }
    if (probe === 'not-local') {
      throw new ContainerError(
        'invalid-preset',
        `Cannot publish on ${p.hostIp}: it is not an address of this machine.`,
        'Use 127.0.0.1 (this machine only) or 0.0.0.0 (all interfaces).',
      );
    }
  }
}
