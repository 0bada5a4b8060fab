/**
 * What one probe of one server found, as the Servers tree and the status bar
 * show it, and how a failure maps to a status with its own clear message.
 */
import type { InferenceError, InferenceErrorKind } from '../http/errors';
import type { CommonGauges } from '../metrics/gauges';
import type { ModelInfo, ServerKind } from './types';

export type ServerStatus = 'ready' | 'live-not-ready' | 'unreachable' | 'auth-failed' | 'unrecognized';

export interface ServerSnapshot {
  id: string;
  name: string;
  url: string;
  status: ServerStatus;
  kind?: ServerKind;
  version?: string;
  /** Detection evidence (auto kind), or "configured as <kind>". */
  evidence?: string;
  live: boolean;
  ready: boolean;
  /** Why not ready, in the server's words when it gives any. */
  healthDetail?: string;
  models: ModelInfo[];
  /** Listing failed (the server itself may still be fine). */
  modelsError?: string;
  gauges: CommonGauges;
  metricsAvailable: boolean;
  /** Why there are no gauges (no endpoint, scrape failed). */
  metricsNote?: string;
  /** gRPC health when a gRPC address is configured, or found at the HTTP port + 1 (`grpcDerived`). */
  grpc?: { live: boolean; ready: boolean } | { error: string };
  /**
   * A KServe v2 server with no gRPC address configured: the address tried at its HTTP port + 1, whether gRPC
   * answered there (then requests may use it), and what to do when it did not.
   */
  grpcDerived?: { address: string; answered: boolean; note: string };
  /** The message that explains a non-ready status; never a stack trace. */
  error?: string;
  errorKind?: InferenceErrorKind;
  /** Epoch ms when the probe started, and how long it took. */
  probedAt: number;
  durationMs: number;
}

const transportKinds: InferenceErrorKind[] = [
  'invalid-url',
  'dns',
  'connection-refused',
  'connection-reset',
  'tls',
  'timeout',
];

/** The status a failed health call implies. */
export function statusForError(e: InferenceError): ServerStatus {
  if (e.kind === 'auth') return 'auth-failed';
  if (transportKinds.includes(e.kind)) return 'unreachable';
  return 'unrecognized';
}

/** A short summary for a status bar: "3/4 servers ready". */
export function summarize(snapshots: readonly ServerSnapshot[]): { ready: number; total: number; text: string } {
  const ready = snapshots.filter((s) => s.status === 'ready').length;
  return { ready, total: snapshots.length, text: `${ready}/${snapshots.length} servers ready` };
}
