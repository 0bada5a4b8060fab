/**
 * bench:server — requests/s of the embedded vLLM personality for a tiny
 * non-streaming completion, next to a minimal node:http server answering the
 * same bytes, measured in one run with the same load tool (wrk when
 * installed, else autocannon in a child process) and printed with their
 * ratio (target >= 0.7x: the embedded server must never be what limits a
 * benchmark). Latency costs are set to 0 so the figure is pure server
 * overhead. Figures are printed, not asserted. The script bundles this file
 * with esbuild first, so the server runs as it ships (bundled), not through
 * a TypeScript loader.
 * Run: npm run bench:server [-- --seconds N --connections N --rounds N]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { personalityLoaders } from '../src/core/embedded/personalityList';
import { EmbeddedServer } from '../src/core/embedded/server';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '2' },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const rounds = Number(values.rounds);
const body = JSON.stringify({ model: 'tiny-llm', prompt: 'Hello', max_tokens: 1 });
const TARGET = 0.7;

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}: ${err.trim()}`))));
  });
}

interface LoadResult {
  /** Requests per second reported by the load tool. */
  rps: number;
  /** CPU time this process (the server under test) spent per request, in µs: steadier than req/s on a busy machine. */
  cpuUsPerRequest: number;
  /** Latency percentiles the load tool reports, ms. */
  p50Ms: number;
  p99Ms: number;
}

/** Runs the load tool against `url` and reads its req/s, with this process's CPU time per request. */
async function load(tool: 'wrk' | 'autocannon', url: string, scriptDir: string): Promise<LoadResult> {
  const cpu0 = process.cpuUsage();
  const { rps, requests, p50Ms, p99Ms } = await runTool(tool, url, scriptDir);
  const cpu = process.cpuUsage(cpu0);
  return { rps, cpuUsPerRequest: (cpu.user + cpu.system) / Math.max(1, requests), p50Ms, p99Ms };
}

