/**
 * Scale-out flags of `inference-lab bench`: `--workers N` (worker threads),
 * `--docker-hosts` (containers on Docker engines), `--k8s-context`/`--k8s-namespace`
 * (an Indexed Job), and `--shard i/N` for workers launched by hand (merged
 * afterwards with `inference-lab merge`).
 */
import os from 'node:os';
import path from 'node:path';
import type { ProgressEvent } from '../core/bench/events';
import type { BenchResult } from '../core/bench/result';
import { runBenchmark } from '../core/bench/runBenchmark';
import { runScaledOut, type WorkerProgress } from '../core/bench/scale/coordinator';
import { launcherFor, workersOf, type Placement } from '../core/bench/scale/placement';
import { parseShard } from '../core/bench/scale/shard';
import { runShardOnStdio } from '../core/bench/scale/worker';
import type { BenchSpec } from '../core/bench/spec';
import { BenchSpecError } from '../core/bench/specNormalize';
import { consoleLogger } from '../core/util/logger';

export const scaleFlags = {
  workers: { type: 'string' },
  shard: { type: 'string' },
  'start-at': { type: 'string' },
  'shard-stream': { type: 'boolean' },
  'clock-stdin': { type: 'boolean' },
  'docker-hosts': { type: 'string' },
  'docker-image': { type: 'string' },
  'k8s-context': { type: 'string' },
  'k8s-namespace': { type: 'string' },
  'k8s-image': { type: 'string' },
  'start-delay': { type: 'string' },
  'docker-network': { type: 'string' },
  'k8s-api-key-secret': { type: 'string' },
  'progress-interval': { type: 'string' },
} as const;

export const scaleUsage = `Scaling out (one merged result, exact percentiles from all workers' raw records):
  --workers N                       N worker threads in this process, each with its own connection pools
  --docker-hosts default,ctx2[,…]   one worker container per entry on these Docker contexts (repeat an entry
                                    for more workers on one engine; "local" = the local engine), image --docker-image
  --docker-network MODE             network of the worker containers (default host)
  --k8s-context CTX --k8s-namespace NS --k8s-image IMAGE --workers N [--k8s-api-key-secret NAME]
                                    an Indexed Job with N pods (one shard each) from your kubeconfig
  --start-delay 10s                 lead time before the workers' common start (default: per transport)
  --shard i/N [--start-at TIME]     run shard i of N only (workers you launch yourself; TIME: ISO 8601 or
                                    epoch ms, the common start; "@VAR/N" reads the 0-based index from VAR);
                                    then: inference-lab merge shard*.json --out all.json`;

export interface ScaleValues {
  workers?: string;
  shard?: string;
  'start-at'?: string;
  'shard-stream'?: boolean;
  'clock-stdin'?: boolean;
  'docker-hosts'?: string;
  'docker-image'?: string;
  'k8s-context'?: string;
  'k8s-namespace'?: string;
  'k8s-image'?: string;
  'start-delay'?: string;
  'docker-network'?: string;
  'k8s-api-key-secret'?: string;
  'progress-interval'?: string;
}

export interface ScaleRun {
  recordsPath: string;
  signal: AbortSignal;
  apiKey?: string;
  onProgress: (e: ProgressEvent) => void;
  quiet: boolean;
  parseDuration(flag: string, v: string): number;
}

/** "2026-12-07T10:00:00Z" or epoch ms → epoch ms. */
export function parseStartAt(v: string): number {
  const n = /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(n))
    throw new BenchSpecError(`--start-at: "${v}" is neither an ISO 8601 time nor epoch milliseconds`);
  return n;
}

/**
 * "@VAR/N" takes the 0-based shard index from the environment variable VAR
 * (a Kubernetes Indexed Job sets JOB_COMPLETION_INDEX in each pod).
 */
export function shardFromEnv(v: string, env: NodeJS.ProcessEnv = process.env): string {
  const m = /^@([A-Za-z_][A-Za-z0-9_]*)\/(\d+)$/.exec(v.trim());
  if (!m) return v;
  const raw = env[m[1]];
  if (raw === undefined || !/^\d+$/.test(raw))
    throw new BenchSpecError(
      `--shard ${v}: the variable ${m[1]} is ${raw === undefined ? 'not set' : `"${raw}", not a whole number`}`,
    );
  return `${Number(raw) + 1}/${m[2]}`;
}

