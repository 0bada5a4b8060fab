/**
 * Latency parameters of the simulated models. Every value is configurable
 * per model (config file `models[].latency`); the defaults below give a
 * small-GPU feel while staying cheap for the host.
 */
import type { BatchLatency, TextLatency } from './types';

export type { BatchLatency, TextLatency } from './types';

export const defaultTextLatency: TextLatency = {
  prefillBaseMs: 8,
  prefillPerTokenMs: 0.1,
  decodePerTokenMs: 12,
  batchSlowdown: 0.02,
  maxBatch: 32,
  jitter: 0.05,
  kvCacheTokens: 65536,
};

export const defaultBatchLatency: BatchLatency = {
  batchBaseMs: 4,
  perItemMs: 1,
  maxBatch: 32,
  instances: 1,
  jitter: 0.05,
};

/** Scales a delay by a seeded uniform factor in [1 − jitter, 1 + jitter]. */
export function jittered(ms: number, jitter: number, random: () => number): number {
  if (ms <= 0 || jitter <= 0) return Math.max(0, ms);
  return Math.max(0, ms * (1 + jitter * (2 * random() - 1)));
}
