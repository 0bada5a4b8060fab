/**
 * bench:scale — requests/s of one benchmark run with 1 and 2 worker threads
 * (`--workers`) against a server in another process (bench:engine's load
 * server: POST /embed, a tiny TEI-shaped answer), closed loop at 64
 * connections. The anchor is the plain one-thread engine (no worker
 * threads). Printed with the CPU each side used, so the limit shows: on a
 * 2-core machine the server and the client share two cores. Never asserted.
 * Rounds are interleaved and each variant's best round is shown. Runs as
 * bundles (out/bench/scale.bench.js + benchWorker.js), as the CLI ships: no
 * TypeScript loader in the measured threads.
 * Run: npm run bench:scale [-- --seconds N --rounds N]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runBenchmark } from '../src/core/bench/runBenchmark';
import type { BenchResult } from '../src/core/bench/result';
import { runScaledOut } from '../src/core/bench/scale/coordinator';
import { threadLauncher } from '../src/core/bench/scale/threads';
import type { BenchSpec } from '../src/core/bench/spec';
import { startLoadServer } from './engine/tools';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '5' }, rounds: { type: 'string', default: '3' } },
});
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const root = path.resolve(__dirname, '..', '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-scale-'));
const ticks = 100; // USER_HZ of /proc/<pid>/stat on Linux

/** CPU seconds a process has used (user + system), from /proc. */
function cpuOfPid(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticks;
}

interface Figures {
  rps: number;
  clientCpu: number;
  serverCpu: number;
  loadAvg: number;
}

async function measure(url: string, serverPid: number, workers: number): Promise<Figures> {
  const spec: BenchSpec = {
    url,
    group: 'embeddings',
    api: 'tei',
    load: { concurrency: [64] },
    durationSec: SECONDS,
    warmup: 256,
  };
  const recordsPath = path.join(dir, `w${workers}.jsonl`);
  const c0 = process.cpuUsage();
  const s0 = cpuOfPid(serverPid);
  const t0 = performance.now();
  const r: BenchResult =
    workers === 0
      ? await runBenchmark(spec, { recordsPath })
      : await runScaledOut(spec, threadLauncher(), { workers, recordsPath });
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const step = r.steps[0];
  const sec = (step.window.endMs - step.window.startMs) / 1000;
  return {
    rps: step.summary.counts.completed / sec,
    clientCpu: ((c.user + c.system) / 1e6 / wall) * 100,
    serverCpu: ((cpuOfPid(serverPid) - s0) / wall) * 100,
    loadAvg: os.loadavg()[0],
  };
}

async function main(): Promise<void> {
  const server = await startLoadServer(root);
  const variants: Array<[string, number]> = [
    ['1 thread, no worker threads (anchor)', 0],
    ['--workers 1', 1],
    ['--workers 2', 2],
  ];
  const best = new Map<string, Figures>();
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [name, w] of variants) {
        const f = await measure(server.url, server.pid, w);
        console.log(
          `round ${round}: ${name.padEnd(38)} ${f.rps.toFixed(0).padStart(6)} req/s  client CPU ${f.clientCpu.toFixed(0)} %  server CPU ${f.serverCpu.toFixed(0)} %  load ${f.loadAvg.toFixed(1)}`,
        );
        if (!best.has(name) || best.get(name)!.rps < f.rps) best.set(name, f);
      }
    }
  } finally {
    server.stop();
  }
  const anchor = best.get(variants[0][0])!.rps;
  console.log(
    `\nbench:scale — closed loop, 64 connections, ${SECONDS} s, tiny POST /embed; best of ${ROUNDS} interleaved rounds; ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()})`,
  );
  console.log(
    `${'variant'.padEnd(38)} ${'req/s'.padStart(7)} ${'× anchor'.padStart(9)} ${'client CPU'.padStart(11)} ${'server CPU'.padStart(11)}`,
  );
  for (const [name] of variants) {
    const f = best.get(name)!;
    console.log(
      `${name.padEnd(38)} ${f.rps.toFixed(0).padStart(7)} ${(f.rps / anchor).toFixed(2).padStart(9)} ${`${f.clientCpu.toFixed(0)} %`.padStart(11)} ${`${f.serverCpu.toFixed(0)} %`.padStart(11)}`,
    );
  }
  console.log(
    'CPU in % of one core over the run (client: this process, all its threads; server: the load server process).',
  );
}

void main();
