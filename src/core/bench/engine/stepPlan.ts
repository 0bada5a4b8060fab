import type { StepInfo, StepLoad } from '../events';
import type { NormalizedSpec } from '../specNormalize';

function fmtRate(r: number): string {
  return r === Infinity ? 'inf' : Number(r.toPrecision(4)).toString();
}

/** "c=8", "rate=4/s", "b=8 c=4"… (batch size shown only when the group has batches). */
export function stepLabel(load: StepLoad, showBatch: boolean): string {
  const parts: string[] = [];
  if (showBatch) parts.push(`b=${load.batchSize}`);
  if (load.trace) parts.push(`trace ×${fmtRate(load.trace.speed)}`);
  if (load.sessions) return `${load.sessions.users} users × ${load.sessions.turns} turns`;
  parts.push(load.mode === 'concurrency' ? `c=${load.concurrency}` : `rate=${fmtRate(load.rate ?? 0)}/s`);
  if (load.sweepPhase === 'serial') parts.push('(serial)');
  if (load.sweepPhase === 'saturation') parts.push('(saturation)');
  return parts.join(' ');
}

export function batchSizesOf(spec: NormalizedSpec): number[] {
  if (spec.group === 'image-classification') return spec.image.batchSizes;
  if (spec.group === 'embeddings') return spec.embeddings.batchSizes;
  return [1];
}

export function stepInfo(spec: NormalizedSpec, index: number, load: StepLoad): StepInfo {
  const info: StepInfo = { index, label: stepLabel(load, spec.group !== 'text-generation'), load, warmup: spec.warmup };
  if (spec.requests !== undefined) info.requests = spec.requests;
  if (spec.durationSec !== undefined) info.durationSec = spec.durationSec;
  return info;
}

/** The steps of a concurrency or rate run: every batch size × every load level, in that order. */
export function fixedSteps(spec: NormalizedSpec): StepLoad[] {
  const out: StepLoad[] = [];
  for (const batchSize of batchSizesOf(spec)) {
    if (spec.load.mode === 'concurrency')
      for (const c of spec.load.concurrency) out.push({ mode: 'concurrency', concurrency: c, batchSize });
    else
      for (const r of spec.load.rate) out.push({ mode: 'rate', rate: r, burstiness: spec.load.burstiness, batchSize });
  }
  return out;
}

/**
 * The rates a sweep tries between the serial throughput (one request at a
 * time) and the saturated one: `points` rates spaced evenly, ends excluded
 * (they were just measured), as GuideLLM's sweep does.
 */
export function sweepRates(serial: number, saturated: number, points: number): number[] {
  if (!(serial > 0) || !(saturated > serial)) return [];
  return Array.from({ length: points }, (_, k) => serial + ((saturated - serial) * (k + 1)) / (points + 1));
}
