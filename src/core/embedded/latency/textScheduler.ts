/**
 * Continuous batching for one text model. Up to `maxBatch` sequences run at
 * once; later requests wait FIFO for a slot. Each sequence is timed on its
 * own deadline chain (no drift): first token at admission + prefill, then one
 * token per decode step, whose length grows with the number of active
 * sequences at the time the step is scheduled.
 */
import type { Clock } from '../clock';
import { Rng } from '../../util/rng';
import { Generation, type GenerationTimings } from './generation';
import { jittered, type TextLatency } from './params';

export interface GenerateRequest {
  promptTokens: number;
  /** Leading prompt tokens already in the KV cache (prefix caching): only the rest is prefilled. */
  cachedTokens?: number;
  outputTokens: number;
  /** Injected extra delay before the first token (slow start). */
  extraDelayMs?: number;
  signal?: AbortSignal;
}

interface Sequence {
  req: GenerateRequest;
  gen: Generation;
  arrivedAt: number;
  admittedAt: number;
  firstTokenAt: number;
  deadline: number;
  emitted: number;
  timer: NodeJS.Timeout | undefined;
  onAbort: (() => void) | undefined;
}

export class TextScheduler {
  private readonly active = new Set<Sequence>();
  private readonly waiting: Sequence[] = [];
  private readonly rng: Rng;

  constructor(
    readonly params: TextLatency,
    seed: number,
    private readonly clock: Clock,
  ) {
    this.rng = new Rng(seed ^ 0x7e47);
  }

  get running(): number {
    return this.active.size;
  }
  get queued(): number {
    return this.waiting.length;
  }
  /** Prompt + generated tokens held by active sequences (for KV-cache usage). */
  get kvTokens(): number {
    let n = 0;
    for (const s of this.active) n += s.req.promptTokens + s.emitted;
    return n;
  }

  generate(req: GenerateRequest): Generation {
    const seq: Sequence = {
      req,
      gen: undefined as unknown as Generation,
      arrivedAt: this.clock.now(),
      admittedAt: 0,
      firstTokenAt: 0,
      deadline: 0,
      emitted: 0,
      timer: undefined,
      onAbort: undefined,
    };
    seq.gen = new Generation(() => this.finish(seq, true));
    if (req.signal?.aborted) {
      this.finish(seq, true);
      return seq.gen;
    }
    if (req.signal) {
      seq.onAbort = () => this.finish(seq, true);
      req.signal.addEventListener('abort', seq.onAbort, { once: true });
    }
    if (this.active.size < Math.max(1, this.params.maxBatch)) this.admit(seq);
    else this.waiting.push(seq);
    return seq.gen;
  }

  private admit(seq: Sequence): void {
    const p = this.params;
    const now = this.clock.now();
    this.active.add(seq);
    seq.admittedAt = now;
    const prefill = jittered(
      p.prefillBaseMs + p.prefillPerTokenMs * (seq.req.promptTokens - (seq.req.cachedTokens ?? 0)),
      p.jitter,
      () => this.rng.next(),
    );
    seq.deadline = now + prefill + Math.max(0, seq.req.extraDelayMs ?? 0);
    this.wait(seq);
  }

  /**
   * Waits until `seq.deadline`. Node timers have millisecond granularity and
   * may fire up to ~1 ms early against performance.now (libuv's cached loop
   * time), so a timer that fires with half a millisecond or more left is
   * re-armed: the error stays within about ±0.5 ms and does not accumulate.
   */
  private wait(seq: Sequence): void {
    const remaining = seq.deadline - this.clock.now();
    if (remaining <= 0) return this.step(seq);
    seq.timer = setTimeout(() => {
      seq.timer = undefined;
      if (seq.deadline - this.clock.now() >= 0.5) this.wait(seq);
      else this.step(seq);
    }, remaining);
  }

  /** Emits every token that is due; zero-cost models emit all of them synchronously. */
  private step(seq: Sequence): void {
    while (this.active.has(seq)) {
      if (seq.emitted >= seq.req.outputTokens) return this.finish(seq, false);
      const at = this.clock.now();
      if (seq.emitted === 0) seq.firstTokenAt = at;
      seq.gen.push({ index: seq.emitted++, at });
      if (seq.emitted >= seq.req.outputTokens) return this.finish(seq, false);
      seq.deadline += this.decodeGap();
      if (seq.deadline > this.clock.now()) return this.wait(seq);
    }
  }

  private decodeGap(): number {
    const p = this.params;
    const gap = p.decodePerTokenMs * (1 + p.batchSlowdown * (Math.min(this.active.size, p.maxBatch) - 1));
    return jittered(gap, p.jitter, () => this.rng.next());
  }

  private finish(seq: Sequence, cancelled: boolean): void {
    if (seq.timer) clearTimeout(seq.timer);
    seq.timer = undefined;
    if (seq.onAbort) seq.req.signal?.removeEventListener('abort', seq.onAbort);
    const wasActive = this.active.delete(seq);
    if (!wasActive) {
      const i = this.waiting.indexOf(seq);
      if (i >= 0) this.waiting.splice(i, 1);
    }
    seq.gen.end(this.timingsOf(seq, cancelled));
    if (wasActive) this.admitWaiting();
  }

  private admitWaiting(): void {
    while (this.waiting.length && this.active.size < Math.max(1, this.params.maxBatch))
      this.admit(this.waiting.shift() as Sequence);
  }

  private timingsOf(seq: Sequence, cancelled: boolean): GenerationTimings {
    const end = this.clock.now();
    const admitted = seq.admittedAt || end;
    const first = seq.firstTokenAt || end;
    return {
      arrivedAt: seq.arrivedAt,
      admittedAt: admitted,
      firstTokenAt: first,
      finishedAt: end,
      queueMs: admitted - seq.arrivedAt,
      prefillMs: first - admitted,
      decodeMs: end - first,
      ttftMs: first - seq.arrivedAt,
      totalMs: end - seq.arrivedAt,
      tokens: seq.emitted,
      cancelled,
    };
  }
}
