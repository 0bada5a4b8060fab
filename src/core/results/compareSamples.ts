/**
 * Per-request samples of each step, read from a run's raw records, for the
 * noise intervals of compare: latencies by the profile's own definition of
 * each metric (the same rules as src/core/bench/profiles), and completion
 * rates per time slice of the step's measured window.
 */
import { EV_CHOICE, EV_REASON, EV_TEXT, isSuccess, type RawRecord } from '../bench/record';
import { readRecordsFile } from '../bench/recordsFile';
import { eventTimes } from '../bench/profiles/timeline';
import type { BenchResult } from '../bench/result';
import type { LatencyId, RateId } from '../../shared/resultMetrics';
import type { StepSamples } from './compare';

/** One request's latencies (ms) as `profile` defines them; undefined where the request has none. */
export function requestLatencies(
  r: RawRecord,
  profile: BenchResult['profile'],
  text: boolean,
): Partial<Record<LatencyId, number>> {
  if (!text) return { e2e: r.e };
  const times = eventTimes(r, profile === 'vllm' ? EV_CHOICE : profile === 'aiperf' ? EV_TEXT | EV_REASON : EV_TEXT);
  if (!times.length) return profile === 'guidellm' ? { e2e: r.e } : {};
  const first = times[0];
  const last = times[times.length - 1];
  const out: Partial<Record<LatencyId, number>> = { ttft: first };
  if (profile === 'vllm') {
    const osl = r.ou || r.oo || 0;
    out.e2e = last;
    if (osl > 1) out.tpot = (last - first) / (osl - 1);
  } else if (profile === 'genai-perf' || profile === 'aiperf') {
    const osl = r.oo ?? 0;
    out.e2e = last;
    if (osl > 1) out.itl = (last - first) / (osl - 1);
  } else {
    const osl = r.ou ?? times.length;
    out.e2e = r.e;
    if (osl > 1) out.itl = (last - first) / (osl - 1);
    if (osl) out.tpot = last / osl;
  }
  return out;
}

class StepCollector {
  readonly lat: Partial<Record<LatencyId, number[]>> = {};
  /**
   * vLLM's ITL is every gap between chunks; the gaps of one request are not
   * independent, so its interval resamples requests: each request's mean gap.
   */
  readonly gaps: number[] = [];
  readonly slices: Record<'requests' | 'items' | 'tokens', Float64Array>;
  constructor(
    readonly startMs: number,
    readonly endMs: number,
    readonly count: number,
  ) {
    this.slices = {
      requests: new Float64Array(count),
      items: new Float64Array(count),
      tokens: new Float64Array(count),
    };
  }
  add(r: RawRecord, profile: BenchResult['profile'], text: boolean): void {
    for (const [k, v] of Object.entries(requestLatencies(r, profile, text)) as Array<[LatencyId, number]>)
      (this.lat[k] ??= []).push(v);
    if (text && profile === 'vllm') {
      const t = eventTimes(r, EV_CHOICE);
      if (t.length > 1) this.gaps.push((t[t.length - 1] - t[0]) / (t.length - 1));
    }
    const span = this.endMs - this.startMs;
    const i = Math.min(this.count - 1, Math.max(0, Math.floor(((r.t + r.e - this.startMs) / span) * this.count)));
    this.slices.requests[i]++;
    this.slices.items[i] += r.n;
    this.slices.tokens[i] += r.ou || r.oo || 0;
  }
  finish(text: boolean, profile: BenchResult['profile']): StepSamples {
    const sliceSec = (this.endMs - this.startMs) / 1000 / this.count;
    const perSec = (a: Float64Array) => a.map((v) => v / sliceSec);
    const latency: StepSamples['latency'] = {};
    for (const [k, v] of Object.entries(this.lat) as Array<[LatencyId, number[]]>) latency[k] = Float64Array.from(v);
    if (text && profile === 'vllm') latency.itl = Float64Array.from(this.gaps);
    const rates: Partial<Record<RateId, Float64Array>> = { requestsPerSec: perSec(this.slices.requests) };
    if (text) rates.outputTokensPerSec = perSec(this.slices.tokens);
    else rates.itemsPerSec = perSec(this.slices.items);
    return { latency, rates };
  }
}

/** Samples of every step of a run by step label; an empty map when the records cannot be read. */
export async function stepSamples(result: BenchResult, recordsPath: string): Promise<Map<string, StepSamples>> {
  const text = result.config.group === 'text-generation';
  const byIndex = new Map<number, { label: string; c: StepCollector }>();
  for (const s of result.steps) {
    const span = s.window.endMs - s.window.startMs;
    if (!(span > 0)) continue;
    // About one slice per second, at least 5 and at most 60.
    const count = Math.max(5, Math.min(60, Math.round(span / 1000)));
    byIndex.set(s.index, { label: s.label, c: new StepCollector(s.window.startMs, s.window.endMs, count) });
  }
  try {
    for await (const line of readRecordsFile(recordsPath)) {
      if (line.kind !== 'record') continue;
      const r = line.record;
      if (r.w || !isSuccess(r)) continue;
      byIndex.get(r.s)?.c.add(r, result.profile, text);
    }
  } catch {
    return new Map();
  }
  return new Map([...byIndex.values()].map(({ label, c }) => [label, c.finish(text, result.profile)]));
}
