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
 */
export async function runClosedLoop(flight: InFlight, plan: ClosedLoopPlan): Promise<LoopOutcome> {
  const start = now();
  const deadline = plan.durationMs !== undefined ? start + plan.durationMs : Infinity;
  let issued = 0;
  const worker = async () => {
    while (!flight.cancelled && (plan.requests === undefined || issued < plan.requests) && !plan.stop?.()) {
      // One clock read per request: the time the worker became free is both the deadline check and the scheduled time.
      const q = now();
      if (q >= deadline) return;
      issued++;
      // Undefined: the run stopped while this request waited for a back-off slot, so it was never sent.
      if (!(await flight.send(q, plan.warm, undefined, true))) issued--;
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, worker));
  return { start, end: Number.isFinite(flight.lastEnd) ? flight.lastEnd : start, sent: issued };
}
