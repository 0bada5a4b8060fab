/**
 * Latency parameters of the simulated models. Every value is configurable
 * per model (config file `models[].latency`); the defaults below give a
 * small-GPU feel while staying cheap for the host.
 */

/** Text generation: prefill, decode and continuous batching. */
export interface TextLatency {
  /** Fixed cost of a prefill, per request (ms). */
  prefillBaseMs: number;
  /** Prefill cost per input (prompt) token (ms). */
  prefillPerTokenMs: number;
  /** Time between two output tokens with a single active sequence (ms). */
  decodePerTokenMs: number;
  /**
   * Continuous batching: each extra active sequence makes a decode step this
   * fraction slower (gap = decodePerTokenMs × (1 + batchSlowdown × (active − 1))).
   */
  batchSlowdown: number;
  /** Sequences that may run at once; further requests wait in a FIFO queue. */
  maxBatch: number;
  /** Uniform jitter as a fraction of each delay (0.1 = ±10 %); 0 = exact. */
  jitter: number;
  /** KV-cache capacity in tokens (prompt + generated of active sequences), for the usage gauge. */
  kvCacheTokens: number;
}

/** Batch work (classification, embeddings): a dynamic batcher over N instances. */
export interface BatchLatency {
  /** Fixed cost of one executed batch (ms). */
  batchBaseMs: number;
  /** Cost per item in the batch (ms). */
  perItemMs: number;
  /** Largest number of items merged into one executed batch. */
  maxBatch: number;
  /** Batches that may execute at once (model instances); others queue. */
  instances: number;
  /** Uniform jitter as a fraction of each delay; 0 = exact. */
  jitter: number;
}

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
