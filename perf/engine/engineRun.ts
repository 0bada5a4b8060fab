/**
 * One closed-loop engine run in its own plain-Node process, as the shipped
 * CLI runs (bench:engine bundles this file with esbuild): no tsx loader in the
 * process whose CPU time is measured. Prints one JSON line: req/s, requests,
 * CPU seconds, event-loop delay p99 and the latency mean/p99 of the measured
 * phase, and how often /metrics was read.
 * Arg: JSON {url, seconds, connections, records, metricsIntervalSec?,
 * metricsPath?, warmup?} — with `metricsIntervalSec`, the run scrapes the load
 * server's `metricsPath` (default /metrics) that often.
 */
import { runBenchmark } from '../../src/core/bench/runBenchmark';

const args = JSON.parse(process.argv[2]) as {
  url: string;
  seconds: number;
  connections: number;
  records: string;
  metricsIntervalSec?: number;
  metricsPath?: string;
  warmup?: number;
};

void runBenchmark(
  {
    url: args.url,
    group: 'embeddings',
    api: 'tei',
    load: { concurrency: [args.connections] },
    durationSec: args.seconds,
    warmup: args.warmup ?? 4 * args.connections,
    serverMetrics: args.metricsIntervalSec
      ? { url: `${new URL(args.url).origin}${args.metricsPath ?? '/metrics'}`, intervalSec: args.metricsIntervalSec }
      : false,
  },
  { recordsPath: args.records },
).then((r) => {
  const s = r.steps[0];
  const sec = (s.window.endMs - s.window.startMs) / 1000;
  const requests = s.summary.counts.completed;
  const scrapes = r.serverMetrics?.scrapes.ok ?? 0;
  const latency = s.summary.metrics.latency ?? Object.values(s.summary.metrics)[0];
  process.stdout.write(
    `${JSON.stringify({
      rps: requests / sec,
      requests,
      sec,
      cpuSec: (s.selfCheck.cpuPercent / 100) * sec,
      loopP99Ms: s.selfCheck.eventLoopDelayP99Ms,
      latencyMeanMs: latency.mean,
      latencyMedianMs: latency.median,
      latencyP99Ms: latency.percentiles['99'],
      scrapes,
    })}\n`,
  );
});
