/**
 * The result file (schema/result.schema.json, versioned): what ran, where, on
 * what, and each step's summary for the chosen profile. The raw records stay
 * in their own JSONL file, named by `recordsPath`.
 */
import os from 'node:os';
import pkg from '../../../package.json';
import type { StepLoad } from './events';
import type { StepSummary } from './profiles/summary';
import type { ServerMetricsResult } from './serverMetrics/types';
import type { BenchApi, ProfileName } from './spec';
import type { NormalizedSpec } from './specNormalize';
import type { WorkloadInfo } from './workload/prepare';
import type { CapacityResult } from './capacity/runCapacity';
import type { OfflineVerdict } from './capacity/offline';
import type { SessionFacts } from './workload/sessions';

export const resultSchemaId = 'inference-lab/bench-result';
export const resultSchemaVersion = 1;

export interface MachineFacts {
  platform: string;
  arch: string;
  cpuModel: string;
  cpus: number;
  totalMemoryBytes: number;
  node: string;
}

export interface ServerFacts {
  /** The URL without credentials or query. */
  url: string;
  kind?: string;
  version?: string;
  model?: string;
  /** Ray Serve: the route prefix of the application serving the model; every request went under it. */
  route?: string;
  /** Text generation: which tokenizer gave the prompt lengths (the server's tokenize endpoint, or our own count). */
  tokenizer?: string;
  /** GPU figures when the server's metrics report them. */
  gpu?: { utilization?: number; memoryUsedBytes?: number; memoryTotalBytes?: number };
}

export interface OpenLoopFacts {
  targetRate: number;
  /** Requests on the schedule / the schedule's span (a Poisson schedule is never exactly the target). */
  scheduledRate: number;
  /** Requests sent / span of the actual sends. */
  achievedRate: number;
  /** Actual send − scheduled send (ms). */
  sendDelayP50Ms: number;
  sendDelayP99Ms: number;
  /** The in-flight cap made requests wait. */
  capped: boolean;
}

/** A trace replay: the schedule asked for and how well it was kept. */
export interface TraceFacts {
  /** Requests sent from the trace, and lines skipped (with why). */
  requests: number;
  skipped: number;
  skipReasons: string[];
  /** Span of the schedule at the replay speed (s). */
  scheduleSec: number;
  /** Requests / schedule span, and requests sent / span of the actual sends. */
  requestedRate: number;
  achievedRate: number;
  /** Actual send − scheduled send (ms). */
  latenessP50Ms: number;
  latenessP99Ms: number;
  latenessMaxMs: number;
  /** Sends more than 10 ms late. */
  lateOver10Ms: number;
}

/** Prefix-cache hits as the responses' usage reported them (successful measured requests that had the field). */
export interface UsageCacheFacts {
  requests: number;
  promptTokens: number;
  cachedTokens: number;
  /** cachedTokens / promptTokens. */
  hitRate: number;
}

/** The run's prefix-cache hit rate: from the server's counters over the run, and from the responses' usage. */
export interface PrefixCacheResult {
  /** Hits and queries (tokens) counted by the server between the first and last scrape (its metric names in `source`). */
  server?: { queries: number; hits: number; hitRate: number; source: string };
  /** Summed over every step's `prefixCache`. */
  usage?: UsageCacheFacts;
}

export interface StepResult {
  index: number;
  label: string;
  load: StepLoad;
  /** Measured phase, ms since run start (what profiles divide by, and what recomputation needs). */
  window: { startMs: number; endMs: number };
  requests: { sent: number; warmup: number };
  openLoop?: OpenLoopFacts;
  trace?: TraceFacts;
  /** Prompt tokens the server reported cached (`usage.prompt_tokens_details.cached_tokens`), when it reports them. */
  prefixCache?: UsageCacheFacts;
  /** Multi-turn sessions: TTFT and prompt length by turn index, and per-conversation figures. */
  sessions?: SessionFacts;
  selfCheck: { eventLoopDelayP99Ms: number; eventLoopDelayMaxMs: number; cpuPercent: number };
  clientBound: boolean;
  clientBoundReasons: string[];
  /** The run was cancelled during this step: its summary covers what completed. */
  incomplete: boolean;
  /** Why measured requests failed, most frequent first (absent when none failed). */
  failures?: FailureCount[];
  summary: StepSummary;
}

/** One distinct failure of a step: error kind, message (as recorded) and how often it happened. */
export interface FailureCount {
  kind: string;
  message: string;
  count: number;
}

