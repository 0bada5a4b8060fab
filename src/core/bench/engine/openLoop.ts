import { interArrival, type Uniform } from '../../stats/random';
import { now } from './clock';
import type { InFlight } from './inFlight';
import type { LoopOutcome } from './closedLoop';

export interface OpenLoopPlan {
  /** Requests per second; Infinity sends every request at once. */
  rate: number;
  burstiness: number;
  requests?: number;
  durationMs?: number;
  /** Most requests in flight; later ones queue and their wait counts in their response time. */
  maxInFlight: number;
  rand: Uniform;
  /** Wake-ups closer than this (ms) are spun on setImmediate instead of a timer (see docs/architecture.md, the benchmark data path). */
  spinMs?: number;
  /** The run's signal: cancelling stops the schedule at once, even mid-gap. */
  signal?: AbortSignal;
  /** A shard sends only its own positions of the (whole, seeded) schedule; the others are drawn and skipped. */
  mine?: (position: number) => boolean;
  /** Checked at each wake-up: true ends the schedule (a capacity point's verdict is in). */
  stop?: () => boolean;
}

export interface OpenLoopOutcome extends LoopOutcome {
  /** Requests put on the schedule. */
  scheduled: number;
  /** Absolute ms of the last scheduled send and of the last actual send. */
  lastScheduled: number;
  lastSent: number;
  /** True when the in-flight cap made requests wait. */
  capped: boolean;
}

/**
 * Open loop: requests go out on a precomputed-as-we-go schedule (gamma gaps
 * with mean 1/rate: Poisson at burstiness 1) whatever the server does. Each
 * record keeps its scheduled time `q`, so response time = t − q + e counts any
 * wait a stalled server caused (no coordinated omission), while e is the
 * service time from the actual send.
 */
export function runOpenLoop(flight: InFlight, plan: OpenLoopPlan): Promise<OpenLoopOutcome> {
  const start = now();
  const gapMs = () => interArrival(plan.rand, plan.rate, plan.burstiness) * 1000;
  const spinMs = plan.spinMs ?? 0.3;
  const limit = plan.durationMs !== undefined ? start + plan.durationMs : Infinity;
  const backlog: number[] = [];
  let head = 0;
  let due = start + gapMs();
  let scheduled = 0;
  let sent = 0;
  let lastScheduled = start;
  let lastSent = start;
  let capped = false;
  let scheduling = true;
  let timer: NodeJS.Timeout | undefined;
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      tick();
    };
    plan.signal?.addEventListener('abort', onAbort, { once: true });
    const finishIfDone = () => {
      if (scheduling || flight.size > 0 || head < backlog.length) return;
      plan.signal?.removeEventListener('abort', onAbort);
      resolve({
        start,
        end: Number.isFinite(flight.lastEnd) ? flight.lastEnd : start,
        sent,
        scheduled,
        lastScheduled,
        lastSent,
        capped,
      });
    };
    const launch = (q: number) => {
      sent++;
      lastSent = now();
      void flight.send(q, false).then((rec) => {
        if (!rec) sent--; // the run stopped while it waited for a back-off slot: never sent
        if (head < backlog.length && !flight.cancelled) launch(backlog[head++]);
        else if (flight.cancelled) head = backlog.length; // queued requests are dropped: they were never sent
        finishIfDone();
      });
    };
    const tick = () => {
      timer = undefined;
      const t = now();
      while (scheduling && due <= t) {
        if (
          flight.cancelled ||
          (plan.requests !== undefined && scheduled >= plan.requests) ||
          due > limit ||
          plan.stop?.()
        ) {
          scheduling = false;
          break;
        }
        const position = scheduled++;
        lastScheduled = due;
        // A shard skips the other shards' positions (they still advance the schedule).
        if (plan.mine === undefined || plan.mine(position)) {
          if (flight.size < plan.maxInFlight) launch(due);
          else {
            capped = true;
            backlog.push(due);
          }
        }
        due += gapMs();
      }
      if (
        scheduling &&
        (flight.cancelled ||
          (plan.requests !== undefined && scheduled >= plan.requests) ||
          due > limit ||
          plan.stop?.())
      )
        scheduling = false;
      if (!scheduling) return finishIfDone();
      const wait = due - now();
      if (wait <= spinMs) setImmediate(tick);
      else timer = setTimeout(tick, Math.max(1, Math.floor(wait - spinMs)));
    };
    tick();
  });
}
