/**
 * Our own measurements of a token stream: time to first token from the
 * moment the request was sent, inter-token latency between content events,
 * and the generation rate after the first token (the decode speed, which
 * TTFT would otherwise drown on short answers). The server's own figures
 * are kept beside ours, never mixed in.
 */
import { performance } from 'node:perf_hooks';
import { median } from '../../stats/percentile';
import { round2 } from './execOptions';
import type { StreamMetrics } from '../../../shared/request';

export type ServerFigures = NonNullable<StreamMetrics['server']>;

export class StreamMeter {
  private first?: number;
  private last?: number;
  private readonly gaps: number[] = [];
  private count = 0;
  private server: ServerFigures = {};

  /** `startedAt` is performance.now() when the request was sent. */
  constructor(
    private readonly startedAt: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** One content-bearing event (one token for the servers we speak to). */
  token(at = this.now()): void {
    if (this.first === undefined) this.first = at;
    else if (this.last !== undefined) this.gaps.push(at - this.last);
    this.last = at;
    this.count++;
  }

  /** Figures the server reported (usage, details, eval_count); later reports win. */
  serverReport(f: ServerFigures): void {
    for (const [k, v] of Object.entries(f)) if (v !== undefined) (this.server as Record<string, unknown>)[k] = v;
  }

  get tokenCount(): number {
    return this.count;
  }

  snapshot(at = this.now()): StreamMetrics {
    const m: StreamMetrics = { tokenCount: this.count, elapsedMs: round2(at - this.startedAt) };
    if (this.first !== undefined) m.ttftMs = round2(this.first - this.startedAt);
    if (this.gaps.length && this.first !== undefined && this.last !== undefined) {
      const span = this.last - this.first;
      const mean = span / this.gaps.length;
      m.itl = {
        meanMs: round2(mean),
        p50Ms: round2(median(Float64Array.from(this.gaps).sort())),
        maxMs: round2(this.gaps.reduce((a, b) => (b > a ? b : a), 0)),
      };
      if (span > 0) m.tokensPerSecond = round2((this.count - 1) / (span / 1000));
    }
    if (Object.keys(this.server).length) m.server = { ...this.server };
    return m;
  }
}
