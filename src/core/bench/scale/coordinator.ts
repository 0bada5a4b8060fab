/**
 * The coordinator of a scaled-out run: starts one worker per shard through a
 * launcher (worker threads, Docker containers, a Kubernetes Indexed Job),
 * answers their clock pings, merges their live snapshots into one progress
 * line (plus one per worker), collects their records, and computes the one
 * result from the merged records (merge.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { nullLogger, type Logger } from '../../util/logger';
import type { ProgressEvent, ProgressSnapshot } from '../events';
import type { BenchResult } from '../result';
import type { BenchSpec } from '../spec';
import { BenchSpecError } from '../specNormalize';
import { wallNow } from './clock';
import { mergeShards, type ShardOutput } from './merge';
import type { CoordinatorMessage, ShardJob, WorkerMessage } from './protocol';
import { formatShard } from './shard';

export interface WorkerEvents {
  /** A message from the worker; a returned reply goes back to it. */
  message(m: WorkerMessage): CoordinatorMessage | undefined;
  /** A raw record line, for transports that stream records (stdout, pod logs). */
  record(line: string): void;
  /** A line of the worker's own log. */
  log(line: string): void;
}

export interface WorkerControl {
  /** Where it runs, for the result's worker list ("thread 2", "docker default: 1f2e…"). */
  where: string;
  /** Settles when the worker is gone. */
  finished: Promise<void>;
  /** Asks it to stop and send what it measured. */
  cancel(): void;
  /** Sends it a message (two-way transports: the step barrier's go). */
  send?(m: CoordinatorMessage): void;
}

export interface WorkerLauncher {
  /** "worker threads", "Docker", "Kubernetes". */
  kind: string;
  /** Workers on this transport write their records file themselves (same filesystem). */
  writesRecords: boolean;
  /** Lead time before the common start: enough for every worker to come up and run its pre-flight. */
  startDelayMs(workers: number): number;
  launch(job: ShardJob, recordsPath: string, events: WorkerEvents): Promise<WorkerControl>;
  /** Removes what the launcher created (containers, the Job); called once, also after a failure. */
  dispose?(): Promise<void>;
}

export type WorkerState = 'starting' | 'running' | 'done' | 'failed' | 'cancelled';

/** Per-worker progress for the editor's run view. */
export interface WorkerProgress {
  shard: string;
  where?: string;
  state: WorkerState;
  snapshot?: ProgressSnapshot;
  message?: string;
}

export interface ScaleOptions {
  workers: number;
  /** The merged records file; per-shard files go to `<recordsPath>.shards/` and are removed after a successful merge. */
  recordsPath: string;
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
  onWorker?: (w: WorkerProgress) => void;
  logger?: Logger;
  progressIntervalMs?: number;
  /** Overrides the launcher's lead time before the common start. */
  startDelayMs?: number;
}

/**
 * Live progress from small per-worker snapshots: counts, in-flight and rates
 * add up; the latency percentiles shown live are the per-worker figures
 * weighted by completions (p50) and the worst worker (p99) — an
 * approximation for the live view only. The result is exact.
 */
export function mergeSnapshots(parts: ProgressSnapshot[]): ProgressSnapshot {
  const done = parts.reduce((a, p) => a + p.completed, 0);
  const weight = (p: ProgressSnapshot) => (done ? p.completed / done : 1 / parts.length);
  const out: ProgressSnapshot = {
    type: 'snapshot',
    step: parts[0].step,
    elapsedSec: Math.max(...parts.map((p) => p.elapsedSec)),
    intervalSec: Math.max(...parts.map((p) => p.intervalSec)),
    completed: done,
    failed: parts.reduce((a, p) => a + p.failed, 0),
    inFlight: parts.reduce((a, p) => a + p.inFlight, 0),
    requestsPerSec: parts.reduce((a, p) => a + p.requestsPerSec, 0),
    outputTokensPerSec: parts.reduce((a, p) => a + p.outputTokensPerSec, 0),
    latencyP50Ms: parts.reduce((a, p) => a + weight(p) * p.latencyP50Ms, 0),
    latencyP99Ms: Math.max(...parts.map((p) => p.latencyP99Ms)),
  };
  // Shards start together (a common wall-clock start), so their run clocks agree to the clock offset.
  if (parts.every((p) => p.tMs !== undefined)) out.tMs = Math.max(...parts.map((p) => p.tMs!));
  const ttft = parts.filter((p) => p.ttftP50Ms !== undefined);
  if (ttft.length)
    out.ttftP50Ms = ttft.reduce((a, p) => a + p.ttftP50Ms! * (done ? p.completed / done : 1 / ttft.length), 0);
  return out;
}

