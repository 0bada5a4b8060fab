/**
 * Shared pieces of the peer-result importers: the error every bad file gives,
 * distributions from a peer's statistics block, and the result an import
 * becomes. An imported run is an ordinary BenchResult whose `tool` is the
 * peer (name and version as the file states them) and whose `imported` field
 * names the file and format; every metric label says "as reported by <tool>
 * <version>". Where the file holds per-request data, `records` rebuilds our
 * raw records from it, so any of our profiles can be recomputed.
 */
import path from 'node:path';
import type { Distribution } from '../../stats/describe';
import type { StepLoad } from '../../bench/events';
import type { MetricSummary, StepSummary } from '../../bench/profiles/summary';
import { EV_CHOICE, EV_DONE, EV_READ, EV_TEXT, EV_USAGE, type RawRecord } from '../../bench/record';
import { machineFacts, resultSchemaId, resultSchemaVersion, type BenchResult } from '../../bench/result';
import type { BenchApi, BenchSpec, ProfileName } from '../../bench/spec';
import { normalizeSpec } from '../../bench/specNormalize';

/** A file that cannot be imported: the message names the file and what is wrong with it. */
export class ImportError extends Error {
  override readonly name = 'ImportError';
  constructor(file: string, what: string) {
    super(`${path.basename(file)}: ${what}`);
  }
}

export interface ImportedStep {
  label: string;
  load: StepLoad;
  summary: StepSummary;
  /** Rebuilt raw records of this step (times in ms since the run's first send). */
  records?: RawRecord[];
}

export interface ImportedRun {
  result: BenchResult;
  /** Every step's records, step indexes set; absent without per-request data. */
  records?: RawRecord[];
}

export type Json = Record<string, unknown>;

export const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** "as reported by GuideLLM 0.8.1" */
export function reportedBy(tool: string, version: string | undefined): string {
  return `as reported by ${tool}${version ? ` ${version}` : ' (version not recorded in the file)'}`;
}

/** A distribution from whatever statistics a peer wrote; missing figures are NaN (written null). */
export function dist(
  d: {
    count?: number;
    mean?: number;
    std?: number;
    median?: number;
    min?: number;
    max?: number;
    percentiles?: Record<string, number | undefined>;
  },
  scale = 1,
): Distribution {
  const s = (v: number | undefined) => (v === undefined ? NaN : v * scale);
  const percentiles: Record<string, number> = {};
  for (const [k, v] of Object.entries(d.percentiles ?? {})) if (v !== undefined) percentiles[k] = v * scale;
  const median = d.median ?? d.percentiles?.['50'];
  return {
    count: d.count ?? NaN,
    mean: s(d.mean),
    std: s(d.std),
    median: s(median),
    min: s(d.min),
    max: s(d.max),
    percentiles,
  };
}

export function labelled(label: string, unit: string, d: Distribution, by: string): MetricSummary {
  return { label: `${label} (${by})`, unit, ...d };
}

export interface RunFacts {
  file: string;
  format: string;
  tool: string;
  version?: string;
  profile: ProfileName;
  url?: string;
  model?: string;
  api?: BenchApi;
  startedAt?: string;
  finishedAt?: string;
  requests?: number;
  warnings?: string[];
}

const isoOrNow = (s: string | undefined) => {
  const d = s ? new Date(s) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d.toISOString() : new Date().toISOString();
};

/** The BenchResult an import becomes: one step per benchmark the file holds. */
export function importedRun(f: RunFacts, steps: ImportedStep[]): ImportedRun {
  if (!steps.length) throw new ImportError(f.file, `no benchmark found in this ${f.format} file`);
  const first = steps[0].load;
  const spec: BenchSpec = {
    url: f.url ?? 'imported',
    group: 'text-generation',
    model: f.model,
    api: f.api,
    profile: f.profile,
    load:
      first.mode === 'concurrency'
        ? { concurrency: steps.map((s) => s.load.concurrency ?? 1) }
        : { rate: steps.map((s) => s.load.rate ?? Infinity) },
    ...(f.requests ? { requests: f.requests } : {}),
  };
  const config = normalizeSpec(spec);
  const withRecords = steps.some((s) => s.records?.length);
  const records: RawRecord[] = [];
  const result: BenchResult = {
    schema: resultSchemaId,
    schemaVersion: resultSchemaVersion,
    tool: { name: f.tool, version: f.version ?? 'unknown' },
    imported: { file: path.basename(f.file), format: f.format, perRequest: withRecords },
    startedAt: isoOrNow(f.startedAt),
    finishedAt: isoOrNow(f.finishedAt ?? f.startedAt),
    machine: machineFacts(),
    server: { url: f.url ?? 'unknown (imported)', model: f.model },
    config: { ...config, api: f.api ?? 'openai-completions', model: f.model ?? '' },
    profile: f.profile,
    recordsPath: '',
    incomplete: false,
    clientBound: false,
    clientBoundReasons: [],
    steps: steps.map((s, index) => {
      const recs = s.records ?? [];
      for (const r of recs) records.push({ ...r, s: index });
      const startMs = recs.length ? Math.min(...recs.map((r) => r.t)) : 0;
      const endMs = recs.length ? Math.max(...recs.map((r) => r.t + r.e)) : s.summary.durationSec * 1000;
      return {
        index,
        label: s.label,
        load: s.load,
        window: { startMs, endMs },
        requests: { sent: s.summary.counts.total, warmup: 0 },
        selfCheck: { eventLoopDelayP99Ms: NaN, eventLoopDelayMaxMs: NaN, cpuPercent: NaN },
        clientBound: false,
        clientBoundReasons: [],
        incomplete: false,
        summary: s.summary,
      };
    }),
    warnings: [
      `Imported from ${path.basename(f.file)} (${f.format}); every figure is ${reportedBy(f.tool, f.version)}.`,
      ...(f.warnings ?? []),
    ],
  };
  return withRecords ? { result, records } : { result };
}

/** Step label and load from a concurrency or a rate. */
export function loadOf(concurrency: number | undefined, rate: number | undefined): { label: string; load: StepLoad } {
  if (concurrency !== undefined)
    return { label: `c=${concurrency}`, load: { mode: 'concurrency', concurrency, batchSize: 1 } };
  const r = rate ?? Infinity;
  return { label: `rate=${r === Infinity ? 'inf' : r}`, load: { mode: 'rate', rate: r, batchSize: 1 } };
}

/** Streamed events of a rebuilt record: each chunk its own read with text and choices, then usage and [DONE] at the end. */
export function chunkEvents(chunkMs: number[], endMs: number, usage: boolean): number[] {
  const ev: number[] = [];
  for (const t of chunkMs) ev.push(t, EV_CHOICE | EV_TEXT | EV_READ);
  if (usage) ev.push(endMs, EV_USAGE | EV_READ);
  ev.push(endMs, EV_DONE);
  return ev;
}
