import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProgressTracker } from '../../../src/core/bench/engine/progress';
import { clientBoundReasons, SelfCheck } from '../../../src/core/bench/engine/selfCheck';
import type { ProgressSnapshot } from '../../../src/core/bench/events';
import { EV_CHOICE, EV_TEXT, type RawRecord } from '../../../src/core/bench/record';

const quiet = { eventLoopDelayP99Ms: 1, eventLoopDelayMaxMs: 2, cpuPercent: 30 };

describe('the engine checks itself', () => {
  it('flags a late event loop, a busy CPU and an open loop behind its schedule', () => {
    assert.deepEqual(clientBoundReasons(quiet), []);
    assert.match(clientBoundReasons({ ...quiet, eventLoopDelayP99Ms: 5.1 })[0], /event-loop delay p99 5\.1 ms > 5 ms/);
    assert.match(clientBoundReasons({ ...quiet, cpuPercent: 81 })[0], /engine CPU 81 % > 80 %/);
    assert.deepEqual(clientBoundReasons(quiet, { achievedRate: 98.1, scheduledRate: 100, capped: false }), []);
    assert.match(
      clientBoundReasons(quiet, { achievedRate: 97.9, scheduledRate: 100, capped: true })[0],
      /achieved 97\.90 req\/s < 0\.98× the scheduled 100\.00 req\/s \(the in-flight cap was reached\)/,
    );
  });

  it('measures event-loop delay beyond the sampling period, and CPU', async () => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const check = new SelfCheck();
    await new Promise((r) => setTimeout(r, 30)); // let its sampling timer run
    const until = performance.now() + 60;
    while (performance.now() < until); // block the loop for 60 ms
    await new Promise((r) => setTimeout(r, 30));
    const r = check.finish();
    const cpu = process.cpuUsage(cpu0);
    // Our own reading of the same interval: on a busy machine the busy loop gets less than a full core.
    const own = ((cpu.user + cpu.system) / 1000 / (performance.now() - t0)) * 100;
    assert.ok(r.eventLoopDelayMaxMs > 30, `max delay ${r.eventLoopDelayMaxMs}`);
    assert.ok(Math.abs(r.cpuPercent - own) < 15, `cpu ${r.cpuPercent} vs ${own}`);
  });
});

describe('progress snapshots', () => {
  it('report the last interval only, with totals since the step started', () => {
    const got: ProgressSnapshot[] = [];
    const t = new ProgressTracker(
      2,
      () => 3,
      (s) => got.push(s),
    );
    const rec = (e: number, st = 200): RawRecord => ({
      i: 0,
      s: 2,
      n: 1,
      q: 0,
      t: 1,
      e,
      st,
      ou: 10,
      bo: 1,
      bi: 1,
      ev: [5, EV_CHOICE | EV_TEXT],
    });
    t.add(rec(10));
    t.add(rec(30));
    t.add({ ...rec(5, 500), ek: 'http', er: 'x' });
    t.add({ ...rec(100), w: 1 });
    const a = t.snapshot();
    assert.deepEqual([a.step, a.completed, a.failed, a.inFlight], [2, 2, 1, 3]);
    assert.equal(a.latencyP50Ms, 21, 'response time from the scheduled send: t − q + e');
    assert.equal(a.ttftP50Ms, 5);
    assert.ok(a.outputTokensPerSec > 0);
    const b = t.snapshot();
    assert.deepEqual([b.completed, b.requestsPerSec, b.latencyP99Ms], [2, 0, 0], 'nothing new in the second interval');
    assert.equal(got.length, 0, 'no timer was started');
    t.stop();
  });
});
