import { now } from './clock';
import type { InFlight } from './inFlight';

export interface ClosedLoopPlan {
  concurrency: number;
  /** Stop after this many requests… */
  requests?: number;
  /** …or once this many ms have passed since the start (requests in flight then still finish). */
  durationMs?: number;
  warm: boolean;
  /** Checked before each send: true ends the loop early (a capacity point's verdict is in). */
  stop?: () => boolean;
}

export interface LoopOutcome {
  /** Absolute ms: first scheduled send, and last completion (start when nothing completed). */
  start: number;
  end: number;
  sent: number;
}

/**
 * Closed loop: `concurrency` workers, each sending its next request as soon as
 * the previous one ends. The scheduled time of a request is the moment its
 * worker became free, so `t − q` is pure client overhead here.
 *
 * A worker sends its next request from inside the completion of the previous
 * one (a callback, no promise per request): on HTTP the connection then
 * already has its next request queued when undici finishes the answer, so it
 * is written on the next turn of the event loop without undici's idle-socket
 * check (another turn) and without re-arming its keep-alive timer.
 */
export function runClosedLoop(flight: InFlight, plan: ClosedLoopPlan): Promise<LoopOutcome> {
  const start = now();
  const deadline = plan.durationMs !== undefined ? start + plan.durationMs : Infinity;
  let issued = 0;
  return new Promise((resolve) => {
    let running = plan.concurrency;
    const finish = () => {
      if (--running === 0)
        resolve({ start, end: Number.isFinite(flight.lastEnd) ? flight.lastEnd : start, sent: issued });
    };
    const worker = () => {
      // A loop, not recursion, for requests that complete synchronously (a failure at send).
      for (;;) {
        if (flight.cancelled || (plan.requests !== undefined && issued >= plan.requests) || plan.stop?.())
          return finish();
        // One clock read per request: the time the worker became free is both the deadline check and the scheduled time.
        const q = now();
        if (q >= deadline) return finish();
        issued++;
        let sending = true;
        let again = false;
        flight.sendThen(
          q,
          plan.warm,
          (rec) => {
            // Undefined: the run stopped while this request waited for a back-off slot, so it was never sent.
            if (!rec) issued--;
            if (sending) again = true;
            else worker();
          },
          undefined,
          true,
        );
        sending = false;
        if (!again) return;
      }
    };
    if (running <= 0) return resolve({ start, end: start, sent: 0 });
    for (let k = 0; k < plan.concurrency; k++) worker();
  });
}
