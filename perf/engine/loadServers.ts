/**
 * The servers bench:engine measures against, in their own process (so their
 * CPU is not counted as the engine's): one node:http server with
 *   POST /embed            → `[[0.1]]` (a TEI-shaped answer, tiny)
 *   POST /v1/completions   → SSE: `max_tokens` events (JSON body
 *                            `{max_tokens, interval, phase}`), the first
 *                            `phase` ms (default: `interval`) after the
 *                            request, then one every `interval` ms, each
 *                            stamped with the server's CLOCK_MONOTONIC time
 *                            in ms (`ts`), then [DONE]
 *   GET  /plain            → `ok`
 *   GET  /metrics          → Prometheus text shaped like vLLM's (gauges,
 *                            counters and 8 histograms of 20 buckets: ~200
 *                            samples), counters following the requests served
 *   GET  /metrics/vllm     → a real vLLM 0.32 scrape (55 KB, the fixture
 *                            test/fixtures/metrics/vllm-0.32-cpu.metrics.txt)
 *   POST /slow/embed       → `[[0.1]]` after SLOW_MS (20 ms) on a timer; the
 *                            time each was held (request end → answer) adds up
 *   GET  /slow/held        → `{"n":…,"meanMs":…,"medianMs":…}` of those holds
 *                            since the last read (then reset): the server's
 *                            own latency
 * Listens on LOAD_SERVER_PORT (default: any free port); prints one line
 * `{"url": …}` when listening; exits on SIGTERM.
 */
import http from 'node:http';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const monoMs = () => Number(process.hrtime.bigint()) / 1e6;
const tiny = Buffer.from('[[0.1]]');

function stream(res: http.ServerResponse, count: number, intervalMs: number, phaseMs = intervalMs): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
  let sent = 0;
  const one = () => `data: {"choices":[{"index":0,"text":" x"}],"ts":${monoMs().toFixed(3)}}\n\n`;
  if (intervalMs <= 0) {
    let out = '';
    for (; sent < count; sent++) out += one();
    res.end(`${out}data: [DONE]\n\n`);
    return;
  }
  const start = monoMs();
  const tick = () => {
    if (res.destroyed) return;
    res.write(one());
    if (++sent >= count) return void res.end('data: [DONE]\n\n');
    // Deadline chain: event k (from 0) is due at start + phase + k × interval, however late one timer fires.
    setTimeout(tick, Math.max(0, start + phaseMs + sent * intervalMs - monoMs()));
  };
  setTimeout(tick, phaseMs);
}

let served = 0;
const SLOW_MS = 20;
let held: number[] = [];
const vllmText = fs.readFileSync(path.join(__dirname, '../../test/fixtures/metrics/vllm-0.32-cpu.metrics.txt'));
const BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80];
const HISTOGRAMS = [
  'time_to_first_token_seconds',
  'inter_token_latency_seconds',
  'e2e_request_latency_seconds',
  'request_queue_time_seconds',
  'request_prefill_time_seconds',
  'request_decode_time_seconds',
  'request_prompt_tokens',
  'request_generation_tokens',
];

function metricsText(): string {
  const l = 'engine="0",model_name="bench"';
  const lines = [
    `vllm:num_requests_running{${l}} 64`,
    `vllm:num_requests_waiting{${l}} 0`,
    `vllm:kv_cache_usage_perc{${l}} 0.12`,
    `vllm:prompt_tokens_total{${l}} ${served * 8}`,
    `vllm:generation_tokens_total{${l}} ${served}`,
    `vllm:request_success_total{${l},finished_reason="length"} ${served}`,
  ];
  for (const h of HISTOGRAMS) {
    lines.push(`# HELP vllm:${h} Histogram of ${h}.`, `# TYPE vllm:${h} histogram`);
    BUCKETS.forEach((b, i) =>
      lines.push(`vllm:${h}_bucket{${l},le="${b}"} ${Math.round((served * (i + 1)) / BUCKETS.length)}`),
    );
    lines.push(
      `vllm:${h}_bucket{${l},le="+Inf"} ${served}`,
      `vllm:${h}_count{${l}} ${served}`,
      `vllm:${h}_sum{${l}} ${(served * 0.001).toFixed(3)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const server = http.createServer((req, res) => {
  const parts: Buffer[] = [];
  req.on('data', (c: Buffer) => parts.push(c));
  req.on('end', () => {
    if (req.url === '/embed') {
      served++;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': tiny.length });
      return void res.end(tiny);
    }
    if (req.url === '/v1/completions') {
      const b = JSON.parse(Buffer.concat(parts).toString('utf8') || '{}') as {
        max_tokens?: number;
        interval?: number;
        phase?: number;
      };
      return stream(res, b.max_tokens ?? 16, b.interval ?? 0, b.phase);
    }
    if (req.url === '/slow/embed') {
      const at = monoMs();
      return void setTimeout(() => {
        held.push(monoMs() - at);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': tiny.length });
        res.end(tiny);
      }, SLOW_MS);
    }
    if (req.url === '/slow/held') {
      const sorted = held.sort((a, b) => a - b);
      const out = JSON.stringify({
        n: sorted.length,
        meanMs: sorted.reduce((a, b) => a + b, 0) / sorted.length,
        medianMs: sorted[Math.floor(sorted.length / 2)],
      });
      held = [];
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(out);
    }
    if (req.url === '/metrics' || req.url === '/metrics/vllm') {
      const text = req.url === '/metrics' ? metricsText() : vllmText;
      res.writeHead(200, {
        'content-type': 'text/plain; version=0.0.4; charset=utf-8',
        'content-length': Buffer.byteLength(text),
      });
      return void res.end(text);
    }
    if (req.url === '/plain') {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
      return void res.end('ok');
    }
    res.writeHead(404).end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.LOAD_SERVER_PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
