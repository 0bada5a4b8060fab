/**
 * bench:trace — memory of a trace replay does not grow with the trace.
 *
 * Replays Mooncake traces of 10 000 and 100 000 lines (one request per
 * millisecond of the trace, at speed 1: 1000 req/s; 32-token prompts, 2
 * output tokens) against the cheap SSE server of bench:engine, each in a
 * fresh Node process running the bundled engine, and prints the heap
 * retained after a full GC (sampled once a second) at a tenth of the run and
 * at its peak. Side by side, two anchors: the same number of requests at
 * 1000 req/s without a trace (what the engine's own per-request summaries
 * retain: they grow with the requests whatever the workload), and what
 * reading the largest trace whole (parsed lines in an array) costs.
 *
 * usage: npm run bench:trace [-- --lines 10000,100000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { bundle } from './engine/bundle';
import { run, startLoadServer } from './engine/tools';

const { values } = parseArgs({ options: { lines: { type: 'string', default: '10000,100000' } } });
const sizes = values.lines.split(',').map(Number);
const root = path.resolve(__dirname, '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-trace-'));
const f = (v: number, d = 1) => v.toFixed(d);

function writeTrace(lines: number): string {
  const file = path.join(dir, `mooncake-${lines}.jsonl`);
  const out = fs.createWriteStream(file);
  let chunk = '';
  for (let k = 0; k < lines; k++) {
    chunk += `{"timestamp": ${k}, "input_length": 32, "output_length": 2, "hash_ids": [${k % 64}]}\n`;
    if (chunk.length > 1 << 16) {
      out.write(chunk);
      chunk = '';
    }
  }
  out.end(chunk);
  return file;
}

interface Replay {
  requests: number;
  completed: number;
  seconds: number;
  requestedRate: number;
  achievedRate: number;
  latenessP99Ms: number;
  rssStartMB: number;
  rssAtTenthMB: number;
  rssPeakMB: number;
  heapAtTenthMB: number;
  heapPeakMB: number;
}

async function main(): Promise<void> {
  const runner = await bundle(root, 'perf/engine/traceRun.ts', path.join(dir, 'traceRun.cjs'));
  const server = await startLoadServer(root);
  try {
    console.log(
      'bench:trace — memory of a trace replay against the trace length (Mooncake JSONL, 1000 req/s, speed 1)',
    );
    const results: Array<[number, Replay, number]> = [];
    const show = (what: string, r: Replay) => {
      console.log(
        `   ${what}: ${r.completed}/${r.requests} completed in ${f(r.seconds)} s, achieved ${f(r.achievedRate, 0)} of ${f(r.requestedRate, 0)} req/s, send lateness p99 ${f(r.latenessP99Ms, 2)} ms`,
      );
      console.log(
        `      retained heap ${f(r.heapAtTenthMB)} MB at a tenth → peak ${f(r.heapPeakMB)} MB (+${f(r.heapPeakMB - r.heapAtTenthMB)} MB over the last nine tenths); RSS ${f(r.rssStartMB)} → ${f(r.rssAtTenthMB)} → peak ${f(r.rssPeakMB)} MB`,
      );
    };
    for (const lines of sizes) {
      const trace = writeTrace(lines);
      const arg = {
        mode: 'replay',
        url: server.url,
        trace,
        records: path.join(dir, `records-${lines}.jsonl`),
        requests: lines,
      };
      const r = JSON.parse((await run(process.execPath, ['--expose-gc', runner, JSON.stringify(arg)])).out) as Replay;
      results.push([lines, r, fs.statSync(trace).size]);
      show(`trace of ${lines} lines (${f(fs.statSync(trace).size / 2 ** 20)} MB)`, r);
    }
    const n = sizes[sizes.length - 1];
    const plain = JSON.parse(
      (
        await run(process.execPath, [
          '--expose-gc',
          runner,
          JSON.stringify({
            mode: 'rate',
            url: server.url,
            trace: '',
            records: path.join(dir, 'records-rate.jsonl'),
            requests: n,
          }),
        ])
      ).out,
    ) as Replay;
    show(`anchor: ${n} requests at 1000 req/s, no trace`, plain);
    const largest = results[results.length - 1];
    const whole = JSON.parse(
      (
        await run(process.execPath, [
          '--expose-gc',
          runner,
          JSON.stringify({
            mode: 'load-whole',
            url: '',
            trace: path.join(dir, `mooncake-${largest[0]}.jsonl`),
            records: '',
          }),
        ])
      ).out,
    ) as { lines: number; rssGrowthMB: number; heapGrowthMB: number };
    console.log(
      `   anchor: reading the ${whole.lines}-line trace whole costs +${f(whole.heapGrowthMB)} MB heap (+${f(whole.rssGrowthMB)} MB RSS) before a single request`,
    );
    if (results.length >= 2) {
      const [small, big] = [results[0][1], largest[1]];
      const growth = (r: Replay) => r.heapPeakMB - r.heapAtTenthMB;
      console.log(
        `   retained-heap growth after the first tenth: ${results[0][0]} lines +${f(growth(small))} MB, ${largest[0]} lines +${f(growth(big))} MB; the same requests without a trace +${f(growth(plain))} MB`,
      );
      console.log(
        `   → what the trace adds: ${f(growth(big) - growth(plain), 1)} MB for ${largest[0]} lines (reading it whole: ${f(whole.heapGrowthMB)} MB)`,
      );
    }
  } finally {
    server.stop();
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
