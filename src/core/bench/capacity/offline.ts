/**
 * MLPerf's Offline scenario: every query is issued at once and the run is
 * judged on throughput (samples/s; tokens/s for LLMs). One verdict per step
 * (per batch size for the image and embeddings groups): PASS when every query
 * was answered and, where a target is given, the group's throughput reaches
 * it. The latency it reports is MLPerf's nearest-rank p99 (the value at rank
 * ⌈0.99·n⌉ of the sorted latencies), from the query's issue.
 *
 * Validity as the MLPerf loadgen judges an Offline run ("Result is : VALID"):
 * the run lasts at least min_duration (its longest latency from the queries'
 * issue, the loadgen's max_latency; 600 s by default) and holds at least
 * min_query_count queries (24576 by default). A run short of either is
 * INVALID whatever its throughput, and the line says which minimum it missed;
 * lower minimums set in the spec are named in the line.
 */
import { rateKey, rateName } from '../../../shared/resultMetrics';
import { isSuccess, type RawRecord } from '../record';
import type { StepResult } from '../result';
import { mlperfOfflineMinimums, type NormalizedSpec } from '../specNormalize';
import { nearestRank } from './judge';

export interface OfflineVerdict {
  step: number;
  batchSize: number;
  queries: number;
  answered: number;
  /** The group's throughput from the step's summary: output tokens/s (text), images/s, inputs/s. */
  throughput: number;
  unit: string;
  minThroughput?: number;
  /** Nearest-rank p99 of latency from issue to the last byte, ms (answered queries). */
  p99Ms: number;
  /** The longest latency from the queries' issue, s: how long the run lasted, as the loadgen's max_latency. */
  durationSec: number;
  /** The minimums a valid run reaches (MLPerf's unless the spec lowered them). */
  minDurationSec: number;
  minQueries: number;
  /** Long enough and with enough queries (the loadgen's "Result is : VALID"). */
  valid: boolean;
  /** Why the run is INVALID, e.g. "ran 12 s < 600 s minimum" (empty when valid). */
  invalidReasons: string[];
  /** VALID, every query answered and the throughput target (if any) reached. */
  pass: boolean;
  line: string;
}

/** Collects one Offline step's measured records (the step's `point.observe`). */
export class OfflineCollector {
  readonly latencies: number[] = [];
  answered = 0;
  seen = 0;

  observe(r: RawRecord): void {
    this.seen++;
    if (!isSuccess(r)) return;
    this.answered++;
    this.latencies.push(r.t - r.q + r.e);
  }
}

const fmt = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(5)).toString() : String(v));
/** Seconds to three significant digits: 0.429, 12.3, 612. */
const secs = (v: number) => Number(v.toPrecision(3)).toString();

export function offlineVerdict(spec: NormalizedSpec, step: StepResult, c: OfflineCollector): OfflineVerdict {
  const o = spec.load.offline!;
  const id = spec.group === 'text-generation' ? 'outputTokensPerSec' : 'itemsPerSec';
  const key = rateKey(id, spec.profile, spec.group);
  const throughput = (key && step.summary.throughput[key]?.value) || 0;
  const unit = rateName(id, spec.group).unit;
  const p99 = nearestRank(Float64Array.from(c.latencies).sort(), 99);
  const allAnswered = c.answered === o.queries && !step.incomplete;
  const fast = o.minThroughput === undefined || throughput >= o.minThroughput;
  const durationSec = c.latencies.reduce((m, v) => Math.max(m, v), 0) / 1000;
  const invalidReasons = [
    ...(durationSec >= o.minDurationSec ? [] : [`ran ${secs(durationSec)} s < ${o.minDurationSec} s minimum`]),
    ...(o.queries >= o.minQueries ? [] : [`${o.queries} queries < ${o.minQueries} minimum`]),
  ];
  const valid = invalidReasons.length === 0;
  const pass = valid && allAnswered && fast;
  const mlperf = mlperfOfflineMinimums;
  const minimums =
    o.minDurationSec === mlperf.durationSec && o.minQueries === mlperf.queries
      ? `MLPerf's minimums: ${mlperf.durationSec} s, ${mlperf.queries} queries`
      : `minimums set in the spec: ${o.minDurationSec} s, ${o.minQueries} queries; MLPerf's are ${mlperf.durationSec} s, ${mlperf.queries}`;
  const batch = spec.group === 'text-generation' ? '' : `, batch ${step.load.batchSize}`;
  const target = o.minThroughput === undefined ? '' : ` ${fast ? '≥' : '<'} ${fmt(o.minThroughput)} asked`;
  const verdict = valid
    ? `${pass ? 'PASS' : 'FAIL'} (valid; ${minimums})`
    : `INVALID: ${invalidReasons.join('; ')} (${minimums})`;
  const line = `Offline (${o.queries} queries at once${batch}): ${fmt(throughput)} ${unit}${target}, ${c.answered}/${o.queries} answered, p99 latency ${fmt(p99)} ms (nearest rank), ran ${secs(durationSec)} s → ${verdict}`;
  const out: OfflineVerdict = {
    step: step.index,
    batchSize: step.load.batchSize,
    queries: o.queries,
    answered: c.answered,
    throughput,
    unit,
    p99Ms: p99,
    durationSec,
    minDurationSec: o.minDurationSec,
    minQueries: o.minQueries,
    valid,
    invalidReasons,
    pass,
    line,
  };
  if (o.minThroughput !== undefined) out.minThroughput = o.minThroughput;
  return out;
}
