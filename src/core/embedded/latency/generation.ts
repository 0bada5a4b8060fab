/**
 * One timed text generation, as seen by a personality: an async iterable of
 * token events (each emitted at its modelled time) plus its timings once
 * finished. Iteration simply ends if the generation is cancelled.
 */

export interface TokenEvent {
  /** 0-based index of the output token. */
  index: number;
  /** Monotonic time (ms, clock.now()) at which the token became available. */
  at: number;
}

/** The durations of one generation: what metrics and response bodies report. */
export interface JobTimings {
  /** Waiting for a batch slot (ms). */
  queueMs: number;
  /** Admission to first token (prefill, plus any injected slow start) (ms). */
  prefillMs: number;
  /** First token to end (ms). */
  decodeMs: number;
  /** Arrival to first token (ms). */
  ttftMs: number;
  totalMs: number;
  /** Output tokens actually produced. */
  tokens: number;
  cancelled: boolean;
}

/** A scheduled generation's durations and its monotonic times (ms): request arrival, slot obtained, first token, end. */
export interface GenerationTimings extends JobTimings {
  arrivedAt: number;
  admittedAt: number;
  firstTokenAt: number;
  finishedAt: number;
}

export class Generation implements AsyncIterable<TokenEvent> {
  /** Resolves when the generation ends (normally or cancelled); never rejects. */
  readonly done: Promise<GenerationTimings>;
  private resolveDone!: (t: GenerationTimings) => void;
  private readonly buffer: TokenEvent[] = [];
  private waiter: (() => void) | undefined;
  private ended = false;
  private result: GenerationTimings | undefined;

  constructor(private readonly onCancel: () => void) {
    this.done = new Promise((r) => (this.resolveDone = r));
  }

  /** Timings once ended, else undefined. */
  get timings(): GenerationTimings | undefined {
    return this.result;
  }

  /** Stops the generation and frees its batch slot. */
  cancel(): void {
    if (!this.ended) this.onCancel();
  }

  /** @internal Scheduler side: a token is ready. */
  push(ev: TokenEvent): void {
    this.buffer.push(ev);
    this.wake();
  }

  /** @internal Scheduler side: no more tokens. */
  end(t: GenerationTimings): void {
    if (this.ended) return;
    this.ended = true;
    this.result = t;
    this.resolveDone(t);
    this.wake();
  }

  /** Leaving the loop early (break, throw) cancels the generation. */
  async *[Symbol.asyncIterator](): AsyncIterator<TokenEvent> {
    try {
      while (true) {
        while (this.buffer.length) yield this.buffer.shift() as TokenEvent;
        if (this.ended) return;
        await new Promise<void>((r) => (this.waiter = r));
      }
    } finally {
      this.cancel();
    }
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}
