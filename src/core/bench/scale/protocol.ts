/**
 * What a worker and its coordinator say to each other. Worker threads post
 * these objects; containers and pods write them as JSON lines on stdout
 * (`{"msg":…}`, between their raw record lines) and read the coordinator's
 * answers as JSON lines on stdin when they have one.
 */
import type { ProgressEvent } from '../events';
import type { BenchResult, WorkerFacts } from '../result';
import type { BenchSpec } from '../spec';
import type { ShardSpec } from './shard';

export type WorkerMessage =
  /** Asks for the coordinator's wall clock (answered with `CoordinatorMessage` clock). */
  | { type: 'clock'; id: number }
  | { type: 'progress'; event: ProgressEvent }
  /** Ready to start step `step`: waits for `go` (all shards start each step together). */
  | { type: 'step-ready'; step: number }
  | { type: 'done'; result: BenchResult; clock: WorkerFacts['clock'] }
  | { type: 'failed'; message: string; exitCode?: number };

export type CoordinatorMessage =
  | { type: 'clock'; id: number; c: number }
  | { type: 'cancel' }
  | { type: 'go'; step: number }
  /** First message on stdin: the server's API key, if any, so that it is never in a container's or pod's definition. */
  | { type: 'hello'; apiKey?: string };

/** Everything a worker needs to run its shard. */
export interface ShardJob {
  spec: BenchSpec;
  shard: ShardSpec;
  /** Common start on the coordinator's wall clock (epoch ms); the worker converts it with its measured offset. */
  startAtWallMs?: number;
  progressIntervalMs?: number;
}

/** The spec as JSON text for a worker's command line (`--spec-json`): "inf" for Infinity, as spec files write it. */
export function specJson(spec: BenchSpec): string {
  return JSON.stringify(spec, (_k, v: unknown) => (v === Infinity ? 'inf' : v));
}

/** One stdout line of a streaming worker. */
export function encodeMessage(m: WorkerMessage): string {
  return `${JSON.stringify({ msg: m }, (_k, v: unknown) => (v === Infinity ? 'inf' : v))}\n`;
}

/** A coordinator's stdin line. */
export function encodeReply(m: CoordinatorMessage): string {
  return `${JSON.stringify(m)}\n`;
}

/** Splits a streaming worker's output line: a raw record (kept as text), a message, or anything else (a log line). */
export function classifyLine(
  line: string,
): { kind: 'record'; line: string } | { kind: 'message'; message: WorkerMessage } | { kind: 'other'; line: string } {
  if (line.startsWith('{"i":')) return { kind: 'record', line };
  if (line.startsWith('{"msg":')) {
    try {
      const m = JSON.parse(line, (k, v: unknown) =>
        v === 'inf' &&
        (/^\d+$/.test(k) || ['rate', 'burstiness', 'targetRate', 'scheduledRate', 'achievedRate'].includes(k))
          ? Infinity
          : v,
      ) as { msg: WorkerMessage };
      return { kind: 'message', message: m.msg };
    } catch {
      return { kind: 'other', line };
    }
  }
  return { kind: 'other', line };
}
