/**
 * The results panel's live latency chart leaves a gap where nothing completed (webview/results/model.ts
 * liveLatencyData, drawn by charts.ts updateLiveChart). The live points come the way a run makes them: the engine's
 * ProgressTracker gets the records of each interval and emits a snapshot; liveClientPoint (what the host pushes to
 * the panel) turns it into a live point; the chart's data is read after every live update. Intervals 2 and 4 have
 * no completed request: their x positions are null (a gap), not 0 ms and not the previous interval's latency; the
 * lone value of interval 3 sits between two gaps.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProgressTracker } from '../../../src/core/bench/engine/progress';
import type { ProgressSnapshot } from '../../../src/core/bench/events';
import type { RawRecord } from '../../../src/core/bench/record';
import { liveClientPoint } from '../../../src/core/bench/serverMetrics/view';
import type { LivePoint } from '../../../src/shared/messages/results';
import { liveLatencyData } from '../../../webview/results/model';

/** A successful request sent at `t` ms, `ms` long (q = t: closed loop). */
const done = (i: number, t: number, ms: number): RawRecord => ({
  i,
  s: 0,
  n: 1,
  q: t,
  t,
  e: ms,
  st: 200,
  bo: 10,
  bi: 10,
});

describe('live latency chart: a gap where nothing completed', () => {
  it('null at the intervals without completions, the values elsewhere, after every live update', () => {
    const snapshots: ProgressSnapshot[] = [];
    const tracker = new ProgressTracker(
      0,
      () => 4,
      () => undefined,
      0,
    );
    // Each interval's completed latencies (ms); [] = nothing completed in it.
    const intervals = [[100, 200, 300], [], [150], [], [400, 500], [250, 260]];
    const points: LivePoint[] = [];
    let i = 0;
    const seen: Array<{ p50: Array<number | null>; p99: Array<number | null> }> = [];
    for (const lat of intervals) {
      for (const ms of lat) tracker.add(done(i++, 10 * i, ms));
      const s = tracker.snapshot(); // what its timer emits once an interval
      snapshots.push(s);
      points.push(liveClientPoint(s, points.length));
      const d = liveLatencyData(points);
      // Every point is placed at its snapshot's time on the run's clock, gap or not.
      assert.deepEqual(
        d.p50.map((p) => p.x),
        snapshots.map((x) => x.tMs! / 1000),
      );
      assert.deepEqual(
        d.p99.map((p) => p.x),
        d.p50.map((p) => p.x),
      );
      seen.push({ p50: d.p50.map((p) => p.y), p99: d.p99.map((p) => p.y) });
    }
    // The snapshots of the empty intervals say 0 ms: what a chart drawing them as values would show.
    assert.deepEqual(
      snapshots.map((s) => [s.requestsPerSec > 0, s.latencyP50Ms]),
      [
        [true, 200],
        [false, 0],
        [true, 150],
        [false, 0],
        [true, 450],
        [true, 255],
      ],
    );
    // After each live update, the chart's lines so far (numpy-linear p50/p99 of each interval's latencies).
    const p50 = [200, null, 150, null, 450, 255];
    const p99 = [298, null, 150, null, 499, 259.9];
    seen.forEach((s, k) => {
      assert.deepEqual(s.p50, p50.slice(0, k + 1), `p50 after live update ${k + 1}`);
      assert.deepEqual(
        s.p99.map((y) => (y === null ? null : Math.round(y * 1000) / 1000)),
        p99.slice(0, k + 1),
        `p99 after live update ${k + 1}`,
      );
    });
    // Which x positions are gaps and which carry values, in the final chart.
    const last = seen[seen.length - 1];
    assert.deepEqual(
      last.p50.map((y, k) => (y === null ? k : -1)).filter((k) => k >= 0),
      [1, 3],
    );
    // Interval 3's value is a lone point between two gaps (drawn as a dot: charts.ts).
    assert.ok(last.p50[1] === null && last.p50[2] === 150 && last.p50[3] === null);
  });
});
