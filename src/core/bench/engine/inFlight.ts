import { CancelledError, TimeoutError } from '../../util/abort';
import type { RawRecord } from '../record';
import { newRecord, type CallPlan, type CallTarget, type PendingCall } from './callTarget';
import { now } from './clock';
import type { ServerHealth } from './serverHealth';

export interface InFlightOptions {
  target: CallTarget;
  step: number;
  timeoutMs: number;
  nextIndex(): number;
  /** Called once per finished request (success, failure, timeout or cancel), in completion order. */
  complete(rec: RawRecord): void;
  signal?: AbortSignal;
  /** The run's watch on the server: it sees every outcome and holds senders back while the server fails. */
  health?: ServerHealth;
}

interface Entry {
  call: PendingCall;
  deadline: number;
  /** Position in `entries` (swap-remove keeps removal O(1) without a hash set). */
  slot: number;
}

/**
 * The requests of one step that are in flight. It owns their deadlines (one
 * sweep timer instead of a timer per request) and cancels them all when the
 * run's signal aborts, so a cancelled run ends promptly and every request
 * still gets its record (marked cancelled).
 */
export class InFlight {
  private readonly entries: Entry[] = [];
  private readonly sweeper: NodeJS.Timeout;
  private readonly onAbort = () =>
    this.abortAll(
      this.o.signal?.reason instanceof Error ? this.o.signal.reason : new CancelledError('Benchmark cancelled'),
    );
  /** Senders held back by the server's back-off (they count as in flight: the open loop must not launch more). */
  private gated = 0;
  /** Latest completion (absolute ms) of a measured request. */
  lastEnd = -Infinity;

  constructor(private readonly o: InFlightOptions) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(Math.max(o.timeoutMs / 4, 5), 200));
    this.sweeper.unref();
    o.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  get size(): number {
    return this.entries.length + this.gated;
  }

  get cancelled(): boolean {
    return this.o.signal?.aborted ?? false;
  }

  /**
   * Sends one request; `q` is when it was meant to go (its scheduled time); `plan` overrides the target's.
   * While the server is failing, the request first waits for a back-off slot
   * (`restart`: the wait does not count in its time, as for a closed-loop
   * worker; otherwise it does, as for an open-loop schedule). Resolves
   * without a record when the run stopped during that wait.
   */
  send(q: number, warm: boolean, plan?: CallPlan, restart = false): Promise<RawRecord | undefined> {
    return new Promise((resolve) => this.sendThen(q, warm, resolve, plan, restart));
  }

  /**
   * `send` with a callback instead of a promise: `then` runs inside the request's completion (possibly
   * synchronously, when the request fails at once), so a closed-loop worker can send its next request before
   * the connection is handed back to the event loop (see runClosedLoop).
   */
  sendThen(
    q: number,
    warm: boolean,
    then: (rec: RawRecord | undefined) => void,
    plan?: CallPlan,
    restart = false,
  ): void {
    const gate = this.o.health?.gate();
    if (!gate) return this.sendNow(q, warm, then, plan);
    this.gated++;
    void gate.then(() => {
      this.gated--;
      if (this.cancelled) then(undefined);
      else this.sendNow(restart ? now() : q, warm, then, plan);
    });
  }

  private sendNow(q: number, warm: boolean, then: (rec: RawRecord) => void, plan?: CallPlan): void {
    const rec = newRecord(this.o.nextIndex(), this.o.step, q, warm);
    const entry: Entry = { call: undefined as unknown as PendingCall, deadline: 0, slot: -1 };
    let finished = false;
    entry.call = this.o.target.start(
      rec.i,
      rec,
      () => {
        finished = true;
        this.remove(entry);
        if (!warm) this.lastEnd = Math.max(this.lastEnd, rec.t + rec.e);
        this.o.health?.record(rec);
        this.o.complete(rec);
        then(rec);
      },
      plan,
    );
    // A request can fail synchronously (no connection possible): then it is already done.
    if (finished) return;
    entry.deadline = rec.t + this.o.timeoutMs;
    entry.slot = this.entries.push(entry) - 1;
    if (this.cancelled) entry.call.abort(new CancelledError('Benchmark cancelled'));
  }

  private remove(entry: Entry): void {
    if (entry.slot < 0) return;
    const last = this.entries.pop()!;
    if (last !== entry) {
      this.entries[entry.slot] = last;
      last.slot = entry.slot;
    }
    entry.slot = -1;
  }

  private sweep(): void {
    const t = now();
    // A copy: aborting completes the request, which removes it from `entries`.
    for (const e of [...this.entries]) if (t > e.deadline) e.call.abort(new TimeoutError(this.o.timeoutMs, 'Request'));
  }

  abortAll(reason: Error): void {
    for (const e of [...this.entries]) e.call.abort(reason);
  }

  dispose(): void {
    clearInterval(this.sweeper);
    this.o.signal?.removeEventListener('abort', this.onAbort);
  }
}
