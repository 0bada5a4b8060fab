/**
 * One closed-loop engine run (runBenchmark, as the CLI runs it; bench:engine bundles this file, next to
 * scrapeWorker.js when the scraper is to read in its worker thread, as runs do) whose scraping is switched on and
 * off in alternating windows of `windowMs`: after a first second, pairs of windows, one on and one off in a seeded
 * random order. On, the run's own scraper reads on its schedule every `intervalSec`, exactly as a run does; off, its
 * ticks read nothing. Window boundaries fall half an interval away from the scraper's ticks, so a window holds
 * windowMs / interval whole readings. Each switch is stamped on the engine's clock after it took effect, and the
 * event-loop delay p99 and the process's CPU time (all threads: the scraper's worker included) of each window are
 * kept (the loop histogram is reset at every switch).
 * Arg: JSON {url, seconds, connections, warmup?, records, metricsPath, intervalSec, windowMs, seed}.
 * Prints one JSON line: {windows, step: {startMs, endMs}, readingsMs (each server scrape's time), scrapes, cpuSec,
 * sec}.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { now } from '../../src/core/bench/engine/clock';
import { runBenchmark } from '../../src/core/bench/runBenchmark';
import { seededUniform } from '../../src/core/stats/random';
import { embedSpec, windowOrder, type Window } from './windows';

const args = JSON.parse(process.argv[2]) as {
  url: string;
  seconds: number;
  connections: number;
  warmup?: number;
  records: string;
  metricsPath: string;
  intervalSec: number;
  windowMs: number;
  seed: number;
};

const intervalMs = args.intervalSec * 1000;
const windows: Window[] = [];
const readingsMs: number[] = [];
let timer: NodeJS.Timeout | undefined;
const loop = monitorEventLoopDelay({ resolution: 1 });
let cpu = 0;

function alternate(s: { origin: number; setPaused(paused: boolean): Promise<void> }): void {
  // Enough pairs to cover the run and its warm-up; the ones past its end are never opened.
  const states = windowOrder(Math.ceil((args.seconds * 1000) / args.windowMs) + 4, seededUniform(args.seed));
  const first = Math.ceil(1000 / intervalMs) * intervalMs + intervalMs / 2;
  let k = 0;
  const open = async () => {
    const on = states[k];
    try {
      await s.setPaused(!on);
    } catch {
      return; // the run has stopped its scraper (its thread is gone): the last window stays open, and is left out
    }
    const at = now() - s.origin;
    const c = process.cpuUsage();
    const last = windows[windows.length - 1];
    if (last) {
      last.endMs = at;
      last.loopP99Ms = loop.percentile(99) / 1e6;
      last.cpuUs = c.user + c.system - cpu;
    }
    cpu = c.user + c.system;
    loop.reset();
    if (k >= states.length - 1) return;
    windows.push({ pair: k >> 1, on, startMs: at, endMs: Number.NaN });
    k++;
    // Deadline chain from the origin: no drift however late one timer fires.
    timer = setTimeout(() => void open(), Math.max(0, s.origin + first + k * args.windowMs - now()));
  };
  timer = setTimeout(() => void open(), Math.max(0, s.origin + first - now()));
}

loop.enable();
void runBenchmark(
  embedSpec(args, { url: `${new URL(args.url).origin}${args.metricsPath}`, intervalSec: args.intervalSec }),
  {
    recordsPath: args.records,
    onScraper: alternate,
    onProgress: (e) => {
      if (e.type === 'server-metrics' && e.source === 'server') readingsMs.push(e.tMs);
    },
  },
).then((r) => {
  clearTimeout(timer);
  loop.disable();
  const s = r.steps[0];
  const sec = (s.window.endMs - s.window.startMs) / 1000;
  process.stdout.write(
    `${JSON.stringify({
      windows: windows.filter((w) => Number.isFinite(w.endMs)),
      step: s.window,
      readingsMs,
      scrapes: r.serverMetrics?.scrapes.ok ?? 0,
      cpuSec: (s.selfCheck.cpuPercent / 100) * sec,
      sec,
    })}\n`,
  );
});
