import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RawRecord } from '../../../src/core/bench/record';
import { TimelineBuilder } from '../../../src/core/results/runView';

const rec = (i: number, endMs: number, latencyMs: number): RawRecord => ({
  i,
  s: 0,
  n: 1,
  q: endMs - latencyMs,
  t: endMs - latencyMs,
  e: latencyMs,
  st: 200,
  bo: 0,
  bi: 0,
});

describe('client timeline (throughput and latency over time)', () => {
  it('a run at 0.65 req/s reads about 0.65 req/s in every bin, not 1/bin-width where a request ended', () => {
    const b = new TimelineBuilder(30);
    // One request ends every 1/0.65 s, each taking 1.2 s: concurrency 1's pattern.
    const ends: number[] = [];
    for (let k = 1; k / 0.65 <= 30; k++) ends.push((k / 0.65) * 1000);
    ends.forEach((e, i) => b.add(rec(i, e, 1200)));
    const tl = b.finish();
    const w = tl.t[0];
    // Equal bins that cover the run window, about five completions each.
    assert.equal(tl.t.at(-1), 30);
    assert.deepEqual(
      tl.t.map((t, i) => Number((t - (i ? tl.t[i - 1] : 0)).toFixed(9))),
      tl.t.map(() => Number(w.toFixed(9))),
    );
    assert.equal(tl.t.length, 4, `about five per bin: 19 requests in 4 bins of 7.5 s: ${tl.t.join(', ')}`);
    // Each bin's rate is the completions in it over its width; together they give back every request.
    const total = tl.requestsPerSec.reduce((a, r) => a + r * w, 0);
    assert.equal(Math.round(total * 1e6) / 1e6, ends.length);
    for (const r of tl.requestsPerSec) assert.ok(Math.abs(r - 0.65) <= 1 / w, `bin rate ${r} vs 0.65 req/s`);
    assert.ok(Math.max(...tl.requestsPerSec) < 1, `no bin reads 4 req/s: ${tl.requestsPerSec.join(', ')}`);
    assert.deepEqual(new Set(tl.latencyP50Ms), new Set([1200]));
  });

  it('an interval with no completion is 0 req/s with no latency (a gap), not left out', () => {
    const b = new TimelineBuilder(20);
    // 100 requests in the first 5 s, none for 10 s (a stalled server), 100 in the last 5 s.
    for (let i = 0; i < 100; i++) b.add(rec(i, 50 * i + 25, 10 + i));
    for (let i = 0; i < 100; i++) b.add(rec(100 + i, 15000 + 50 * i + 25, 30));
    const tl = b.finish();
    const w = tl.t[0];
    assert.equal(Math.round(20 / w), tl.t.length);
    const stalled = tl.t.map((_, i) => i).filter((i) => tl.t[i] > 5 + 1e-9 && tl.t[i] <= 15 + 1e-9);
    assert.ok(stalled.length >= 2, `bins inside the stall: ${stalled.length}`);
    for (const i of stalled) {
      assert.equal(tl.requestsPerSec[i], 0);
      assert.equal(tl.latencyP50Ms[i], null);
      assert.equal(tl.latencyP99Ms[i], null);
    }
    assert.equal(Math.round(tl.requestsPerSec.reduce((a, r) => a + r * w, 0) * 1e6) / 1e6, 200);
    assert.equal(tl.latencyP50Ms.at(-1), 30);
  });

  it('starts where the first step’s measured phase starts: its warm-up is not read as 0 req/s', () => {
    const b = new TimelineBuilder(14, 8);
    for (let i = 0; i < 6; i++) b.add(rec(i, 8000 + 1000 * (i + 1), 900));
    const tl = b.finish();
    assert.ok(tl.t[0] > 8 && tl.t.at(-1) === 14, tl.t.join(', '));
    assert.ok(Math.min(...tl.requestsPerSec) > 0.5, `no empty warm-up bins: ${tl.requestsPerSec.join(', ')}`);
    assert.equal(Math.round(tl.requestsPerSec.reduce((a, r) => a + r * (tl.t[1] - tl.t[0]), 0) * 1e6) / 1e6, 6);
  });

  it('no completion at all gives an empty timeline', () => {
    assert.deepEqual(new TimelineBuilder(10).finish(), {
      t: [],
      requestsPerSec: [],
      latencyP50Ms: [],
      latencyP99Ms: [],
    });
  });
});
