/**
 * One closed-loop engine run in its own plain-Node process, as the shipped
 * CLI runs (bench:engine bundles this file with esbuild): no tsx loader in the
 * process whose CPU time is measured. Prints one JSON line: req/s, requests
 * and CPU seconds of the measured phase.
 * Arg: JSON {url, seconds, connections, records, metricsIntervalSec?} — with
 * `metricsIntervalSec`, the run scrapes the load server's /metrics that often.
 */
import { runBenchmark } from '../../src/core/bench/runBenchmark';

const args = JSON.parse(process.argv[2]) as {
  url: string;
  seconds: number;
  connections: number;
  records: string;
  metricsIntervalSec?: number;
};

void runBenchmark(
  {
    url: args.url,
    group: 'embeddings',
    api: 'tei',
    load: { concurrency: [args.connections] },
    durationSec: args.seconds,
    warmup: 4 * args.connections,
    serverMetrics: args.metricsIntervalSec
      ? { url: `${args.url}/metrics`, intervalSec: args.metricsIntervalSec }
      : false,
  },
  { recordsPath: args.records },
).then((r) => {
  const s = r.steps[0];
  const sec = (s.window.endMs - s.window.startMs) / 1000;
  const requests = s.summary.counts.completed;
  const scrapes = r.serverMetrics?.scrapes.ok ?? 0;
  process.stdout.write(
    `${JSON.stringify({ rps: requests / sec, requests, cpuSec: (s.selfCheck.cpuPercent / 100) * sec, loopP99Ms: s.selfCheck.eventLoopDelayP99Ms, scrapes })}\n`,
  );
});
