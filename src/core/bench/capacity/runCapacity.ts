/**
 * Capacity under an SLO: for each batch size, a search (search.ts) over
 * request rate or concurrency whose every point is one benchmark step,
 * stopped by its statistical rule (judge.ts). Every point tried is kept: as
 * a step of the result, and as a point of `result.capacity` with its
 * verdict, the shares over each bound with their confidence bounds, and an
 * MLPerf-style scenario line judged on nearest-rank percentiles.
 */
import type { StepLoad } from '../events';
import type { RawRecord } from '../record';
import type { StepResult } from '../result';
import type { Slo } from '../spec';
import type { NormalizedCapacity, NormalizedSpec } from '../specNormalize';
import { SloJudge, type PointJudgement, type SloMetric } from './judge';
import { CapacitySearch } from './search';

export interface CapacityPoint {
  /** Index of the step that measured it. */
  step: number;
  load: number;
  judgement: PointJudgement;
  /** MLPerf-style scenario verdict for this point (Server: Poisson arrivals; closed loop for concurrency). */
  scenario: { pass: boolean; line: string };
}

export interface CapacitySearchResult {
  batchSize: number;
  /** Highest load that met the SLO (null: none did), lowest that did not (null: none failed up to max). */
  capacity: number | null;
  failedAt: number | null;
  points: CapacityPoint[];
  statement: string;
}

export interface CapacityResult {
  dimension: 'rate' | 'concurrency';
  criterion: 'percentile' | 'goodput';
  percentile: number;
  minGoodput?: number;
  confidence: number;
  resolution: number;
  slo: Slo;
  searches: CapacitySearchResult[];
}

const names: Record<SloMetric, string> = { ttft: 'TTFT', tpot: 'TPOT', e2el: 'E2E latency' };
const fmt = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : String(v));

/** "p99 TTFT ≤ 500 ms and p99 TPOT ≤ 50 ms", or "90 % of requests within TTFT ≤ 500 ms and …". */
export function sloText(
  slo: Slo,
  c: Pick<NormalizedCapacity, 'criterion' | 'percentile'>,
  minGoodput?: number,
): string {
  const bounds = (['ttft', 'tpot', 'e2el'] as const).filter((m) => slo[m] !== undefined);
  if (c.criterion === 'goodput')
    return `${fmt(100 * (minGoodput ?? 1))} % of requests within ${bounds.map((m) => `${names[m]} ≤ ${slo[m]} ms`).join(' and ')}`;
  return bounds.map((m) => `p${fmt(c.percentile)} ${names[m]} ≤ ${slo[m]} ms`).join(' and ');
}

function unit(dimension: 'rate' | 'concurrency'): (v: number) => string {
  return dimension === 'rate' ? (v) => `${fmt(v)} req/s` : (v) => `concurrency ${v}`;
}

function scenarioLine(
  spec: NormalizedSpec,
  c: NormalizedCapacity,
  load: number,
  j: PointJudgement,
): CapacityPoint['scenario'] {
  const q = c.criterion === 'goodput' ? 100 * (spec.minGoodput ?? 1) : c.percentile;
  const parts: string[] = [];
  let pass = true;
  for (const m of ['ttft', 'tpot', 'e2el'] as const) {
    const bound = spec.slo?.[m];
    const v = j.nearestRank[m];
    if (bound === undefined || v === undefined) continue;
    const ok = v <= bound;
    pass &&= ok;
    parts.push(`p${fmt(q)} ${names[m]} ${fmt(v)} ms ${ok ? '≤' : '>'} ${bound}`);
  }
  const scenario = c.dimension === 'rate' ? 'Server (Poisson arrivals)' : 'closed loop';
  return {
    pass,
    line: `${scenario} at ${unit(c.dimension)(load)}: ${parts.join(', ')} (nearest rank, ${j.requests} requests) → ${pass ? 'PASS' : 'FAIL'}`,
  };
}

