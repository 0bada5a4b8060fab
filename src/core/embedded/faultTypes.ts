/** The fault-injection contract (config `faults`, `models[].faults`). */

export interface FaultConfig {
  /** Probability (0–1) that a request fails with the personality's server-error shape. */
  errorRate: number;
  /** Probability (0–1) that a streaming response is cut (socket destroyed) mid-stream. */
  disconnectRate: number;
  /** Tokens sent before an injected disconnect. */
  disconnectAfterTokens: number;
  /** Extra delay (ms) paid by the first request to each model after start (cold start / warm-up). */
  slowStartMs: number;
  /** For this long after start (ms), health/readiness say "not ready" and inference is refused with 503. */
  notReadyMs: number;
}
