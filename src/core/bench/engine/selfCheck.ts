import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { now } from './clock';

/** Limits past which our own numbers are not to be trusted (issue: the engine checks itself). */
export const clientBoundLimits = { eventLoopDelayP99Ms: 5, cpuPercent: 80, achievedRateRatio: 0.98 };

export interface SelfCheckReading {
  /** Event-loop delay p99 and max over the step (ms): how late our callbacks ran. */
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  /** Process CPU time over wall time, in percent of one core (the engine is one thread). */
  cpuPercent: number;
}

/** Sampling timer period. The histogram holds whole timer intervals (period + delay), so we subtract it. */
const RESOLUTION_MS = 10;

const delayMs = (intervalNs: number) => Math.max(intervalNs / 1e6 - RESOLUTION_MS, 0);

/**
 * Watches the engine while a step runs: a late event loop delays timestamps
 * and sends, and a saturated CPU means the client, not the server, sets the
 * pace. Both make a run "client-bound".
 */
export class SelfCheck {
  private readonly h: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private readonly cpu0 = process.cpuUsage();
  private readonly t0 = now();

  constructor() {
    this.h.enable();
  }

  finish(): SelfCheckReading {
    this.h.disable();
    const cpu = process.cpuUsage(this.cpu0);
    const wallMs = Math.max(now() - this.t0, 1e-3);
    const count = this.h.count;
    return {
      eventLoopDelayP99Ms: count ? delayMs(this.h.percentile(99)) : 0,
      eventLoopDelayMaxMs: count ? delayMs(this.h.max) : 0,
      cpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
    };
  }
}

/** Why a step's figures may reflect the client rather than the server (empty when they do not). */
export function clientBoundReasons(
  r: SelfCheckReading,
  openLoop?: { achievedRate: number; scheduledRate: number; capped: boolean },
): string[] {
  const out: string[] = [];
  const L = clientBoundLimits;
  if (r.eventLoopDelayP99Ms > L.eventLoopDelayP99Ms)
    out.push(`event-loop delay p99 ${r.eventLoopDelayP99Ms.toFixed(1)} ms > ${L.eventLoopDelayP99Ms} ms`);
  if (r.cpuPercent > L.cpuPercent) out.push(`engine CPU ${r.cpuPercent.toFixed(0)} % > ${L.cpuPercent} %`);
  if (openLoop && openLoop.scheduledRate > 0 && openLoop.achievedRate < L.achievedRateRatio * openLoop.scheduledRate) {
    const cap = openLoop.capped ? ' (the in-flight cap was reached)' : '';
    out.push(
      `achieved ${openLoop.achievedRate.toFixed(2)} req/s < ${L.achievedRateRatio}× the scheduled ${openLoop.scheduledRate.toFixed(2)} req/s${cap}`,
    );
  }
  return out;
}