/** wrk prints latencies as `341.00us`, `1.69ms` or `2.00s`. */
function wrkMs(out: string, pct: number): number {
  const m = new RegExp(`^\\s*${pct}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(out);
  if (!m) throw new Error(`cannot read wrk's ${pct}% latency:\n${out}`);
  return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
}

async function runTool(
  tool: 'wrk' | 'autocannon',
  url: string,
  scriptDir: string,
): Promise<{ rps: number; requests: number; p50Ms: number; p99Ms: number }> {
  if (tool === 'wrk') {
    const script = path.join(scriptDir, 'post.lua');
    writeFileSync(
      script,
      `wrk.method = "POST"\nwrk.body = '${body}'\nwrk.headers["Content-Type"] = "application/json"\n`,
    );
    const out = await run('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, url]);
    const m = /Requests\/sec:\s+([\d.]+)/.exec(out);
    const n = /(\d+) requests in/.exec(out);
    if (!m || !n) throw new Error(`cannot read wrk output:\n${out}`);
    if (/Non-2xx/.test(out)) throw new Error(`non-2xx answers during the run:\n${out}`);
    return { rps: Number(m[1]), requests: Number(n[1]), p50Ms: wrkMs(out, 50), p99Ms: wrkMs(out, 99) };
  }
  const bin = path.join('node_modules', '.bin', 'autocannon');
  const out = await run(bin, [
    '-j',
    '-c',
    String(connections),
    '-d',
    String(seconds),
    '-m',
    'POST',
    '-H',
    'content-type=application/json',
    '-b',
    body,
    url,
  ]);
  const j = JSON.parse(out) as {
    requests: { average: number; total: number };
    latency: { p50: number; p99: number };
    non2xx: number;
  };
  if (j.non2xx) throw new Error(`${j.non2xx} non-2xx answers during the run`);
  return { rps: j.requests.average, requests: j.requests.total, p50Ms: j.latency.p50, p99Ms: j.latency.p99 };
}

/** Listens on a free loopback port; the URL is the completions path both servers answer on. */
async function listening(server: http.Server): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((f) => server.listen(0, '127.0.0.1', f));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/completions`;
  return { url, close: () => new Promise((f) => (server.close(() => f()), server.closeAllConnections())) };
}

async function baselineServer(bytes: Buffer): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes.length });
      res.end(bytes);
    });
  });
  return listening(server);
}

/**
 * A reference point, not a target: the least a JSON API handler can do — read
 * and parse the body, check three fields, answer a templated body with the
 * embedded server's four headers, ending each answer at once. The gap from
 * node:http to this is the cost of parsing and of the headers. The embedded
 * server does more work per request (validation, tokenizer, generation,
 * metrics) but ends its answers at the end of each loop turn (`endSoon` in
 * src/core/embedded/http/respond.ts), which saves more than that work costs
 * under a many-connection load; the latency columns show what that does to
 * latency.
 */
async function minimalJsonServer(): Promise<{ url: string; close(): Promise<void> }> {
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let o: { model?: unknown; prompt?: unknown; max_tokens?: unknown };
      try {
        o = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof o;
      } catch {
        res.writeHead(400).end();
        return;
      }
      if (typeof o.model !== 'string' || typeof o.prompt !== 'string' || !Number.isInteger(o.max_tokens)) {
        res.writeHead(400).end();
        return;
      }
      const now = Date.now();
      const b = `{"id":"cmpl-${++n}","object":"text_completion","created":${Math.floor(now / 1000)},"model":${JSON.stringify(o.model)},"choices":[{"index":0,"text":"Model","logprobs":null,"finish_reason":"length","stop_reason":null}],"usage":{"prompt_tokens":${o.prompt.length},"total_tokens":${o.prompt.length + 1},"completion_tokens":1}}`;
      res.sendDate = false;
      res.writeHead(200, {
        date: new Date(now - (now % 1000)).toUTCString(),
        server: 'uvicorn',
        'content-length': Buffer.byteLength(b),
        'content-type': 'application/json',
      });
      res.end(b);
    });
  });
  return listening(server);
}

async function main(): Promise<void> {
  const tool = existsSync('/usr/bin/wrk') || existsSync('/usr/local/bin/wrk') ? 'wrk' : 'autocannon';
  const embedded = new EmbeddedServer({
    portBase: 0,
    personalities: Object.fromEntries(Object.keys(personalityLoaders).map((n) => [n, { enabled: n === 'vllm' }])),
    models: [
      {
        name: 'tiny-llm',
        kind: 'text-generation',
        latency: { prefillBaseMs: 0, prefillPerTokenMs: 0, decodePerTokenMs: 0, jitter: 0 },
      },
    ],
  });
  const endpoints = await embedded.start();
  const target = `${endpoints.vllm}/v1/completions`;
  const sample = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const bytes = Buffer.from(await sample.arrayBuffer());
  const baseline = await baselineServer(bytes);
  const minimal = await minimalJsonServer();
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-server-'));
  try {
    console.log(
      `bench:server — ${tool}, ${connections} connections, ${seconds} s per run, ${rounds} round(s), body ${bytes.length} B`,
    );
    const runs: Array<{ b: LoadResult; m: LoadResult; e: LoadResult }> = [];
    for (let i = 0; i < rounds; i++) {
      const b = await load(tool, baseline.url, dir);
      const m = await load(tool, minimal.url, dir);
      const e = await load(tool, target, dir);
      runs.push({ b, m, e });
      const lat = (x: LoadResult) => `p50 ${x.p50Ms.toFixed(2)} ms, p99 ${x.p99Ms.toFixed(2)} ms`;
      console.log(
        `  round ${i + 1}: node:http ${b.rps.toFixed(0)} req/s (${b.cpuUsPerRequest.toFixed(1)} µs CPU/req, ${lat(b)}), minimal JSON handler ${m.rps.toFixed(0)} req/s (${lat(m)}), embedded vLLM ${e.rps.toFixed(0)} req/s (${e.cpuUsPerRequest.toFixed(1)} µs CPU/req, ${lat(e)})`,
      );
    }
    const best = (pick: (r: { b: LoadResult; m: LoadResult; e: LoadResult }) => number) => Math.max(...runs.map(pick));
    const least = (pick: (r: { b: LoadResult; m: LoadResult; e: LoadResult }) => number) => Math.min(...runs.map(pick));
    const ratio = best((r) => r.e.rps) / best((r) => r.b.rps);
    const cpuRatio = least((r) => r.b.cpuUsPerRequest) / least((r) => r.e.cpuUsPerRequest);
    console.log(
      `minimal node:http server : ${best((r) => r.b.rps).toFixed(0)} req/s (best run), ${least((r) => r.b.cpuUsPerRequest).toFixed(1)} µs CPU/req (least)`,
    );
    console.log(
      `embedded vLLM personality: ${best((r) => r.e.rps).toFixed(0)} req/s (best run), ${least((r) => r.e.cpuUsPerRequest).toFixed(1)} µs CPU/req (least)`,
    );
    console.log(`ratio (req/s): ${ratio.toFixed(2)}x (target >= ${TARGET}x) ${ratio >= TARGET ? 'MET' : 'MISSED'}`);
    console.log(
      `reference, not a target: a minimal JSON handler (parse, check, template, same headers) ${best((r) => r.m.rps).toFixed(0)} req/s = ${(best((r) => r.m.rps) / best((r) => r.b.rps)).toFixed(2)}x`,
    );
    console.log(
      `ratio (CPU per request, baseline/embedded): ${cpuRatio.toFixed(2)}x — the server-bound req/s ratio on an idle machine`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await baseline.close();
    await minimal.close();
    await embedded.stop();
  }
}

main().catch((e: unknown) => {
  console.error(`bench:server failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
