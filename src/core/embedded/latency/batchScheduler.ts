/**
 * A dynamic batcher for one classification or embedding model: requests
 * queue FIFO; whenever one of `instances` is free, queued requests are merged
 * (up to `maxBatch` items) into one batch costing
 * `batchBaseMs + perItemMs × items`. A request larger than `maxBatch` runs alone.
 */
import { CancelledError } from '../../util/abort';
import type { Clock } from '../clock';
import { Rng } from '../../util/rng';
import { jittered, type BatchLatency } from './params';

export interface BatchTimings {
  /** Waiting for an instance (ms). */
  queueMs: number;
  /** Execution time of the batch this request ran in (ms). */
  computeMs: number;
  /** Items in that executed batch (this request's and others'). */
  batchItems: number;
  /** Requests merged into that batch. */
  batchRequests: number;
}

interface Pending {
  items: number;
  extraDelayMs: number;
  arrivedAt: number;
  resolve: (t: BatchTimings) => void;
  reject: (e: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

export class BatchScheduler {
  private readonly queue: Pending[] = [];
  private busy = 0;
  private readonly rng: Rng;

  constructor(
    readonly params: BatchLatency,
    seed: number,
    private readonly clock: Clock,
  ) {
    this.rng = new Rng(seed ^ 0xba7c);
  }

  get running(): number {
    return this.busy;
  }
  get queued(): number {
    return this.queue.length;
  }

  /** Runs `items` items; resolves with timings, rejects with CancelledError if aborted while queued. */
  run(items: number, opts: { extraDelayMs?: number; signal?: AbortSignal } = {}): Promise<BatchTimings> {
    return new Promise((resolve, reject) => {
      if (opts.signal?.aborted) return reject(new CancelledError());
      const p: Pending = {
        items: Math.max(0, items),
        extraDelayMs: opts.extraDelayMs ?? 0,
        arrivedAt: this.clock.now(),
        resolve,
        reject,
        signal: opts.signal,
        onAbort: undefined,
      };
      if (opts.signal) {
        p.onAbort = () => {
          const i = this.queue.indexOf(p);
          if (i >= 0) {
            this.queue.splice(i, 1);
            reject(new CancelledError());
          }
        };
        opts.signal.addEventListener('abort', p.onAbort, { once: true });
      }
      this.queue.push(p);
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length && this.busy < Math.max(1, this.params.instances)) {
      const batch = this.take();
      const items = batch.reduce((n, p) => n + p.items, 0);
      const extra = Math.max(...batch.map((p) => p.extraDelayMs));
      const start = this.clock.now();
      const ms =
        jittered(this.params.batchBaseMs + this.params.perItemMs * items, this.params.jitter, () => this.rng.next()) +
        extra;
      const done = () => this.complete(batch, start, items);
      if (ms <= 0) {
        done();
        continue;
      }
      this.busy++;
      setTimeout(() => {
        this.busy--;
        done();
        this.pump();
      }, ms);
    }
  }

  private take(): Pending[] {
    const first = this.queue.shift() as Pending;
    const batch = [first];
    let items = first.items;
    while (this.queue.length && items + this.queue[0].items <= this.params.maxBatch) {
      const p = this.queue.shift() as Pending;
      items += p.items;
      batch.push(p);
    }
    return batch;
  }

  private complete(batch: Pending[], start: number, items: number): void {
    const end = this.clock.now();
    for (const p of batch) {
      if (p.onAbort) p.signal?.removeEventListener('abort', p.onAbort);
      p.resolve({
        queueMs: start - p.arrivedAt,
        computeMs: end - start,
        batchItems: items,
        batchRequests: batch.length,
      });
    }
  }
}
