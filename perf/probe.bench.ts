/**
 * bench:probe — how long one refresh of 50 configured servers takes, half of
 * them live (the embedded server's personalities and replayed recordings of
 * every server kind) and half dead (closed ports on 127.0.0.1). Prints the
 * cold refresh (every kind detected) and warm refreshes (kinds remembered),
 * against the 2 s target of issue 4. The servers run in a child process, as
 * they would in real life, so they do not compete with the prober for its
 * event loop. Run: npm run bench:probe (BENCH_VERBOSE=1 for per-server times).
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { closeHttpPools } from '../src/core/http/client';
import { EmbeddedServer } from '../src/core/embedded/server';
import { ServerMonitor } from '../src/core/servers/monitor';
import type { ServerSnapshot } from '../src/core/servers/snapshot';
import { isServerKind, type ServerConfig } from '../src/core/servers/types';
import { listRecordings, loadRecording, ReplayServer } from '../test/unit/servers/replayServer';

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

/** A personality's config with its side ports (tritonMetrics, torchserveManagement…), as the extension builds it. */
function embeddedConfig(endpoints: Record<string, string>, name: string, url: string): ServerConfig {
  const side = (what: string) =>
    Object.entries(endpoints).find(
      ([k]) => k !== name && k.toLowerCase().startsWith(name) && k.toLowerCase().includes(what),
    )?.[1];
  const metrics = side('metric');
  return {
    id: `embedded-${name}`,
    name,
    url,
    managementUrl: side('manage'),
    metricsUrl: metrics && `${metrics}/metrics`,
    grpcAddress: side('grpc'),
    models: name === 'tfserving' ? ['resnet50'] : undefined,
  };
}

/** Wall time, and the prober's own CPU time (which the machine's load does not inflate). */
async function timed(
  monitor: ServerMonitor,
  configs: ServerConfig[],
): Promise<{ ms: number; cpuMs: number; snaps: ServerSnapshot[] }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const snaps = await monitor.probeAll(configs);
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, snaps };
}

interface Targets {
  embedded: Record<string, string>;
  replays: string[];
}

/** Child side: start the live servers, print their addresses, stop when stdin closes. */
async function serve(): Promise<void> {
  const embedded = new EmbeddedServer({ portBase: 0 });
  const endpoints = await embedded.start();
  const replays = await Promise.all(
    listRecordings().map(({ server, name }) => ReplayServer.start(loadRecording(server, name))),
  );
  const targets: Targets = { embedded: endpoints, replays: replays.map((r) => r.url()) };
  process.stdout.write(`${JSON.stringify(targets)}\n`);
  process.stdin.resume();
  await new Promise((f) => process.stdin.once('end', f));
  await Promise.all(replays.map((r) => r.close()));
  await embedded.stop();
}

async function startServers(): Promise<{ targets: Targets; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--serve'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      if (buf.includes('\n')) resolve(buf.slice(0, buf.indexOf('\n')));
    });
    child.once('exit', (code) => reject(new Error(`server process exited (${code}) before listening`)));
  });
  return { targets: JSON.parse(line) as Targets, stop: () => child.stdin.end() };
}

async function main(): Promise<void> {
  const { targets, stop } = await startServers();
  try {
    const live: ServerConfig[] = [
      ...Object.entries(targets.embedded)
        .filter(([name, url]) => isServerKind(name) && url.startsWith('http'))
        .map(([name, url]) => embeddedConfig(targets.embedded, name, url)),
      ...targets.replays.map((url, i) => ({ id: `replay-${i}`, name: `replay ${i}`, url, models: ['half'] })),
    ];
    const liveCount = Math.min(live.length, total / 2);
    const dead = (await closedPorts(total - liveCount)).map((p) => ({
      id: `dead-${p}`,
      name: `dead ${p}`,
      url: `http://127.0.0.1:${p}`,
    }));
    const configs = [...live.slice(0, liveCount), ...dead];
    const monitor = new ServerMonitor({ concurrency: 16 });
    const cold = await timed(monitor, configs);
    if (process.env.BENCH_VERBOSE)
      for (const s of cold.snaps) console.log(`    ${s.durationMs} ms ${s.name} ${s.status} ${s.kind ?? ''}`);
    const runs = [];
    for (let i = 0; i < 5; i++) runs.push(await timed(monitor, configs));
    const warm = runs.map((r) => r.ms).sort((a, b) => a - b);
    const warmCpu = runs.map((r) => r.cpuMs).sort((a, b) => a - b);
    console.log(`bench:probe — ${configs.length} servers (${liveCount} live, ${dead.length} dead), concurrency 16`);
    console.log(
      `  cold refresh (detect every kind): ${cold.ms.toFixed(0)} ms wall, ${cold.cpuMs.toFixed(0)} ms prober CPU — ${tally(cold.snaps)}`,
    );
    console.log(
      `  warm refresh (kinds remembered):  median ${warm[2].toFixed(0)} ms wall (max ${warm[4].toFixed(0)}), median ${warmCpu[2].toFixed(0)} ms prober CPU, over 5`,
    );
    console.log(
      `  target < ${targetMs} ms: ${Math.max(cold.ms, warm[4]) < targetMs ? 'met' : 'MISSED'} (load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`,
    );
  } finally {
    stop();
    await closeHttpPools();
  }
}

(process.argv.includes('--serve') ? serve() : main()).catch((e: unknown) => {
  console.error(`bench:probe failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