function statement(spec: NormalizedSpec, c: NormalizedCapacity, s: CapacitySearchResult, showBatch: boolean): string {
  const u = unit(c.dimension);
  const slo = sloText(spec.slo ?? {}, c, spec.minGoodput);
  const conf = `${fmt(100 * c.confidence)} % confidence`;
  const at = (v: number) => s.points.find((p) => p.load === v)!;
  const batch = showBatch ? `batch ${s.batchSize}: ` : '';
  if (s.capacity === null) {
    const low = s.failedAt !== null ? at(s.failedAt) : undefined;
    return `${batch}no load tried met ${slo}${low ? `: the lowest, ${u(low.load)}, ${low.judgement.verdict === 'fail' ? `failed (${conf}, ${low.judgement.requests} requests)` : `was inconclusive after ${low.judgement.requests} requests`}` : ''}.`;
  }
  const ok = at(s.capacity);
  const held = `${slo} holds at ${u(s.capacity)} (${conf}, ${ok.judgement.requests} requests)`;
  if (s.failedAt === null) return `${batch}capacity at least ${u(s.capacity)}, the highest load tried: ${held}.`;
  const bad = at(s.failedAt);
  const broke =
    bad.judgement.verdict === 'fail'
      ? `fails at ${u(s.failedAt)} (${conf}, ${bad.judgement.requests} requests)`
      : `could not be shown at ${u(s.failedAt)} (inconclusive after ${bad.judgement.requests} requests)`;
  return `${batch}capacity ${u(s.capacity)}: ${held}; it ${broke}.`;
}

/**
 * Runs the searches. `runPoint` runs one step at the given load with the
 * point hooks (observe every measured record, stop when decided).
 */
export async function searchCapacity(
  spec: NormalizedSpec,
  batchSizes: number[],
  runPoint: (
    load: StepLoad,
    point: { requests: number; observe(r: RawRecord): void; stop(): boolean },
  ) => Promise<StepResult>,
  signal?: AbortSignal,
): Promise<CapacityResult> {
  const c = spec.load.capacity!;
  const out: CapacityResult = {
    dimension: c.dimension,
    criterion: c.criterion,
    percentile: c.percentile,
    confidence: c.confidence,
    resolution: c.resolution,
    slo: { ...spec.slo },
    searches: [],
  };
  if (spec.minGoodput !== undefined) out.minGoodput = spec.minGoodput;
  for (const batchSize of batchSizes) {
    if (signal?.aborted) break;
    const search = new CapacitySearch({ dimension: c.dimension, start: c.start, max: c.max, resolution: c.resolution });
    const result: CapacitySearchResult = { batchSize, capacity: null, failedAt: null, points: [], statement: '' };
    for (let load = search.next(); load !== undefined && !signal?.aborted; load = search.next()) {
      const judge = new SloJudge({
        slo: spec.slo!,
        criterion: c.criterion,
        percentile: c.percentile,
        minGoodput: spec.minGoodput,
        confidence: c.confidence,
        minRequests: c.minRequests,
        maxRequests: c.maxRequests,
      });
      const stepLoad: StepLoad =
        c.dimension === 'rate'
          ? { mode: 'rate', rate: load, burstiness: spec.load.burstiness, batchSize }
          : { mode: 'concurrency', concurrency: load, batchSize };
      const step = await runPoint(stepLoad, {
        requests: c.maxRequests,
        observe: (r) => judge.add(r),
        stop: () => judge.decided,
      });
      if (step.incomplete) break; // cancelled: this point has no verdict
      const judgement = judge.finish();
      search.record(load, judgement.verdict);
      result.points.push({ step: step.index, load, judgement, scenario: scenarioLine(spec, c, load, judgement) });
    }
    result.capacity = search.pass ?? null;
    result.failedAt = search.fail ?? null;
    result.statement = statement(spec, c, result, batchSizes.length > 1 || spec.group !== 'text-generation');
    out.searches.push(result);
  }
  return out;
}
