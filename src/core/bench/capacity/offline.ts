/**
 * MLPerf's Offline scenario: every query is issued at once and the run is
 * judged on throughput (samples/s; tokens/s for LLMs). One verdict per step
 * (per batch size for the image and embeddings groups): PASS when every query
 * was answered and, where a target is given, the group's throughput reaches
 * it. The latency it reports is MLPerf's nearest-rank p99 (the value at rank
 * ⌈0.99·n⌉ of the sorted latencies), from the query's issue.
 */
import { rateKey, rateName } from '../../../shared/resultMetrics';
import { isSuccess, type RawRecord } from '../record';
import type { StepResult } from '../result';
import type { NormalizedSpec } from '../specNormalize';
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

export function offlineVerdict(spec: NormalizedSpec, step: StepResult, c: OfflineCollector): OfflineVerdict {
  const o = spec.load.offline!;
  const id = spec.group === 'text-generation' ? 'outputTokensPerSec' : 'itemsPerSec';
  const key = rateKey(id, spec.profile, spec.group);
  const throughput = (key && step.summary.throughput[key]?.value) || 0;
  const unit = rateName(id, spec.group).unit;
  const p99 = nearestRank(Float64Array.from(c.latencies).sort(), 99);
  const allAnswered = c.answered === o.queries && !step.incomplete;
  const fast = o.minThroughput === undefined || throughput >= o.minThroughput;
  const pass = allAnswered && fast;
  const batch = spec.group === 'text-generation' ? '' : `, batch ${step.load.batchSize}`;
  const target = o.minThroughput === undefined ? '' : ` ${fast ? '≥' : '<'} ${fmt(o.minThroughput)} asked`;
  const line = `Offline (${o.queries} queries at once${batch}): ${fmt(throughput)} ${unit}${target}, ${c.answered}/${o.queries} answered, p99 latency ${fmt(p99)} ms (nearest rank) → ${pass ? 'PASS' : 'FAIL'}`;
  const out: OfflineVerdict = {
    step: step.index,
    batchSize: step.load.batchSize,
    queries: o.queries,
    answered: c.answered,
    throughput,
    unit,
    p99Ms: p99,
    pass,
    line,
  };
  if (o.minThroughput !== undefined) out.minThroughput = o.minThroughput;
  return out;
}
