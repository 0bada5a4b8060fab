/**
 * bench:engine section 6's on/off windows: ONE engine run whose scraping is switched on and off in short alternating
 * windows (each pair of windows holds one of each, in a random order), so that a drift of the machine's load, slow
 * next to a window, is the same in both windows of a pair and cancels in their ratio. Here: the schedule of windows,
 * each window's figures from the run's records (requests completed in it, their latency p50/p99), and the pairs
 * those figures form (paired.ts then gives the on/off ratio and its 95 % interval over the pairs).
 */
import type { BenchSpec } from '../../src/core/bench/spec';
import { percentileLinear, sortedCopy } from '../../src/core/stats/percentile';

/**
 * bench:engine's closed-loop engine run (engineRun.ts, windowsRun.ts): `connections` to the TEI-shaped `url`
 * (tiny POST /embed) for `seconds` after a warm-up, with the given server-metrics setting.
 */
export function embedSpec(
  a: { url: string; seconds: number; connections: number; warmup?: number },
  serverMetrics: BenchSpec['serverMetrics'],
): BenchSpec {
  return {
    url: a.url,
    group: 'embeddings',
    api: 'tei',
    load: { concurrency: [a.connections] },
    durationSec: a.seconds,
    warmup: a.warmup ?? 4 * a.connections,
    serverMetrics,
  };
}

export interface Window {
  /** Pair index (0-based): windows 2k and 2k+1 of the run form pair k. */
  pair: number;
  /** Scraping on during this window. */
  on: boolean;
  /** Window start and end, ms since the run's origin (as the records' `t`). */
  startMs: number;
  endMs: number;
  /** Event-loop delay p99 in the window (ms), when measured. */
  loopP99Ms?: number;
  /** CPU time of the engine's process in the window (µs, user + system, every thread), when measured. */
  cpuUs?: number;
}

/** The on/off state of `pairs` pairs of windows: in each pair one on and one off, which one first drawn at random. */
export function windowOrder(pairs: number, random: () => number): boolean[] {
  const out: boolean[] = [];
  for (let k = 0; k < pairs; k++) {
    const onFirst = random() < 0.5;
    out.push(onFirst, !onFirst);
  }
  return out;
}

export interface WindowFigures {
  window: Window;
  /** Requests completed in the window (successful, measured phase). */
  n: number;
  /** Completions per second of the window. */
  perSec: number;
  /** Latency p50 and p99 (ms, numpy's linear method) of the requests completed in it; NaN when none. */
  p50: number;
  p99: number;
  /** Server scrapes stamped in the window (each stamped at the middle of its exchange). */
  readings: number;
  /** The latencies of the requests completed in it, sorted ascending (ms). */
  latencies: Float64Array;
}

/** One completed request: when it completed and its latency (ms). */
export interface Done {
  atMs: number;
  latencyMs: number;
}

/**
 * Each window's figures: a request belongs to the window its completion falls in (start ≤ at < end), a scrape to
 * the one its time stamp falls in; what falls outside every window is left out. Windows must not overlap.
 */
export function windowFigures(windows: Window[], done: Done[], readingsMs: number[] = []): WindowFigures[] {
  const order = windows.map((_, k) => k).sort((a, b) => windows[a].startMs - windows[b].startMs);
  const find = (at: number): number | undefined => {
    let lo = 0;
    let hi = order.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const w = windows[order[mid]];
      if (at < w.startMs) hi = mid - 1;
      else if (at >= w.endMs) lo = mid + 1;
      else return order[mid];
    }
    return undefined;
  };
  const lat: number[][] = windows.map(() => []);
  const readings = windows.map(() => 0);
  for (const d of done) {
    const k = find(d.atMs);
    if (k !== undefined) lat[k].push(d.latencyMs);
  }
  for (const t of readingsMs) {
    const k = find(t);
    if (k !== undefined) readings[k]++;
  }
  return windows.map((window, k) => {
    const s = sortedCopy(lat[k]);
    return {
      window,
      n: s.length,
      perSec: (s.length * 1000) / (window.endMs - window.startMs),
      p50: percentileLinear(s, 50),
      p99: percentileLinear(s, 99),
      readings: readings[k],
      latencies: s,
    };
  });
}

/**
 * The complete pairs (one on and one off window, each with at least `minN` requests), as two arrays in pair order:
 * off[i] and on[i] come from the same pair. `within` keeps only windows inside the measured phase.
 */
export function windowPairs(
  figures: WindowFigures[],
  o: { minN?: number; within?: { startMs: number; endMs: number } } = {},
): { off: WindowFigures[]; on: WindowFigures[]; dropped: number } {
  const byPair = new Map<number, { off?: WindowFigures; on?: WindowFigures }>();
  for (const f of figures) {
    const slot = byPair.get(f.window.pair) ?? {};
    slot[f.window.on ? 'on' : 'off'] = f;
    byPair.set(f.window.pair, slot);
  }
  const off: WindowFigures[] = [];
  const on: WindowFigures[] = [];
  let dropped = 0;
  const inside = (f: WindowFigures) =>
    !o.within || (f.window.startMs >= o.within.startMs && f.window.endMs <= o.within.endMs);
  for (const pair of [...byPair.keys()].sort((a, b) => a - b)) {
    const p = byPair.get(pair)!;
    if (p.off && p.on && inside(p.off) && inside(p.on) && p.off.n >= (o.minN ?? 1) && p.on.n >= (o.minN ?? 1)) {
      off.push(p.off);
      on.push(p.on);
    } else dropped++;
  }
  return { off, on, dropped };
}
