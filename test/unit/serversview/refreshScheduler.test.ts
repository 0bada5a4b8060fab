import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RefreshScheduler, type SchedulerClock } from '../../../src/core/servers/view/refreshScheduler';

/** A clock whose timers run only when the test advances time. */
class FakeClock implements SchedulerClock {
  t = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private seq = 0;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (h: unknown) => void this.timers.delete(h as number);
  get pending(): number {
    return this.timers.size;
  }
  /** Moves time forward, running every timer that falls due (and letting their promises settle). */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      const next = [...this.timers.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (!next || next[1].at > end) break;
      this.timers.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
      await settle();
    }
    this.t = end;
    await settle();
  }
}

const settle = () => new Promise<void>((r) => setImmediate(r));

function setup(roundMs = 0) {
  const clock = new FakeClock();
  const starts: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const s = new RefreshScheduler(
    async () => {
      starts.push(clock.t);
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      if (roundMs) await new Promise<void>((r) => clock.setTimeout(r, roundMs));
      inFlight--;
    },
    { intervalMs: 10_000, debounceMs: 250, clock },
  );
  return { clock, s, starts, maxInFlight: () => maxInFlight };
}

describe('refresh scheduler (visibility-gated, debounced, never overlapping)', () => {
  it('probes nothing while inactive, then once on activation and every interval while active', async () => {
    const { clock, s, starts } = setup();
    await clock.advance(60_000);
    assert.deepEqual(starts, [], 'hidden view: no probes');
    s.setActive(true);
    await clock.advance(30_500);
    assert.deepEqual(starts, [60_250, 70_250, 80_250, 90_250]);
    s.setActive(false);
    await clock.advance(60_000);
    assert.equal(starts.length, 4, 'hidden again: no probes');
    assert.equal(clock.pending, 0, 'no timer left behind');
  });

  it('re-probes on activation only when the last round is older than the interval', async () => {
    const { clock, s, starts } = setup();
    s.setActive(true);
    await clock.advance(300);
    s.setActive(false);
    await clock.advance(2_000);
    s.setActive(true);
    await clock.advance(300);
    assert.deepEqual(starts, [250], 'shown again 2 s later: still fresh');
    await clock.advance(10_000);
    assert.deepEqual(starts, [250, 10_250], 'the interval continues from the last round');
  });

  it('coalesces a burst of requests into one round', async () => {
    const { clock, s, starts } = setup();
    s.setActive(true);
    await clock.advance(20_000);
    const before = starts.length;
    for (let i = 0; i < 5; i++) {
      s.request();
      await clock.advance(100);
    }
    await clock.advance(300);
    assert.equal(starts.length, before + 1);
  });

  it('never runs two rounds at once; a request during a round runs one more after it', async () => {
    const { clock, s, starts, maxInFlight } = setup(1_000);
    s.setActive(true);
    await clock.advance(500);
    s.request();
    s.request();
    void s.refreshNow();
    await clock.advance(3_000);
    assert.equal(maxInFlight(), 1);
    assert.deepEqual(starts, [250, 1_250]);
  });

  it('runs an explicit refresh even while hidden, and remembers requests made while hidden', async () => {
    const { clock, s, starts } = setup();
    await s.refreshNow();
    assert.deepEqual(starts, [0]);
    assert.equal(clock.pending, 0, 'hidden: no interval scheduled after it');
    s.request();
    await clock.advance(1_000);
    s.setActive(true);
    await clock.advance(300);
    assert.deepEqual(starts, [0, 1_250], 'stale after a request: probes on activation');
  });

  it('applies a new interval to the running schedule and stops on dispose', async () => {
    const { clock, s, starts } = setup();
    s.setActive(true);
    await clock.advance(300);
    s.setIntervalMs(2_000);
    await clock.advance(4_000);
    assert.deepEqual(starts, [250, 2_250, 4_250]);
    s.dispose();
    await clock.advance(10_000);
    assert.equal(starts.length, 3);
    assert.equal(clock.pending, 0);
  });

  it('keeps scheduling after a round throws', async () => {
    const clock = new FakeClock();
    const errors: unknown[] = [];
    let n = 0;
    const s = new RefreshScheduler(
      async () => {
        n++;
        throw new Error('boom');
      },
      { intervalMs: 1_000, debounceMs: 10, clock, onError: (e) => errors.push(e) },
    );
    s.setActive(true);
    await clock.advance(2_100);
    assert.equal(n, 3);
    assert.equal(errors.length, 3);
    s.dispose();
  });
});
