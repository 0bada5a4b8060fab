/**
 * The benchmark presets offered in the editor: small, honest starting points
 * per group. "quick" finishes in seconds against the embedded server,
 * "standard" measures a few load levels, "sweep" lets the engine find the
 * serial and saturated throughput and interpolate between them.
 */
import { groupEngines } from '../bench/groups';
import type { BenchGroup, BenchSpec } from '../bench/spec';

export type PresetName = 'quick' | 'standard' | 'sweep';

export const presetDescriptions: Record<PresetName, string> = {
  quick: 'A few seconds: 2 load levels, 20 requests each',
  standard: 'About a minute: 4 load levels, 100 requests each',
  sweep: 'Finds serial and saturated throughput, then rates in between',
};

export function presetSpec(preset: PresetName, group: BenchGroup, url: string, model?: string): BenchSpec {
  const base: BenchSpec = { url, group, model, load: {}, warmup: preset === 'quick' ? 2 : 5 };
  const workload = groupEngines[group].presetWorkload(preset === 'quick' ? [1, 8] : [1, 8, 32], preset === 'quick');
  switch (preset) {
    case 'quick':
      return { ...base, ...workload, load: { concurrency: [1, 4] }, requests: 20 };
    case 'standard':
      return { ...base, ...workload, load: { concurrency: [1, 4, 16, 32] }, requests: 100 };
    case 'sweep':
      return { ...base, ...workload, load: { sweep: { points: 4 } }, durationSec: 10 };
  }
}
