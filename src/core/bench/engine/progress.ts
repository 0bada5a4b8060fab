import { percentileLinear } from '../../stats/percentile';
import type { ProgressSnapshot } from '../events';
import { EV_CHOICE, EV_TEXT, isSuccess, type RawRecord } from '../record';
import { now } from './clock';

/**
 * Rolling figures for the live view: counts since the step started, and
 * throughput and latency over the last interval only (so memory is bounded
 * by one interval's requests, however long the step).
 */
export class ProgressTracker {
  private completed = 0;
  private failed = 0;
  private intervalDone = 0;
  private intervalTokens = 0;
  private readonly latencies = new IntervalValues();
  private readonly ttfts = new IntervalValues();
  private lastAt: number;
  private readonly startAt: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly step: number,
    private readonly inFlight: () => number,
    private readonly emit: (s: ProgressSnapshot) => void,
    /** The run's clock origin (engine clock, ms): snapshots carry `tMs` since it. */
    private readonly origin?: number,
  ) {
    this.startAt = this.lastAt = now();
  }

  /** Emits a snapshot every `intervalMs` until stopped. */
  startTimer(intervalMs: number): void {
    this.timer = setInterval(() => this.emit(this.snapshot()), intervalMs);
    this.timer.unref();
  }

  add(r: RawRecord): void {
    if (r.w) return;
    if (!isSuccess(r)) {
      if (!r.x) this.failed++;
      return;
    }
    this.completed++;
    this.intervalDone++;
    this.intervalTokens += r.ou ?? r.oo ?? 0;
    this.latencies.push(r.t - r.q + r.e);
    const ev = r.ev;
    if (ev) {
      for (let k = 0; k < ev.length; k += 2) {
        if (ev[k + 1] & (EV_TEXT | EV_CHOICE)) {
          this.ttfts.push(ev[k]);
          break;
        }
      }
    }
  }

  snapshot(): ProgressSnapshot {
    const t = now();
    const sec = Math.max((t - this.lastAt) / 1000, 1e-6);
    const lat = this.latencies.sorted();
    const ttft = this.ttfts.sorted();
    const s: ProgressSnapshot = {
      type: 'snapshot',
      step: this.step,
      elapsedSec: (t - this.startAt) / 1000,
      intervalSec: sec,
      completed: this.completed,
      failed: this.failed,
      inFlight: this.inFlight(),
      requestsPerSec: this.intervalDone / sec,
      outputTokensPerSec: this.intervalTokens / sec,
      latencyP50Ms: lat.length ? percentileLinear(lat, 50) : 0,
      latencyP99Ms: lat.length ? percentileLinear(lat, 99) : 0,
    };
    if (ttft.length) s.ttftP50Ms = percentileLinear(ttft, 50);
    if (this.origin !== undefined) s.tMs = t - this.origin;
    this.lastAt = t;
    this.intervalDone = 0;
    this.intervalTokens = 0;
    this.latencies.clear();
    this.ttfts.clear();
    return s;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/**
 * One interval's values in a typed array that is kept and refilled: no boxed
 * numbers and no garbage-collected arrays surviving until the next snapshot
 * (at tens of thousands of requests per second they would fill the young
 * generation and grow the process).
 */
class IntervalValues {
  private a = new Float64Array(1024);
  private n = 0;

  push(v: number): void {
    if (this.n === this.a.length) {
      const grown = new Float64Array(this.a.length * 2);
      grown.set(this.a);
      this.a = grown;
    }
    this.a[this.n++] = v;
  }

  /** A sorted copy of this interval's values. */
  sorted(): Float64Array {
    const out = this.a.slice(0, this.n);
    out.sort();
    return out;
  }

  clear(): void {
    this.n = 0;
  }
}
