/** The latency contract of the simulated models (defaults in params.ts). */

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
