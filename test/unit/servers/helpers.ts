/** Shared set-up for the server adapter tests: a replay server per test, and configs pointing at it. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';
import { closeHttpPools } from '../../../src/core/http/client';
import type { ServerConfig } from '../../../src/core/servers/types';
import { loadRecording, ReplayServer } from './replayServer';

const open: ReplayServer[] = [];

/** Starts a replay of one or more recordings of `server`; closed after the test file. */
export async function replay(server: string, ...names: string[]): Promise<ReplayServer> {
  const r = await ReplayServer.start(...names.map((n) => loadRecording(server, n)));
  open.push(r);
  return r;
}

/** A config for the replay's main port, with its management/metrics ports when it has them. */
export function configFor(r: ReplayServer, extra: Partial<ServerConfig> = {}): ServerConfig {
  const c: ServerConfig = { id: 'test', name: 'test', url: r.url(), timeoutMs: 3000, ...extra };
  for (const [role, key] of [
    ['management', 'managementUrl'],
    ['metrics', 'metricsUrl'],
  ] as const) {
    try {
      c[key] ??= role === 'metrics' ? `${r.url(role)}/metrics` : r.url(role);
    } catch {
      /* this recording has no such port */
    }
  }
  return c;
}

/** A 127.0.0.1 port that was just free and is now closed: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((f) => s.listen(0, '127.0.0.1', f));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((f) => s.close(() => f()));
  return port;
}

after(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
  await closeHttpPools();
});
