/**
 * What a run reads or builds before its first request: the prompts of a
 * dataset (streamed from its file), and the facts about them that go into the
 * result's `workload` section.
 */
import type { NormalizedSpec } from '../specNormalize';
import { readDataset } from './datasets';
import { syntheticPrompts, type TextItem } from './textWorkload';

/** The result's account of where the prompts came from. */
export interface WorkloadInfo {
  dataset?: { path: string; format: string; prompts: number; read: number; skipped: number; skipReasons: string[] };
  /** A replayed trace: its lines that became requests, those skipped, and the span it recorded. */
  trace?: {
    file: string;
    format: string;
    speed: number;
    requests: number;
    skipped: number;
    skipReasons: string[];
    recordedSec: number;
  };
  /** Shared-prefix groups: how many, and the prefix length in the server's tokens. */
  sharedPrefix?: { groups: number; tokens: number };
}

export interface PreparedWorkload {
  /** Text generation: the prompt pool requests cycle through. */
  textItems?: TextItem[];
  info: WorkloadInfo;
}

export async function prepareWorkload(spec: NormalizedSpec, signal?: AbortSignal): Promise<PreparedWorkload> {
  if (spec.group !== 'text-generation') return { info: {} };
  const t = spec.text;
  if (!t.dataset) return { textItems: syntheticPrompts(t, spec.seed), info: {} };
  const ds = await readDataset({
    path: t.dataset,
    format: t.datasetFormat,
    promptField: t.promptField,
    maxPrompts: t.maxPrompts ?? 1024,
    outputTokens: t.outputTokens,
    seed: spec.seed,
    signal,
    ...(spec.load.sessions?.fromDataset && { turns: spec.load.sessions.turns }),
  });
  return {
    textItems: ds.items,
    info: {
      dataset: {
        path: t.dataset,
        format: ds.format,
        prompts: ds.items.length,
        read: ds.read,
        skipped: ds.skipped,
        skipReasons: ds.skipReasons,
      },
    },
  };
}
