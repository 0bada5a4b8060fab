/**
 * Progress events of a running benchmark, for the CLI's progress line and the
 * extension's live charts. Plain data (structured-clone and JSON safe), so a
 * host can forward them to a webview as they are.
 */
import type { StepResult } from './result';
import type { ServerMetricsInfo, ServerMetricsPoint } from './serverMetrics/types';

/** The load of one step. */
export interface StepLoad {
  mode: 'concurrency' | 'rate';
  concurrency?: number;
  /** Requests per second (Infinity: all at once; stored as "inf" in JSON). */
  rate?: number;
  burstiness?: number;
  /** Items per request (image-classification, embeddings); 1 for text generation. */
  batchSize: number;
  /** Sweep steps: what the step is for. */
  sweepPhase?: 'serial' | 'saturation' | 'interpolated';
  /** A trace replay: `rate` is then the trace's own mean rate at this speed. */
  trace?: { file: string; format: 'mooncake' | 'azure' | 'burstgpt'; speed: number };
  /** Multi-turn sessions: `concurrency` is then the number of users. */
  sessions?: { users: number; turns: number; thinkTimeSec: number; conversations: number; fromDataset?: true };
}

export interface StepInfo {
  index: number;
  label: string;
  load: StepLoad;
  /** Requests planned (when bounded by a count) and seconds (when bounded by time). */
  requests?: number;
  durationSec?: number;
  warmup: number;
}

/** Live figures over the last interval (and running totals of the step). */
export interface ProgressSnapshot {
  type: 'snapshot';
  step: number;
  /** Seconds since the step's measured phase started. */
  elapsedSec: number;
  /**
   * When it was taken, in ms since the run's start: the origin of the records' `t` and of the server-metrics
   * points, so live client and server charts share one time axis. It closes the interval the rates cover.
   */
  tMs?: number;
  intervalSec: number;
  completed: number;
  failed: number;
  inFlight: number;
  /** Over the last interval: */
  requestsPerSec: number;
  outputTokensPerSec: number;
  /** Response time from the scheduled send (ms): p50 and p99 over the last interval. */
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** First streamed token (ms after send), p50 over the last interval; text generation only. */
  ttftP50Ms?: number;
}

export type ProgressEvent =
  | {
      type: 'run-start';
      startedAt: string;
      server: { kind?: string; version?: string; model?: string };
      api: string;
      plannedSteps?: number;
    }
  | { type: 'step-start'; step: StepInfo }
  | { type: 'warmup-done'; step: number }
  | ProgressSnapshot
  | { type: 'step-end'; step: StepResult }
  | ServerMetricsPoint
  | ServerMetricsInfo
  | { type: 'warning'; message: string }
  | { type: 'run-end'; incomplete: boolean; clientBound: boolean };
