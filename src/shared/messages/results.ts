import type { ReadyMessage } from './protocol';
import type { CompareView, ProfileId, RunView } from '../results';
import type { ServerMetricsView } from '../serverMetrics';

/** One live point while a run is in progress (from the engine's progress snapshots). */
export interface LivePoint {
  /** Seconds since the run started. */
  t: number;
  requestsPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  ttftP50Ms?: number;
  outputTokensPerSec: number;
}

export interface LiveState {
  stepLabel: string;
  stepIndex: number;
  plannedSteps?: number;
  completed: number;
  failed: number;
  inFlight: number;
  points: LivePoint[];
  /** Server, GPU and container series read so far. */
  server?: ServerMetricsView;
  /** Scaled-out runs: each worker's state and requests done in the current step. */
  workers?: Array<{ shard: string; where?: string; state: string; completed: number; message?: string }>;
}

export type ExportKind = 'csv' | 'markdown' | 'json';

export type ResultsHostToWebview =
  | { type: 'runs'; runs: RunView[]; compare: CompareView[]; profile: ProfileId; live?: LiveState; title: string }
  | { type: 'live'; live: LiveState }
  | { type: 'busy'; message: string }
  | { type: 'error'; message: string }
  | { type: 'notice'; message: string };

export type ResultsWebviewToHost =
  | ReadyMessage
  | { type: 'setProfile'; profile: ProfileId }
  | { type: 'export'; kind: ExportKind; runId: string }
  | { type: 'exportPng'; chartId: string; dataUrl: string }
  | { type: 'rendered'; charts: number; ms: number };

/** What the panel persists across reloads and window restarts (UI state only; data is re-fetched). */
export interface ResultsPanelState {
  runIds: string[];
  profile?: ProfileId;
  latencyMetric?: string;
}