export async function runScaledOut(
  spec: BenchSpec,
  launcher: WorkerLauncher,
  opts: ScaleOptions,
): Promise<BenchResult> {
  const log = opts.logger ?? nullLogger;
  const n = opts.workers;
  if (!Number.isInteger(n) || n < 1) throw new BenchSpecError(`Workers: ${n} is not a positive whole number.`);
  if (spec.load?.sweep)
    throw new BenchSpecError(
      "A sweep cannot be split over workers (its rates depend on the whole run's throughput): run the rates as a rate list instead.",
    );
  if (spec.load?.trace || spec.load?.capacity)
    throw new BenchSpecError(
      `A ${spec.load.trace ? 'trace replay' : 'capacity search'} cannot be split over workers: it runs in one process.`,
    );
  const emit = (e: ProgressEvent) => {
    try {
      opts.onProgress?.(e);
    } catch (err) {
      log.warn(`Progress listener failed: ${(err as Error).message}`);
    }
  };
  const tell = (w: WorkerProgress) => {
    try {
      opts.onWorker?.(w);
    } catch (err) {
      log.warn(`Worker progress listener failed: ${(err as Error).message}`);
    }
  };
  const shardDir = `${opts.recordsPath}.shards`;
  fs.mkdirSync(shardDir, { recursive: true });
  const startAtWallMs = wallNow() + (opts.startDelayMs ?? launcher.startDelayMs(n));
  const outputs: (ShardOutput | undefined)[] = new Array(n);
  const failures: string[] = [];
  const latest = new Map<number, ProgressSnapshot>();
  const startedSteps = new Set<number>();
  let runStarted = false;
  const controls: WorkerControl[] = [];
  const cancelAll = () => controls.forEach((c) => c.cancel());
  // Step barrier: a step starts when every worker still running is ready for it, so steps never overlap
  // (a worker idle in a step — a closed loop below N — would otherwise run ahead into the next one).
  const ready = new Map<number, Set<number>>();
  const gone = new Set<number>();
  const senders = new Map<number, (m: CoordinatorMessage) => void>();
  let launching = n;
  const release = () => {
    if (launching > 0) return;
    for (const [step, set] of [...ready]) {
      const live = Array.from({ length: n }, (_, i) => i).filter((i) => !gone.has(i));
      if (!live.every((i) => set.has(i))) continue;
      ready.delete(step);
      for (const i of set) senders.get(i)?.({ type: 'go', step });
    }
  };
  const ended = (index: number) => {
    gone.add(index);
    release();
  };
  opts.signal?.addEventListener('abort', cancelAll, { once: true });
  try {
    const launches = Array.from({ length: n }, async (_, index) => {
      const shard = { index, count: n };
      const label = formatShard(shard);
      const recordsPath = path.join(shardDir, `shard-${index + 1}-of-${n}.records.jsonl`);
      const sink = launcher.writesRecords ? undefined : fs.openSync(recordsPath, 'w');
      let where = label;
      tell({ shard: label, state: 'starting' });
      const events: WorkerEvents = {
        record: (line) => {
          if (sink !== undefined) fs.writeSync(sink, line.endsWith('\n') ? line : `${line}\n`);
        },
        log: (line) => log.info(`worker ${label}: ${line}`),
        message: (m) => {
          if (m.type === 'clock') return { type: 'clock', id: m.id, c: wallNow() };
          if (m.type === 'step-ready') {
            let set = ready.get(m.step);
            if (!set) ready.set(m.step, (set = new Set()));
            set.add(index);
            release();
            return undefined;
          }
          if (m.type === 'failed') {
            failures.push(`worker ${label}: ${m.message}`);
            tell({ shard: label, where, state: 'failed', message: m.message });
          } else if (m.type === 'done') {
            outputs[index] = { result: m.result, recordsPath, where, clock: m.clock };
            tell({ shard: label, where, state: m.result.incomplete ? 'cancelled' : 'done' });
            ended(index);
          } else if (m.type === 'progress') {
            const e = m.event;
            if (e.type === 'run-start' && !runStarted) {
              runStarted = true;
              emit(e);
            } else if (e.type === 'step-start' && !startedSteps.has(e.step.index)) {
              startedSteps.add(e.step.index);
              latest.clear();
              emit(e);
            } else if (e.type === 'snapshot') {
              tell({ shard: label, where, state: 'running', snapshot: e });
              latest.set(index, e);
              const same = [...latest.values()].filter((s) => s.step === e.step);
              emit(mergeSnapshots(same));
            } else if (e.type === 'warning') emit({ type: 'warning', message: `worker ${label}: ${e.message}` });
          }
          return undefined;
        },
      };
      try {
        let control: WorkerControl;
        try {
          control = await launcher.launch(
            { spec, shard, startAtWallMs, progressIntervalMs: opts.progressIntervalMs },
            recordsPath,
            events,
          );
        } finally {
          launching--;
        }
        where = control.where;
        controls.push(control);
        if (control.send) senders.set(index, (m) => control.send!(m));
        release();
        if (opts.signal?.aborted) control.cancel();
        tell({ shard: label, where, state: 'running' });
        await control.finished;
        if (!outputs[index] && !failures.some((f) => f.startsWith(`worker ${label}:`))) {
          failures.push(`worker ${label}: ended without a result`);
          tell({ shard: label, where, state: 'failed', message: 'ended without a result' });
        }
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        failures.push(`worker ${label}: ${message}`);
        tell({ shard: label, where, state: 'failed', message });
        cancelAll(); // one worker that cannot start makes the others' schedule a part of a run: stop them too
      } finally {
        if (sink !== undefined) fs.closeSync(sink);
        ended(index);
      }
    });
    await Promise.all(launches);
  } finally {
    opts.signal?.removeEventListener('abort', cancelAll);
    await launcher
      .dispose?.()
      .catch((e: Error) => log.warn(`Cleaning up the ${launcher.kind} workers failed: ${e.message}`));
  }
  const got = outputs.filter((o): o is ShardOutput => o !== undefined);
  if (!got.length) throw new Error(`No worker finished: ${failures.join('; ') || 'no output'}`);
  const merged = await mergeShards(got, opts.recordsPath);
  merged.warnings.push(...failures);
  if (failures.length && !merged.incomplete) {
    merged.incomplete = true;
    merged.incompleteReason = failures.join('; ');
  }
  for (const step of merged.steps) emit({ type: 'step-end', step });
  emit({ type: 'run-end', incomplete: merged.incomplete, clientBound: merged.clientBound });
  if (!failures.length) fs.rmSync(shardDir, { recursive: true, force: true });
  return merged;
}
