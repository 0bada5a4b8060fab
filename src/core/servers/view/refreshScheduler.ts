/**
 * When the Servers tree re-probes: every `intervalMs` while it is active (view
 * visible and window focused), never while hidden, never two rounds at once,
 * and bursts of requests (settings edits, visibility flapping) coalesced by a
 * debounce. Becoming active re-probes at once only if the last round is older
 * than the interval. Timers are injectable so this is tested without waiting.
 */

export interface SchedulerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: SchedulerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface SchedulerOptions {
  intervalMs: number;
  /** Quiet time that coalesces bursts of requests (default 250 ms). */
  debounceMs?: number;
  clock?: SchedulerClock;
  /** A round that throws is reported here; scheduling goes on. */
  onError?: (e: unknown) => void;
}

export class RefreshScheduler {
  private active = false;
  private disposed = false;
  private timer: unknown;
  private inflight: Promise<void> | undefined;
  private pending = false;
  private lastRun: number | undefined;
  private intervalMs: number;
  private readonly debounceMs: number;
  private readonly clock: SchedulerClock;

  constructor(
    private readonly round: () => Promise<void>,
    private readonly opts: SchedulerOptions,
  ) {
    this.intervalMs = opts.intervalMs;
    this.debounceMs = opts.debounceMs ?? 250;
    this.clock = opts.clock ?? realClock;
  }

  get isActive(): boolean {
    return this.active;
  }

  get running(): boolean {
    return this.inflight !== undefined;
  }

  setActive(active: boolean): void {
    if (active === this.active || this.disposed) return;
    this.active = active;
    if (!active) return this.clear();
    const due = this.lastRun === undefined ? 0 : this.lastRun + this.intervalMs - this.clock.now();
    if (!this.inflight) this.schedule(Math.max(this.debounceMs, due));
  }

  setIntervalMs(ms: number): void {
    this.intervalMs = ms;
    if (this.active && !this.inflight && this.timer !== undefined) {
      this.schedule(Math.max(this.debounceMs, (this.lastRun ?? 0) + ms - this.clock.now()));
    }
  }

  /** Something changed (settings, a server was added): re-probe soon if active, or on the next activation. */
  request(): void {
    if (this.disposed) return;
    if (!this.active) {
      this.lastRun = undefined;
      return;
    }
    if (this.inflight) this.pending = true;
    else this.schedule(this.debounceMs);
  }

  /** An explicit refresh (the user asked): runs now even when hidden, after any round in flight. */
  refreshNow(): Promise<void> {
    return this.fire();
  }

  dispose(): void {
    this.disposed = true;
    this.active = false;
    this.clear();
  }

  private schedule(ms: number): void {
    this.clear();
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.fire();
    }, ms);
  }

  private clear(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fire(): Promise<void> {
    this.clear();
    if (this.inflight) {
      this.pending = true;
      return this.inflight;
    }
    this.inflight = (async () => {
      do {
        this.pending = false;
        try {
          await this.round();
        } catch (e) {
          this.opts.onError?.(e);
        }
        this.lastRun = this.clock.now();
      } while (this.pending && !this.disposed);
    })().finally(() => {
      this.inflight = undefined;
      if (this.active && !this.disposed) this.schedule(this.intervalMs);
    });
    return this.inflight;
  }
}
