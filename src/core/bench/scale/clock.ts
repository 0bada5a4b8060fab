/**
 * Clocks of a scaled-out run. Each worker times its requests on its own
 * monotonic clock (engine/clock.ts) from its own start; its start on its
 * wall clock, `performance.timeOrigin + origin`, and its offset against the
 * coordinator's wall clock put its records on the coordinator's time line.
 *
 * The offset is measured round trip, NTP style: the worker notes its clock
 * w0, asks the coordinator for its clock c, notes w1 on the answer; then
 * offset = c − (w0 + w1) / 2, off by at most half the round trip. Of several
 * pings the one with the shortest round trip wins. Workers measure at start
 * and at end (a drift between the two shows).
 */
/** Wall-clock epoch ms with the monotonic clock's resolution. */
export const wallNow = (): number => performance.timeOrigin + performance.now();

/** Resolves at wall-clock time `t` (epoch ms), or at once on abort (the run then ends with nothing sent). */
export function waitUntilWall(t: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const tick = () => {
      const left = t - wallNow();
      if (left <= 0) {
        signal?.removeEventListener('abort', onAbort);
        return resolve();
      }
      timer = setTimeout(tick, Math.min(Math.max(left - 1, 0), 1000));
    };
    tick();
  });
}

export interface OffsetReading {
  /** Coordinator clock − worker clock (ms). */
  offsetMs: number;
  /** Round trip of the ping it came from (ms): the offset is within ± half of it. */
  roundTripMs: number;
}

/**
 * Measures the offset with `pings` round trips through `ask` (which sends the
 * worker's clock reading and resolves with the coordinator's), keeping the
 * shortest.
 */
export async function measureOffset(ask: () => Promise<number>, pings = 5): Promise<OffsetReading> {
  let best: OffsetReading | undefined;
  for (let k = 0; k < pings; k++) {
    const w0 = wallNow();
    const c = await ask();
    const w1 = wallNow();
    const reading = { offsetMs: c - (w0 + w1) / 2, roundTripMs: w1 - w0 };
    if (!best || reading.roundTripMs < best.roundTripMs) best = reading;
  }
  return best!;
}
