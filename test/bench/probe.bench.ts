/**
 * bench:probe — how long one refresh of 50 configured servers takes, half of
 * them live (the embedded server's personalities and replayed recordings of
 * every server kind) and half dead (closed ports on 127.0.0.1). Prints the
 * cold refresh (every kind detected) and warm refreshes (kinds remembered),
 * against the 2 s target of issue 4. Run: npm run bench:probe
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeHttpPools } from '../../src/core/http/client';
import { EmbeddedServer } from '../../src/core/embedded/server';
import { ServerMonitor } from '../../src/core/servers/monitor';
import type { ServerSnapshot } from '../../src/core/servers/snapshot';
import type { ServerConfig } from '../../src/core/servers/types';
import { listRecordings, loadRecording, ReplayServer } from '../unit/servers/replayServer';

const total = 50;
const targetMs = 2000;

async function closedPorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, async () => {
      const s = http.createServer();
      await new Promise<void>((f) => s.listen(0, '127.0.0.1', f));
      return s;
    }),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise<void>((f) => s.close(() => f()))));
  return ports;
}

function tally(snaps: ServerSnapshot[]): string {
  const count = new Map<string, number>();
  for (const s of snaps) count.set(s.status, (count.get(s.status) ?? 0) + 1);
  return [...count].map(([k, v]) => `${v} ${k}`).join(', ');
}

async function timed(monitor: ServerMonitor, configs: ServerConfig[]): Promise<{ ms: number; snaps: ServerSnapshot[] }> {
  const t0 = performance.now();
  const snaps = await monitor.probeAll(configs);
  return { ms: performance.now() - t0, snaps };
}

async function main(): Promise<void> {
  const embedded = new EmbeddedServer({ portBase: 0 });
  const endpoints = await embedded.start();
  const replays = await Promise.all(listRecordings().map(({ server, name }) => ReplayServer.start(loadRecording(server, name))));
  try {
    const live: ServerConfig[] = [
      ...Object.entries(endpoints)
        .filter(([, url]) => url.startsWith('http'))
        .map(([name, url]) => ({ id: `embedded-${name}`, name, url })),
      ...replays.map((r, i) => ({ id: `replay-${i}`, name: `replay ${i}`, url: r.url(), models: ['half'] })),
    ];
    const liveCount = Math.min(live.length, total / 2);
    const dead = (await closedPorts(total - liveCount)).map((p) => ({ id: `dead-${p}`, name: `dead ${p}`, url: `http://127.0.0.1:${p}` }));
    const configs = [...live.slice(0, liveCount), ...dead];
    const monitor = new ServerMonitor({ concurrency: 16 });
    const cold = await timed(monitor, configs);
    if (process.env.BENCH_VERBOSE) for (const s of cold.snaps) console.log(`    ${s.durationMs} ms ${s.name} ${s.status} ${s.kind ?? ""}`);
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) warm.push((await timed(monitor, configs)).ms);
    warm.sort((a, b) => a - b);
    console.log(`bench:probe — ${configs.length} servers (${liveCount} live, ${dead.length} dead), concurrency 16`);
    console.log(`  cold refresh (detect every kind): ${cold.ms.toFixed(0)} ms — ${tally(cold.snaps)}`);
    console.log(`  warm refresh (kinds remembered):  median ${warm[2].toFixed(0)} ms, max ${warm[4].toFixed(0)} ms over 5`);
    console.log(`  target < ${targetMs} ms: ${Math.max(cold.ms, warm[4]) < targetMs ? 'met' : 'MISSED'}`);
  } finally {
    await Promise.all(replays.map((r) => r.close()));
    await embedded.stop();
    await closeHttpPools();
  }
}

main().catch((e: unknown) => {
  console.error(`bench:probe failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
