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

/** One request of a step, from the raw records (times in ms; TTFT by the profile's first-token rule). */
export interface RequestRow {
  /** Request index within the run. */
  i: number;
  /** Actual send, ms since the run started. */
  startMs: number;
  ttftMs?: number;
  e2eMs: number;
  inputTokens?: number;
  outputTokens?: number;
  /** Items in the request (batch size). */
  items: number;
  /** HTTP status (gRPC code + 1000; 0: no response). */
  status: number;
  /** Error kind and message, or "cancelled". */
  error?: string;
}

/** The requests of one step, sorted as asked. */
export interface RequestsView {
  runId: string;
  stepIndex: number;
  stepLabel: string;
  rows: RequestRow[];
  /** Measured requests in the step (rows may hold fewer: the first `limit` after sorting). */
  total: number;
  sort: RequestSort;
}

export type RequestSortKey = 'i' | 'startMs' | 'ttftMs' | 'e2eMs' | 'outputTokens' | 'status';
export interface RequestSort {
  key: RequestSortKey;
  descending: boolean;
}

/** Every streamed event of one request against time since its send. */
export interface TokenTimeline {
  runId: string;
  i: number;
  stepLabel: string;
  headersMs?: number;
  endMs: number;
  events: Array<{ t: number; kinds: string[] }>;
  error?: string;
}

export type ResultsHostToWebview =
  | { type: 'runs'; runs: RunView[]; compare: CompareView[]; profile: ProfileId; live?: LiveState; title: string }
  | { type: 'live'; live: LiveState }
  | { type: 'busy'; message: string }
  | { type: 'error'; message: string }
  | { type: 'notice'; message: string }
  | { type: 'requests'; view: RequestsView }
  | { type: 'timeline'; timeline: TokenTimeline };

export type ResultsWebviewToHost =
  | ReadyMessage
  | { type: 'setProfile'; profile: ProfileId }
  | { type: 'export'; kind: ExportKind; runId: string }
  | { type: 'exportPng'; chartId: string; dataUrl: string }
  | { type: 'rendered'; charts: number; ms: number }
  | { type: 'requests'; runId: string; stepIndex: number; sort: RequestSort }
  | { type: 'timeline'; runId: string; i: number };

/** What the panel persists across reloads and window restarts (UI state only; data is re-fetched). */
export interface ResultsPanelState {
  runIds: string[];
  profile?: ProfileId;
  latencyMetric?: string;
}
