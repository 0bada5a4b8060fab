import { isSuccess, type RawRecord } from '../record';
import { now } from './clock';

/** Error kinds that mean "nothing answered": the server is down or gone. */
const CONNECTION_KINDS = new Set(['connection-refused', 'connection-reset', 'dns', 'tls']);

export interface HealthOptions {
  /** Stop the run once the server has been failing this long without a single success (ms). */
  graceMs: number;
  /** Stop at once when the share of failed requests over the window exceeds this (0–1). */
  maxErrorRate?: number;
  /** Called once, with the reason, when the run must stop. */
  stop(reason: string): void;
  /** Called when the server starts failing (back-off begins) and when it recovers. */
  notify?(message: string): void;
}

/** Requests the error ratio is taken over, and the fewest before a ratio counts. */
export const HEALTH_WINDOW = 50;
const MIN_FOR_RATIO = 20;
/** Consecutive connection failures that mean "down". */
export const CONSECUTIVE_DOWN = 5;
/** A failing server sees ratios at least this high over the window. */
const FAILING_RATIO = 0.9;
/** Back-off: one request per interval in total, starting here and doubling to the cap. */
export const BACKOFF_START_MS = 100;
export const BACKOFF_CAP_MS = 2000;

/**
 * Watches the outcomes of a run's requests. A server that refuses
 * connections several times in a row, or fails nearly every request over a
 * window, is "failing": from then on the run's senders pass through `gate()`,
 * which lets one request through per back-off interval (doubling up to a
 * cap), so a dead server gets a trickle of retries instead of a storm. One
 * success ends the back-off. Failing for the whole grace period, or an error
 * ratio over `maxErrorRate`, stops the run.
 */
export class ServerHealth {
  private readonly ring = new Uint8Array(HEALTH_WINDOW);
  private ringCount = 0;
  private ringFailed = 0;
  private ringPos = 0;
  private consecutive = 0;
  private lastError = '';
  private failingSince: number | undefined;
  private interval = BACKOFF_START_MS;
  private nextSlot = 0;
  private readonly waiters: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Requests let through by the gate while failing. */
  retries = 0;

  constructor(private readonly o: HealthOptions) {}

  get failing(): boolean {
    return this.failingSince !== undefined;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /** One finished request (warm-up ones count too: a dead server is dead in warm-up as well). Cancelled ones are ignored. */
  record(r: RawRecord): void {
    if (r.x || this.stopped) return;
    const failed = isSuccess(r) ? 0 : 1;
    if (this.ringCount === HEALTH_WINDOW) this.ringFailed -= this.ring[this.ringPos];
    else this.ringCount++;
    this.ring[this.ringPos] = failed;
    this.ringFailed += failed;
    this.ringPos = (this.ringPos + 1) % HEALTH_WINDOW;
    if (!failed) {
      this.consecutive = 0;
      if (this.failing) this.recover();
      return;
    }
    this.lastError = r.er ?? `HTTP ${r.st}`;
    this.consecutive = CONNECTION_KINDS.has(r.ek ?? '') ? this.consecutive + 1 : 0;
    const ratio = this.ringCount >= MIN_FOR_RATIO ? this.ringFailed / this.ringCount : 0;
    if (this.o.maxErrorRate !== undefined && this.ringCount >= MIN_FOR_RATIO && ratio > this.o.maxErrorRate) {
      return this.stop(
        `${(ratio * 100).toFixed(0)} % of the last ${this.ringCount} requests failed, above --max-error-rate ${(this.o.maxErrorRate * 100).toFixed(0)} % (last error: ${this.lastError})`,
      );
    }
    const t = now();
    if (!this.failing) {
      if (this.consecutive < CONSECUTIVE_DOWN && ratio < FAILING_RATIO) return;
      this.failingSince = t;
      this.interval = BACKOFF_START_MS;
      this.nextSlot = t + this.interval;
      this.o.notify?.(
        `The server is failing (${this.consecutive >= CONSECUTIVE_DOWN ? `${this.consecutive} connection failures in a row` : `${(ratio * 100).toFixed(0)} % of the last ${this.ringCount} requests failed`}; last error: ${this.lastError}): retrying at most once per ${BACKOFF_START_MS}–${BACKOFF_CAP_MS} ms, stopping after ${(this.o.graceMs / 1000).toFixed(0)} s without an answer.`,
      );
      return;
    }
    this.interval = Math.min(this.interval * 2, BACKOFF_CAP_MS);
    if (t - this.failingSince! >= this.o.graceMs) {
      this.stop(
        `the server failed every request for ${((t - this.failingSince!) / 1000).toFixed(1)} s (grace period ${(this.o.graceMs / 1000).toFixed(0)} s; last error: ${this.lastError})`,
      );
    }
  }

  /**
   * Undefined while the server answers (send at once); while it is failing,
   * a promise that resolves when this sender may try: one per interval.
   */
  gate(): Promise<void> | undefined {
    if (!this.failing || this.stopped) return undefined;
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.arm();
    });
  }

  private arm(): void {
    if (this.timer || !this.waiters.length) return;
    const wait = Math.max(0, this.nextSlot - now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopped || !this.failing) return this.releaseAll();
      // The grace period also runs out while every sender waits for a slow (timing-out) answer.
      if (now() - this.failingSince! >= this.o.graceMs + this.interval) {
        return this.stop(
          `the server failed every request for ${((now() - this.failingSince!) / 1000).toFixed(1)} s (grace period ${(this.o.graceMs / 1000).toFixed(0)} s; last error: ${this.lastError})`,
        );
      }
      this.retries++;
      this.nextSlot = now() + this.interval;
      this.waiters.shift()?.();
      this.arm();
    }, wait);
  }

  private recover(): void {
    this.failingSince = undefined;
    this.interval = BACKOFF_START_MS;
    this.o.notify?.('The server answers again: back-off ended.');
    this.releaseAll();
  }

  private stop(reason: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.o.stop(reason);
    this.releaseAll();
  }

  private releaseAll(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const w of this.waiters.splice(0)) w();
  }

  dispose(): void {
    this.releaseAll();
  }
}
