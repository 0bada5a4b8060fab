/**
 * One closed-loop engine run in its own plain-Node process, as the shipped
 * CLI runs (bench:engine bundles this file with esbuild): no tsx loader in the
 * process whose CPU time is measured. Prints one JSON line: req/s, requests
 * and CPU seconds of the measured phase, and its length.
 * Arg: JSON {url, seconds, connections, records, warmup?}. No server metrics
 * (section 6 switches them on and off within one run: windowsRun.ts).
 */
import { runBenchmark } from '../../src/core/bench/runBenchmark';
import { embedSpec } from './windows';

const args = JSON.parse(process.argv[2]) as {
  url: string;
  seconds: number;
  connections: number;
  records: string;
  warmup?: number;
};

void runBenchmark(embedSpec(args, false), { recordsPath: args.records }).then((r) => {
  const s = r.steps[0];
  const sec = (s.window.endMs - s.window.startMs) / 1000;
  const requests = s.summary.counts.completed;
  process.stdout.write(
    `${JSON.stringify({ rps: requests / sec, requests, sec, cpuSec: (s.selfCheck.cpuPercent / 100) * sec })}\n`,
  );
});
