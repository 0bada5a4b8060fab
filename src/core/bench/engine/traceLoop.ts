import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { TraceFormat } from '../spec';
import { readTrace, type TraceEntry } from '../workload/traces';
import type { CallPlan } from './callTarget';
import { now } from './clock';
import type { InFlight } from './inFlight';
import type { OpenLoopOutcome } from './openLoop';

export interface TraceLoopPlan {
  file: string;
  format: TraceFormat;
  /** 2 = twice as fast as recorded. */
  speed: number;
  requests?: number;
  durationMs?: number;
  maxInFlight: number;
  planFor(e: TraceEntry): CallPlan;
  signal?: AbortSignal;
  spinMs?: number;
}

export interface TraceLoopOutcome extends OpenLoopOutcome {
  /** Lines of the trace that were skipped (see traces.ts) while replaying. */
  skipped: number;
}

/**
 * Replays a trace: line k goes out at start + (t_k − t_0) / speed. Lines are
 * read from the file as their time comes (the reader runs ahead by at most
 * one file chunk), so memory does not depend on the trace's length. Each
 * record keeps its scheduled time `q`: t − q is how late the send was.
 */
export async function runTraceLoop(flight: InFlight, plan: TraceLoopPlan): Promise<TraceLoopOutcome> {
  const start = now();
  const spinMs = plan.spinMs ?? 0.3;
  const limit = plan.durationMs !== undefined ? start + plan.durationMs : Infinity;
  let t0: number | undefined;
  let scheduled = 0;
  let sent = 0;
  let skipped = 0;
  let lastScheduled = start;
  let lastSent = start;
  let capped = false;
  let outstanding = 0;
  let wake: (() => void) | undefined;
  const settled = () => {
    outstanding--;
    const w = wake;
    wake = undefined;
    w?.();
  };
  const oneSettles = () => new Promise<void>((resolve) => (wake = resolve));
  const aborted = () => flight.cancelled || (plan.signal?.aborted ?? false);
  try {
    for await (const e of readTrace(plan.file, plan.format, plan.signal)) {
      if ('skip' in e) {
        skipped++;
        continue;
      }
      if (aborted() || (plan.requests !== undefined && scheduled >= plan.requests)) break;
      t0 ??= e.atMs;
      const due = start + (e.atMs - t0) / plan.speed;
      if (due > limit) break;
      // Sleep on a timer until just before the send time, then spin on the event loop.
      for (let wait = due - now(); wait > 0 && !aborted(); wait = due - now()) {
        if (wait > spinMs)
          await sleep(Math.max(1, Math.floor(wait - spinMs)), undefined, { signal: plan.signal }).catch(
            () => undefined,
          );
        else await nextTurn();
      }
      while (outstanding >= plan.maxInFlight && !aborted()) {
        capped = true;
        await oneSettles();
      }
      if (aborted()) break;
      scheduled++;
      lastScheduled = due;
      const request = plan.planFor(e);
      sent++;
      lastSent = now();
      outstanding++;
      void flight.send(due, false, request).then(settled);
    }
  } catch (e) {
    // Cancelling mid-read ends the replay; anything else (an unreadable file) is the run's error.
    if ((e as Error).name !== 'AbortError') throw e;
  }
  while (outstanding > 0) await oneSettles();
  return {
    start,
    end: Number.isFinite(flight.lastEnd) ? flight.lastEnd : start,
    sent,
    scheduled,
    lastScheduled,
    lastSent,
    capped,
    skipped,
  };
}
