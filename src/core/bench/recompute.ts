/**
 * Summaries from a records file, for any profile: switching profile in the
 * results view, or rebuilding a run's summaries after a crash from the
 * records alone (their step markers carry each step's window).
 */
import { createAccumulator } from './profiles/profiles';
import type { ProfileAccumulator, ProfileOptions, StepSummary, StepWindow } from './profiles/summary';
import { readRecordsFile } from './recordsFile';
import type { StepMarker } from './record';
import { goodputVerdict, type BenchResult } from './result';
import type { ProfileName } from './spec';

export interface FileSummaries {
  summaries: Map<number, StepSummary>;
  /** Steps as the file's markers describe them (label, window). */
  steps: Map<number, StepMarker>;
}

/**
 * One pass over the file: every record goes to its step's accumulator.
 * `windows` (from a result) takes precedence over the file's markers; a step
 * without a closing marker (a crash) ends at its last request's end.
 */
export async function summarizeRecordsFile(
  file: string,
  profile: ProfileName,
  opts: ProfileOptions,
  windows?: Map<number, StepWindow>,
): Promise<FileSummaries> {
  const acc = new Map<number, ProfileAccumulator>();
  const steps = new Map<number, StepMarker>();
  const lastEnd = new Map<number, number>();
  for await (const line of readRecordsFile(file)) {
    if (line.kind === 'step') steps.set(line.step.index, { ...steps.get(line.step.index), ...line.step });
    if (line.kind !== 'record') continue;
    const r = line.record;
    let a = acc.get(r.s);
    if (!a) acc.set(r.s, (a = createAccumulator(profile, opts)));
    a.add(r);
    if (!r.w) lastEnd.set(r.s, Math.max(lastEnd.get(r.s) ?? -Infinity, r.t + r.e));
  }
  const summaries = new Map<number, StepSummary>();
  for (const [index, a] of [...acc].sort((x, y) => x[0] - y[0])) {
    const m = steps.get(index);
    const w = windows?.get(index) ?? { start: m?.start ?? 0, end: m?.end ?? lastEnd.get(index) ?? m?.start ?? 0 };
    summaries.set(index, a.finish(w));
  }
  return { summaries, steps };
}

/** The same result with every step's summary recomputed from the raw records for `profile`. */
export async function recomputeProfile(
  result: BenchResult,
  recordsPath: string,
  profile: ProfileName,
): Promise<BenchResult> {
  const windows = new Map(result.steps.map((s) => [s.index, { start: s.window.startMs, end: s.window.endMs }]));
  const opts = {
    group: result.config.group,
    percentiles: result.config.percentiles,
    slo: result.config.slo,
    adapters: result.config.text?.lora?.map((a) => a.name),
  };
  const { summaries } = await summarizeRecordsFile(recordsPath, profile, opts, windows);
  const steps = result.steps.map((s) => ({
    ...s,
    summary: summaries.get(s.index) ?? createAccumulator(profile, opts).finish(windows.get(s.index)!),
  }));
  const out: BenchResult = { ...result, profile, config: { ...result.config, profile }, steps };
  const goodput = goodputVerdict(result.config, steps);
  if (goodput) out.goodput = goodput;
  return out;
}
