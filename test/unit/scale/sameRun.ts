/**
 * "The same run": a scaled-out result against the one-process run of the same
 * schedule, record for record — identical indices, steps, statuses, token and
 * byte counts per request; identical request counts and token totals per
 * step; medians within timing noise.
 */
import assert from 'node:assert/strict';
import type { RawRecord } from '../../../src/core/bench/record';
import { readRecordsFile } from '../../../src/core/bench/recordsFile';
import type { BenchResult } from '../../../src/core/bench/result';

export async function recordsOf(file: string): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const l of readRecordsFile(file)) if (l.kind === 'record') out.push(l.record);
  return out.sort((a, b) => a.i - b.i);
}

/** What must be identical per request between a sharded run and one process. */
const identity = (r: RawRecord) => ({
  i: r.i,
  s: r.s,
  w: r.w,
  n: r.n,
  st: r.st,
  ek: r.ek,
  iu: r.iu,
  io: r.io,
  ou: r.ou,
  oo: r.oo,
  bo: r.bo,
  bi: r.bi,
});

export function assertSameRun(
  single: BenchResult,
  singleRecs: RawRecord[],
  merged: BenchResult,
  mergedRecs: RawRecord[],
): void {
  assert.deepEqual(
    mergedRecs.map(identity),
    singleRecs.map(identity),
    'record for record: same indices, steps, statuses, token and byte counts',
  );
  assert.equal(merged.steps.length, single.steps.length);
  for (let k = 0; k < single.steps.length; k++) {
    const a = single.steps[k];
    const b = merged.steps[k];
    assert.equal(b.label, a.label);
    assert.deepEqual(b.summary.counts, a.summary.counts, `${a.label}: request counts`);
    assert.equal(b.requests.sent, a.requests.sent, `${a.label}: sent`);
    for (const m of ['inputTokens', 'outputTokens'] as const) {
      const sum = (rs: RawRecord[]) =>
        rs.filter((r) => r.s === a.index && !r.w).reduce((t, r) => t + ((m === 'inputTokens' ? r.iu : r.ou) ?? 0), 0);
      assert.equal(sum(mergedRecs), sum(singleRecs), `${a.label}: ${m} total`);
    }
    // Timing noise only: the same model latency per request. On a shared 2-core machine the worker
    // processes' scheduling adds tens of ms, so the bound is loose; exactness is in the records above.
    const e2el = (s: typeof a) => s.summary.metrics.e2el.median;
    assert.ok(
      Math.abs(e2el(b) - e2el(a)) < Math.max(60, e2el(a)),
      `${a.label}: e2el median ${e2el(b).toFixed(1)} ms vs ${e2el(a).toFixed(1)} ms in one process`,
    );
  }
}