export interface BenchResult {
  schema: typeof resultSchemaId;
  schemaVersion: typeof resultSchemaVersion;
  tool: { name: string; version: string };
  /** Set on a run imported from a peer tool's result file (`tool` is then the peer). */
  imported?: { file: string; format: string; perRequest: boolean };
  startedAt: string;
  finishedAt: string;
  machine: MachineFacts;
  server: ServerFacts;
  /** The normalized spec as run, with the API and model resolved. */
  config: NormalizedSpec & { api: BenchApi; model: string };
  profile: ProfileName;
  recordsPath: string;
  incomplete: boolean;
  incompleteReason?: string;
  /** Why an incomplete run stopped. */
  stoppedBy?: 'cancelled' | 'server-failed';
  clientBound: boolean;
  clientBoundReasons: string[];
  steps: StepResult[];
  /** A capacity search: each load tried with its verdict, and the capacity found per batch size. */
  capacity?: CapacityResult;
  /** MLPerf Offline scenario: one verdict per step (batch size), judged on throughput. */
  offline?: OfflineVerdict[];
  /** Prefix-cache hit rate of the run (server counters and/or usage.prompt_tokens_details), when either reports one. */
  prefixCache?: PrefixCacheResult;
  /** Where the prompts came from (dataset file, entries read and skipped), when not synthetic. */
  workload?: WorkloadInfo;
  /** Present when an SLO was given: did every step reach `minGoodput`? */
  goodput?: { minGoodput?: number; worstRatio: number; met: boolean };
  warnings: string[];
  /** Server, GPU and container series read during the run, time-aligned with the records. */
  serverMetrics?: ServerMetricsResult;
  /** Set by a worker that ran one shard: which one, and its run start (t = 0) on its own wall clock (epoch ms, µs resolution). */
  shard?: { index: number; count: number; originWallMs: number };
  /** Set on a merged result: the workers whose records it was computed from (scale/merge.ts). */
  workers?: WorkerFacts[];
}

/** One worker of a scaled-out run, as the merged result lists it. */
export interface WorkerFacts {
  /** "1/3", … */
  shard: string;
  /** Where it ran: "thread 2", "docker default: <container id>", "k8s ctx/ns: <pod>", "file <path>". */
  where: string;
  /** Coordinator clock − worker clock (ms), measured at start and end; how it was measured. */
  clock: {
    offsetStartMs?: number;
    offsetEndMs?: number;
    roundTripMs?: number;
    method: 'round-trip' | 'same-clock' | 'wall-clock';
  };
  /** Requests it sent (measured phases), and whether it ended early. */
  sent: number;
  incomplete: boolean;
  clientBoundReasons: string[];
  cpuPercentMax: number;
}

/** Did every step reach `minGoodput`? Undefined when no SLO was given. */
export function goodputVerdict(
  spec: { slo?: unknown; minGoodput?: number },
  steps: StepResult[],
): BenchResult['goodput'] {
  if (!spec.slo) return undefined;
  const ratios = steps.map((s) => s.summary.goodput?.ratio ?? 0);
  const worstRatio = ratios.length ? Math.min(...ratios) : 0;
  return {
    minGoodput: spec.minGoodput,
    worstRatio,
    met: spec.minGoodput === undefined || (steps.length > 0 && worstRatio >= spec.minGoodput),
  };
}

export const toolInfo = { name: 'inference-lab', version: String(pkg.version) };

export function machineFacts(): MachineFacts {
  const cpus = os.cpus();
  return {
    platform: os.platform(),
    arch: os.arch(),
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    cpus: cpus.length,
    totalMemoryBytes: os.totalmem(),
    node: process.version,
  };
}

/**
 * JSON text of a result: Infinity (rate "inf") becomes "inf" and NaN becomes
 * null, which plain JSON.stringify would turn into null and lose.
 */
export function resultToJson(r: BenchResult): string {
  return JSON.stringify(
    r,
    (_k, v: unknown) => (typeof v === 'number' ? (v === Infinity ? 'inf' : Number.isNaN(v) ? null : v) : v),
    2,
  );
}

/** Keys whose value may be Infinity (written "inf"); array items of `rate` come with numeric keys. */
const infinityKeys = new Set(['rate', 'burstiness', 'targetRate', 'scheduledRate', 'achievedRate']);

/** Parses a result file's text, turning "inf" back into Infinity where a number belongs. */
export function resultFromJson(text: string): BenchResult {
  return JSON.parse(text, (k, v: unknown) =>
    v === 'inf' && (infinityKeys.has(k) || /^\d+$/.test(k)) ? Infinity : v,
  ) as BenchResult;
}
