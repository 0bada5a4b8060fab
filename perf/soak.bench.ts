/**
 * bench:soak — 512 concurrent streams against the embedded vLLM personality
 * for a long time (default 10 min), printing the client's and the server's
 * resident memory (RSS) every interval, so growth on either side shows as a
 * series rather than a single figure. The server runs in its own process (the
 * bundled CLI's `serve`), the client is this process running the benchmark
 * engine; both are bundled by esbuild first, as they ship. Figures are
 * printed, not asserted.
 * Run: npm run bench:soak [-- --duration 10m --concurrency 512 --every 30s]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseDuration } from '../src/cli/bench';
import { runBenchmark } from '../src/core/bench/runBenchmark';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10m' },
    concurrency: { type: 'string', default: '512' },
    every: { type: 'string', default: '30s' },
    cli: { type: 'string', default: path.join(__dirname, 'soak-cli.js') },
  },
});
const durationSec = parseDuration('duration', values.duration);
const everyMs = parseDuration('every', values.every) * 1000;
const concurrency = Number(values.concurrency);

/** Resident set size of a process from /proc (MB), or undefined where /proc is not there. */
function rssMb(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const server = spawn(process.execPath, [values.cli, 'serve', '--port-base', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const endpoints = await new Promise<Record<string, string>>((resolve, reject) => {
    let buf = '';
    server.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      const line = buf.split('\n').find((l) => l.includes('"listening"'));
      if (line) resolve((JSON.parse(line) as { endpoints: Record<string, string> }).endpoints);
    });
    server.on('exit', (code) => reject(new Error(`the embedded server exited (${code}) before listening`)));
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soak-'));
  const t0 = performance.now();
  const series: Array<{ t: number; client: number; server?: number; done: number; failed: number; inFlight: number }> =
    [];
  let done = 0;
  let failed = 0;
  let inFlight = 0;
  const sample = () => {
    const s = {
      t: (performance.now() - t0) / 1000,
      client: process.memoryUsage().rss / 2 ** 20,
      server: rssMb(server.pid!),
      done,
      failed,
      inFlight,
    };
    series.push(s);
    console.log(
      `${s.t.toFixed(0).padStart(5)} s  client RSS ${s.client.toFixed(1).padStart(6)} MB  server RSS ${s.server?.toFixed(1).padStart(6) ?? '     ?'} MB  ${String(s.done).padStart(8)} requests  ${s.failed} failed  ${s.inFlight} in flight`,
    );
  };
  console.log(
    `bench:soak: ${concurrency} streams for ${durationSec} s against the embedded vLLM at ${endpoints.vllm} (server pid ${server.pid})`,
  );
  sample();
  const timer = setInterval(sample, everyMs);
  try {
    const r = await runBenchmark(
      {
        url: endpoints.vllm,
        group: 'text-generation',
        api: 'openai-completions',
        model: 'tiny-llm',
        load: { concurrency: [concurrency] },
        durationSec,
        serverMetrics: { enabled: false },
      },
      {
        recordsPath: path.join(dir, 'soak.records.jsonl'),
        onProgress: (e) => {
          if (e.type === 'snapshot') ({ completed: done, failed, inFlight } = e);
          else if (e.type === 'warning') console.log(`warning: ${e.message}`);
        },
      },
    );
    sample();
    const c = r.steps[0].summary.counts;
    console.log(
      `done: ${c.completed} ok, ${c.failed} failed in ${r.steps[0].summary.durationSec.toFixed(0)} s; records ${(fs.statSync(r.recordsPath).size / 2 ** 20).toFixed(0)} MB`,
    );
  } finally {
    clearInterval(timer);
    server.kill('SIGINT');
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const first = series[1] ?? series[0];
  const last = series.at(-1)!;
  console.log(
    `RSS from the first interval to the end: client ${first.client.toFixed(1)} -> ${last.client.toFixed(1)} MB, server ${first.server?.toFixed(1)} -> ${last.server?.toFixed(1)} MB`,
  );
}

main().catch((e: Error) => {
  console.error(`bench:soak: ${e.message}`);
  process.exit(1);
});
