/**
 * Fault injection: the failures real servers show, on demand and seeded.
 * Server-wide settings (config `faults`) merge with per-model ones
 * (`models[].faults`); `update()` changes them while the server runs.
 */
import type { Clock } from './clock';
import { Rng } from '../util/rng';
import type { FaultConfig } from './faultTypes';

export type { FaultConfig } from './faultTypes';

export const noFaults: FaultConfig = {
  errorRate: 0,
  disconnectRate: 0,
  disconnectAfterTokens: 3,
  slowStartMs: 0,
  notReadyMs: 0,
};

/** What to do to one request. */
export interface FaultPlan {
  /** Fail this request with a server error. */
  fail: boolean;
  /** Cut the stream after this many tokens (streaming only), or undefined. */
  disconnectAfterTokens: number | undefined;
  /** Extra delay before the first token / before the batch (ms). */
  extraDelayMs: number;
}

export class FaultInjector {
  private global: FaultConfig;
  private readonly perModel = new Map<string, Partial<FaultConfig>>();
  private readonly warmed = new Set<string>();
  private readonly rng: Rng;
  private startedAt: number;

  constructor(
    config: Partial<FaultConfig> = {},
    seed = 0,
    private readonly clock?: Clock,
  ) {
    this.global = { ...noFaults, ...config };
    this.rng = new Rng(seed ^ 0xfa17);
    this.startedAt = clock?.now() ?? performance.now();
  }

  /** Restarts the not-ready window and the cold-start state (server start). */
  reset(): void {
    this.startedAt = this.clock?.now() ?? performance.now();
    this.warmed.clear();
  }

  /** Changes server-wide settings, or one model's settings, while running. */
  update(change: Partial<FaultConfig>, model?: string): void {
    if (model) this.perModel.set(model, { ...this.perModel.get(model), ...change });
    else this.global = { ...this.global, ...change };
  }

  /** The effective settings for `model`. */
  configFor(model?: string): FaultConfig {
    const own = model ? this.perModel.get(model) : undefined;
    return own ? { ...this.global, ...own } : this.global;
  }

  /** False during the not-ready window after start. */
  isReady(model?: string): boolean {
    const ms = this.configFor(model).notReadyMs;
    return ms <= 0 || (this.clock?.now() ?? performance.now()) - this.startedAt >= ms;
  }

  /** Decides the faults of one request (consumes seeded randomness only when a rate is set). */
  plan(model: string, streaming: boolean): FaultPlan {
    const c = this.configFor(model);
    const fail = c.errorRate > 0 && this.rng.next() < c.errorRate;
    const cut = streaming && c.disconnectRate > 0 && this.rng.next() < c.disconnectRate;
    let extraDelayMs = 0;
    if (!this.warmed.has(model)) {
      this.warmed.add(model);
      extraDelayMs = c.slowStartMs;
    }
    return { fail, disconnectAfterTokens: cut ? Math.max(0, c.disconnectAfterTokens) : undefined, extraDelayMs };
  }
}