function workerLine(quiet: boolean): (w: WorkerProgress) => void {
  return (w) => {
    if (quiet || w.state === 'running') return;
    process.stderr.write(
      `worker ${w.shard}${w.where ? ` (${w.where})` : ''}: ${w.state}${w.message ? `: ${w.message}` : ''}\n`,
    );
  };
}

function workerCount(v: ScaleValues, fallback?: number): number {
  const n = v.workers !== undefined ? Number(v.workers) : fallback;
  if (n === undefined || !Number.isInteger(n) || n < 1)
    throw new BenchSpecError(`--workers: "${v.workers}" is not a positive whole number`);
  return n;
}

/**
 * Runs the scale-out mode the flags ask for. Returns undefined when no
 * scale-out flag is set (a plain run), a number when this process is a
 * streaming worker (its exit code), or the (merged or shard) result.
 */
export async function runScaleMode(
  v: ScaleValues,
  spec: BenchSpec,
  run: ScaleRun,
): Promise<BenchResult | number | undefined> {
  const modes = [
    v.shard !== undefined,
    v['docker-hosts'] !== undefined,
    v['k8s-context'] !== undefined || v['k8s-namespace'] !== undefined,
  ].filter(Boolean).length;
  if (modes > 1)
    throw new BenchSpecError('--shard, --docker-hosts and --k8s-context are different ways to scale out: use one');
  if (v.shard !== undefined) {
    const shard = parseShard(shardFromEnv(v.shard));
    const startAtWallMs = v['start-at'] !== undefined ? parseStartAt(v['start-at']) : undefined;
    if (v['shard-stream']) {
      const recordsPath = path.join(
        os.tmpdir(),
        `inference-lab-shard-${shard.index + 1}-of-${shard.count}-${process.pid}.records.jsonl`,
      );
      const progressIntervalMs = v['progress-interval'] !== undefined ? Number(v['progress-interval']) : undefined;
      return runShardOnStdio(
        { spec, shard, startAtWallMs, progressIntervalMs },
        { recordsPath, apiKey: run.apiKey, twoWay: v['clock-stdin'] === true, logger: consoleLogger('warn') },
      );
    }
    return runBenchmark(spec, {
      signal: run.signal,
      recordsPath: run.recordsPath,
      apiKey: run.apiKey,
      onProgress: run.onProgress,
      logger: consoleLogger('warn'),
      shard: { ...shard, startAtWallMs },
    });
  }
  let placement: Exclude<Placement, { kind: 'local' }>;
  if (v['docker-hosts'] !== undefined) {
    const hosts = v['docker-hosts']
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean);
    if (!hosts.length)
      throw new BenchSpecError('--docker-hosts: give at least one Docker context ("default" for the local engine)');
    placement = { kind: 'docker', hosts, image: v['docker-image'], network: v['docker-network'] };
  } else if (v['k8s-context'] !== undefined || v['k8s-namespace'] !== undefined) {
    if (!v['k8s-image'])
      throw new BenchSpecError('--k8s-image is required: the CLI image the pods run (see the Dockerfile)');
    placement = {
      kind: 'kubernetes',
      context: v['k8s-context'],
      namespace: v['k8s-namespace'] ?? 'default',
      image: v['k8s-image'],
      workers: workerCount(v),
      apiKeySecret: v['k8s-api-key-secret'],
    };
  } else if (v.workers !== undefined) placement = { kind: 'threads', workers: workerCount(v) };
  else return undefined;
  const launcher = await launcherFor(placement, run.apiKey);
  const workers = workersOf(placement);
  const startDelayMs =
    v['start-delay'] !== undefined ? run.parseDuration('start-delay', v['start-delay']) * 1000 : undefined;
  return runScaledOut(spec, launcher, {
    workers,
    recordsPath: run.recordsPath,
    signal: run.signal,
    onProgress: run.onProgress,
    onWorker: workerLine(run.quiet),
    logger: consoleLogger('warn'),
    startDelayMs,
  });
}
