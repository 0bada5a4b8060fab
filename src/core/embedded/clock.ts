/**
 * Time source of the embedded server. `now()` is monotonic (performance.now)
 * and drives the latency model; `epochMs()` is wall time for fields such as
 * `created` and Ollama's `created_at`. Tests may pass their own.
 */
export interface Clock {
  /** Monotonic milliseconds (fractional). */
  now(): number;
  /** Wall-clock milliseconds since the Unix epoch. */
  epochMs(): number;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  epochMs: () => Date.now(),
};
