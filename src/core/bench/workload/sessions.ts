/**
 * Per-turn and per-conversation figures of a multi-turn sessions step, from
 * its records (`cv`, `tn`): TTFT by turn index, how the prompt grew, and how
 * long conversations took. The same records give the same figures, so a
 * result can be checked against its records file.
 */
import { percentileLinear, sortedCopy } from '../../stats/percentile';
import { EV_TEXT, isSuccess, type RawRecord } from '../record';
import { firstEvent } from '../profiles/timeline';

/** mean / p50 / p90 / p99 (µs resolution); all 0 when there are no values. */
export interface Spread {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
}

export interface TurnFacts {
  /** 1-based turn index. */
  turn: number;
  /** Requests sent at this turn, and those that succeeded. */
  requests: number;
  succeeded: number;
  /** Time to the first streamed content token (ms). */
  ttftMs: Spread;
  /** Whole request (ms). */
  e2elMs: Spread;
  /** Prompt tokens of the whole history at this turn: the server's usage where reported, else the count before sending. */
  inputTokens: Spread;
}

export interface SessionFacts {
  users: number;
  turns: number;
  thinkTimeSec: number;
  /** The dataset's own conversations were replayed (their human turns as the user turns). */
  fromDataset?: true;
  /** Conversations started, and those whose every turn succeeded. */
  conversations: number;
  completed: number;
  /** First send to last answer of a completed conversation, think time included (s). */
  durationSec: Spread;
  /** Mean TTFT of each completed conversation's turns (ms). */
  meanTtftMs: Spread;
  byTurn: TurnFacts[];
}

const r3 = (v: number) => Math.round(v * 1000) / 1000;

export function spread(values: number[]): Spread {
  if (!values.length) return { mean: 0, p50: 0, p90: 0, p99: 0 };
  const s = sortedCopy(values);
  let sum = 0;
  for (const v of values) sum += v;
  return {
    mean: r3(sum / values.length),
    p50: r3(percentileLinear(s, 50)),
    p90: r3(percentileLinear(s, 90)),
    p99: r3(percentileLinear(s, 99)),
  };
}

interface Turn {
  requests: number;
  succeeded: number;
  ttft: number[];
  e2el: number[];
  input: number[];
}

interface Conversation {
  first: number;
  last: number;
  turns: number;
  failed: boolean;
  ttftSum: number;
}

/** Collects the records of one sessions step (measured ones; warm-up records carry no turn). */
export class SessionTally {
  private readonly turns: Turn[] = [];
  private readonly convs = new Map<number, Conversation>();

  add(r: RawRecord): void {
    if (r.tn === undefined || r.cv === undefined || r.w) return;
    const t = (this.turns[r.tn - 1] ??= { requests: 0, succeeded: 0, ttft: [], e2el: [], input: [] });
    t.requests++;
    let c = this.convs.get(r.cv);
    if (!c) this.convs.set(r.cv, (c = { first: r.t, last: r.t, turns: 0, failed: false, ttftSum: 0 }));
    c.first = Math.min(c.first, r.t);
    c.last = Math.max(c.last, r.t + r.e);
    const ttft = isSuccess(r) ? firstEvent(r, EV_TEXT) : undefined;
    if (ttft === undefined) {
      c.failed = true;
      return;
    }
    t.succeeded++;
    t.ttft.push(ttft);
    t.e2el.push(r.e);
    const input = r.iu ?? r.io;
    if (input !== undefined) t.input.push(input);
    c.turns++;
    c.ttftSum += ttft;
  }

  finish(load: { users: number; turns: number; thinkTimeSec: number }): SessionFacts {
    const done = [...this.convs.values()].filter((c) => !c.failed && c.turns === load.turns);
    const byTurn: TurnFacts[] = [];
    this.turns.forEach((t, k) => {
      if (!t) return;
      byTurn.push({
        turn: k + 1,
        requests: t.requests,
        succeeded: t.succeeded,
        ttftMs: spread(t.ttft),
        e2elMs: spread(t.e2el),
        inputTokens: spread(t.input),
      });
    });
    return {
      ...load,
      conversations: this.convs.size,
      completed: done.length,
      durationSec: spread(done.map((c) => (c.last - c.first) / 1000)),
      meanTtftMs: spread(done.map((c) => c.ttftSum / c.turns)),
      byTurn,
    };
  }
}

const ms = (v: number) => v.toFixed(2);

/** The CLI's account of a sessions step: one line per turn index, then the conversations. */
export function formatSessions(s: SessionFacts): string {
  const head = ['Turn', 'Requests', 'OK', 'Prompt tokens (mean)', 'TTFT mean', 'TTFT p50', 'TTFT p99', 'E2E mean'];
  const rows = s.byTurn.map((t) => [
    String(t.turn),
    String(t.requests),
    String(t.succeeded),
    t.inputTokens.mean.toFixed(1),
    ms(t.ttftMs.mean),
    ms(t.ttftMs.p50),
    ms(t.ttftMs.p99),
    ms(t.e2elMs.mean),
  ]);
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]) => cells.map((c, k) => c.padStart(widths[k])).join('  ');
  return [
    `Sessions: ${s.users} users, ${s.turns} turns, think time ${s.thinkTimeSec} s (ms below)`,
    line(head),
    ...rows.map(line),
    `Conversations: ${s.completed} of ${s.conversations} completed; duration mean ${s.durationSec.mean.toFixed(2)} s, p50 ${s.durationSec.p50.toFixed(2)} s, p99 ${s.durationSec.p99.toFixed(2)} s; mean TTFT per conversation p50 ${ms(s.meanTtftMs.p50)} ms, p99 ${ms(s.meanTtftMs.p99)} ms`,
  ].join('\n');
}
