/**
 * One run for bench:trace, in a fresh process (run with --expose-gc):
 * `replay` runs the engine on the trace, `rate` sends as many requests at
 * 1000 req/s without a trace (what the engine's own summaries cost), each
 * sampling the heap retained after a full GC once a second;
 * `load-whole` reads the trace into an array of parsed lines, the cost a
 * non-streaming reader would pay. Prints one JSON line.
 * Arg: JSON {mode, url, trace, records, requests}.
 */
import fs from 'node:fs';
import { runBenchmark } from '../../src/core/bench/runBenchmark';

const args = JSON.parse(process.argv[2]) as {
  mode: 'replay' | 'rate' | 'load-whole';
  url: string;
  trace: string;
  records: string;
  requests: number;
};
const gc = (globalThis as { gc?: () => void }).gc!;
const mb = (v: number) => v / 2 ** 20;

async function main(): Promise<void> {
  gc();
  const before = process.memoryUsage();
  if (args.mode === 'load-whole') {
    const lines = fs
      .readFileSync(args.trace, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as unknown);
    gc();
    const after = process.memoryUsage();
    process.stdout.write(
      `${JSON.stringify({ lines: lines.length, rssGrowthMB: mb(after.rss - before.rss), heapGrowthMB: mb(after.heapUsed - before.heapUsed) })}\n`,
    );
    return;
  }
  const samples: Array<{ done: number; rss: number; heap: number }> = [];
  let done = 0;
  const timer = setInterval(() => {
    gc();
    const m = process.memoryUsage();
    samples.push({ done, rss: m.rss, heap: m.heapUsed });
  }, 1000);
  const load = args.mode === 'replay' ? { trace: { file: args.trace } } : { rate: [1000] };
  const r = await runBenchmark(
    {
      url: args.url,
      group: 'text-generation',
      api: 'openai-completions',
      model: 'm',
      load,
      timeoutSec: 30,
      ...(args.mode === 'rate' && {
        requests: args.requests,
        text: { inputTokens: { mean: 32 }, outputTokens: { mean: 2 } },
      }),
    },
    {
      recordsPath: args.records,
      onProgress: (e) => (e.type === 'snapshot' ? (done = e.completed + e.failed) : undefined),
      progressIntervalMs: 250,
    },
  );
  clearInterval(timer);
  const s = r.steps[0];
  const o = s.openLoop!;
  const t = s.trace ?? {
    requests: s.requests.sent,
    requestedRate: o.scheduledRate,
    achievedRate: o.achievedRate,
    latenessP99Ms: o.sendDelayP99Ms,
  };
  const peak = (k: 'rss' | 'heap', from = 0) => Math.max(...samples.filter((x) => x.done >= from).map((x) => x[k]));
  const total = t.requests;
  // Memory once a tenth of the trace is through (pools, buffers and JIT warm), against the peak over the rest.
  const tenth = samples.find((x) => x.done >= total / 10) ?? samples[0];
  process.stdout.write(
    `${JSON.stringify({
      requests: total,
      completed: s.summary.counts.completed,
      seconds: (s.window.endMs - s.window.startMs) / 1000,
      requestedRate: t.requestedRate,
      achievedRate: t.achievedRate,
      latenessP99Ms: t.latenessP99Ms,
      rssStartMB: mb(before.rss),
      rssAtTenthMB: mb(tenth.rss),
      rssPeakMB: mb(peak('rss')),
      heapAtTenthMB: mb(tenth.heap),
      heapPeakMB: mb(peak('heap')),
    })}\n`,
  );
}

void main();
