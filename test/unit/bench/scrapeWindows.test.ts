/**
 * bench:engine section 6's on/off windows (perf/engine/windows.ts) and their statistics (perf/engine/paired.ts),
 * from values: the random order within each pair of windows, which window each completed request and each scrape
 * falls in (boundaries included/excluded), the complete pairs inside the measured phase, the sign-test interval of
 * the median on/off ratio (its order statistics and exact confidence) and the pooled-percentile ratio with its paired
 * bootstrap interval.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pairedMedian, pooledPercentileRatio } from '../../../perf/engine/paired';
import { windowFigures, windowOrder, windowPairs, type Window } from '../../../perf/engine/windows';
import { seededUniform } from '../../../src/core/stats/random';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} ≠ ${b}`);

describe('bench:engine section 6: on/off windows', () => {
  it('each pair holds one on and one off window, in a seeded random order', () => {
    const a = windowOrder(200, seededUniform(19));
    assert.equal(a.length, 400);
    for (let k = 0; k < 200; k++) assert.notEqual(a[2 * k], a[2 * k + 1], `pair ${k}`);
    assert.deepEqual(windowOrder(200, seededUniform(19)), a);
    assert.notDeepEqual(windowOrder(200, seededUniform(20)), a);
    // On first in about half the pairs (binomial(200, ½): 100 ± 14 at 95 %).
    const onFirst = a.filter((on, i) => i % 2 === 0 && on).length;
    assert.ok(onFirst > 80 && onFirst < 120, String(onFirst));
  });

  it('a request counts in the window its completion falls in (start ≤ at < end); scrapes likewise', () => {
    const windows: Window[] = [
      { pair: 0, on: true, startMs: 0, endMs: 100 },
      { pair: 0, on: false, startMs: 100, endMs: 200 },
      { pair: 1, on: false, startMs: 200, endMs: 300 },
      { pair: 1, on: true, startMs: 300, endMs: 400 },
    ];
    const done = [
      { atMs: -1, latencyMs: 1000 }, // before the first window: left out
      { atMs: 50, latencyMs: 10 },
      { atMs: 99.9, latencyMs: 20 },
      { atMs: 100, latencyMs: 30 }, // on the boundary: the later window
      { atMs: 250, latencyMs: 5 },
      { atMs: 399, latencyMs: 7 },
      { atMs: 400, latencyMs: 99 }, // at the last end: left out
    ];
    const f = windowFigures(windows, done, [10, 60, 310, 450]);
    assert.deepEqual(
      f.map((x) => [x.n, x.perSec, x.p50, x.readings, [...x.latencies]]),
      [
        [2, 20, 15, 2, [10, 20]],
        [1, 10, 30, 0, [30]],
        [1, 10, 5, 0, [5]],
        [1, 10, 7, 1, [7]],
      ],
    );
    close(f[0].p99, 19.9); // numpy linear: 10 + 0.99 × 10
    const p = windowPairs(f);
    assert.deepEqual(
      p.off.map((x) => x.window.startMs),
      [100, 200],
    );
    assert.deepEqual(
      p.on.map((x) => x.window.startMs),
      [0, 300],
    );
    assert.equal(p.dropped, 0);
    // Only pairs wholly inside the measured phase; a window with no request makes its pair incomplete.
    const inside = windowPairs(f, { within: { startMs: 50, endMs: 400 } });
    assert.deepEqual([inside.off.length, inside.dropped], [1, 1]);
    assert.equal(inside.on[0].window.startMs, 300);
    const empty = windowFigures(windows, done.slice(0, 4));
    assert.deepEqual([windowPairs(empty).off.length, windowPairs(empty).dropped], [1, 1]);
  });

  it('sign test: 6 pairs → min..max at 96.9 %; 20 pairs → the 6th smallest..6th largest ratio at 95.86 %', () => {
    const six = pairedMedian([100, 100, 100, 100, 100, 100], [101, 99, 103, 100, 102, 98]);
    close(six.ratio, Math.exp((Math.log(1.0) + Math.log(1.01)) / 2));
    close(six.low, 0.98);
    close(six.high, 1.03);
    close(six.confidence, 1 - 2 / 64);
    // 20 pairs whose on/off ratios are 0.990, 0.991, …, 1.009 (shuffled): the interval is 0.995 to 1.004.
    const ratios = Array.from({ length: 20 }, (_, i) => 0.99 + i / 1000);
    const order = [7, 3, 19, 0, 12, 5, 16, 9, 1, 14, 18, 2, 11, 6, 17, 4, 13, 8, 15, 10];
    const off = order.map((_, i) => 50 + i);
    const twenty = pairedMedian(
      off,
      off.map((o, i) => o * ratios[order[i]]),
    );
    close(twenty.low, 0.995);
    close(twenty.high, 1.004);
    close(twenty.ratio, Math.sqrt(0.999 * 1.0));
    // 1 − 2·P(Binomial(20, ½) ≤ 5) = 1 − 2 · 21700 / 2^20.
    close(twenty.confidence, 1 - (2 * 21700) / 2 ** 20);
    assert.throws(() => pairedMedian([1, 1, 1, 1, 1], [1, 1, 1, 1, 1]), /≥ 6 pairs/);
  });

  it('pooled percentile ratio: on = 1.01 × off in every window gives 1.01 with a zero-width bootstrap interval', () => {
    const off = [
      [20, 21, 22, 40],
      [19, 20, 25],
      [21, 21.5, 30, 35, 50],
    ].map((xs) => Float64Array.from(xs));
    const on = off.map((xs) => xs.map((x) => x * 1.01));
    const b = pooledPercentileRatio(off, on, 99, { resamples: 200 });
    close(b.ratio, 1.01);
    close(b.low, 1.01);
    close(b.high, 1.01);
    // Pooled p99 of the 12 off latencies (numpy linear): 40 + 0.89 × (50 − 40).
    close(b.off, 48.9);
    close(b.on, 48.9 * 1.01);
    assert.throws(() => pooledPercentileRatio(off.slice(0, 1), on.slice(0, 1), 50), /≥ 2 pairs/);
  });

  it('pooled percentile ratio: seeded, and its interval holds the pairs’ spread', () => {
    // Pair k's on window is slower by 0 %, +2 %, −1 %, +4 %: the pooled p50 ratio lies within the resampled range.
    const base = Float64Array.from({ length: 101 }, (_, i) => 20 + i / 100);
    const off = [base, base, base, base];
    const on = [1, 1.02, 0.99, 1.04].map((m) => base.map((x) => x * m));
    const a = pooledPercentileRatio(off, on, 50, { seed: 7 });
    assert.deepEqual(pooledPercentileRatio(off, on, 50, { seed: 7 }), a);
    assert.ok(a.low >= 0.99 - 1e-9 && a.high <= 1.04 + 1e-9 && a.low < a.ratio && a.ratio < a.high, JSON.stringify(a));
    assert.ok(a.high - a.low > 0.01, JSON.stringify(a));
  });
});
