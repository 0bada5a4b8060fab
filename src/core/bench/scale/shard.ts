/**
 * Shards of one run. A run's requests have global indices 0, 1, 2, … (warm-up
 * and measured phases of every step, in order); worker j of N owns the
 * indices k with (k − B) mod A = j in a phase starting at global index B,
 * where A is the number of workers active in that phase (all N, or fewer when
 * a closed loop's concurrency is below N). The union of the shards' indices
 * is then exactly the single-process run's, and request k sends the same
 * prompt or image (plan k mod pool size) wherever it runs.
 *
 * Open loop: every worker draws the whole seeded schedule and sends only its
 * own positions. Closed loop: the concurrency and the request count are
 * split by the same rule.
 */
import { BenchSpecError } from '../specNormalize';

export interface ShardSpec {
  /** 0-based shard index. */
  index: number;
  /** Number of shards (workers). */
  count: number;
}

/** Parses "i/N" (1-based i, as users count: --shard 1/3 … 3/3). */
export function parseShard(text: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new BenchSpecError(`--shard: "${text}" is not i/N (e.g. 1/3)`);
  const i = Number(m[1]);
  const n = Number(m[2]);
  if (n < 1 || i < 1 || i > n) throw new BenchSpecError(`--shard: "${text}": i must be from 1 to N`);
  return { index: i - 1, count: n };
}

export const formatShard = (s: ShardSpec): string => `${s.index + 1}/${s.count}`;

/** This worker's part of `total` split over `workers` (the first `total mod workers` get one more). */
export function splitCount(total: number, workers: number, index: number): number {
  if (index >= workers) return 0;
  return Math.floor(total / workers) + (index < total % workers ? 1 : 0);
}

/**
 * Index reserved per phase when its global size is not known in advance (a
 * closed loop bounded by time): each phase's indices then start at a fresh
 * multiple, so shards never collide.
 */
export const unknownPhaseStride = 2 ** 32;

/** A worker's view of the global index space, phase by phase. */
export class ShardIndexer {
  /** Global index of the current phase's first request. */
  private base = 0;
  private active: number;
  private cursor: number;

  constructor(readonly shard: ShardSpec) {
    this.active = shard.count;
    this.cursor = shard.index;
  }

  /** Starts a phase with `active` workers (those with index < active take part). */
  begin(active = this.shard.count): void {
    this.active = Math.max(1, Math.min(active, this.shard.count));
    this.cursor = this.base + this.shard.index;
  }

  /** Does this worker take part in the current phase? */
  get participates(): boolean {
    return this.shard.index < this.active;
  }

  /** How many of a phase's `total` requests are this worker's. */
  own(total: number): number {
    return splitCount(total, this.active, this.shard.index);
  }

  /** Is position p of the current phase (its global index base + p) this worker's? */
  mine(p: number): boolean {
    return p % this.active === this.shard.index;
  }

  /** The next global index this worker sends. */
  next(): number {
    const k = this.cursor;
    this.cursor += this.active;
    return k;
  }

  /** Ends the phase: its global size when every worker knows it, else a fresh stride. */
  end(globalCount?: number): void {
    if (globalCount !== undefined) this.base += globalCount;
    else this.base = (Math.floor(this.base / unknownPhaseStride) + 1) * unknownPhaseStride;
    this.cursor = this.base + this.shard.index;
  }
}
