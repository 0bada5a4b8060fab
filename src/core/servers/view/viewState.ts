/**
 * What the Servers tree knows about one server after its last probe, in a
 * shape independent of how it was probed. The tree model renders only this,
 * so it can be tested with plain objects.
 */
import type { ServerOrigin, ServerStatus } from '../../../shared/servers';
import type { CommonGauges } from '../../metrics/gauges';
import type { ServerSnapshot } from '../snapshot';
import type { ModelInfo, ServerKind } from '../types';

/** One address a server listens on, as shown under "Endpoints". */
export interface EndpointView {
  /** "HTTP", "gRPC", "Management", "Metrics"… */
  label: string;
  /** A URL, or host:port for gRPC. */
  address: string;
  /** What the last probe found on this endpoint ("live, ready", an error), when it was checked. */
  state?: string;
}

export interface ServerViewState {
  /** Tree-unique key: `cfg:<settings id>`, `emb:<personality>`, `disc:<port>`. */
  key: string;
  /** The settings id (configured), personality name (embedded) or port (discovered). */
  id: string;
  origin: ServerOrigin;
  name: string;
  url: string;
  kind?: ServerKind;
  version?: string;
  status: ServerStatus;
  /** Which evidence identified the kind (or why none did). */
  evidence?: string;
  /** Clear words on what went wrong in the last probe: never a stack trace. */
  error?: string;
  /** A server's own words on why it is not ready. */
  detail?: string;
  /** Epoch ms when the last probe finished. */
  probedAt?: number;
  durationMs?: number;
  models: ModelInfo[];
  /** Why the models could not be listed, when the server is up. */
  modelsError?: string;
  gauges: CommonGauges;
  /** Metrics were scraped (even if none of the common gauges was found). */
  metricsAvailable: boolean;
  /** Why there are no metrics: no endpoint, or the scrape failed. Undefined before the first probe. */
  metricsNote?: string;
  endpoints: EndpointView[];
  /** KServe v2 gRPC found by the probe at the HTTP port + 1 (no address configured): requests may use it. */
  grpcAddress?: string;
  /** The user opted into self-signed TLS for this server. */
  allowSelfSigned?: boolean;
}

/** A status word and its icon (codicon id) and theme color id. */
export interface StatusLook {
  label: string;
  icon: string;
  color?: string;
}

export const statusLooks: Record<ServerStatus, StatusLook> = {
  ready: { label: 'Ready', icon: 'pass-filled', color: 'testing.iconPassed' },
  'live-not-ready': { label: 'Live, not ready', icon: 'warning', color: 'list.warningForeground' },
  unreachable: { label: 'Unreachable', icon: 'error', color: 'list.errorForeground' },
  'auth-failed': { label: 'Authentication failed', icon: 'lock', color: 'list.warningForeground' },
  unrecognized: { label: 'Not a recognized inference server', icon: 'question', color: 'descriptionForeground' },
  probing: { label: 'Probing…', icon: 'loading~spin' },
};

/** A state placeholder for a server before its first probe finishes. */
export function probingState(
  base: Pick<ServerViewState, 'key' | 'id' | 'origin' | 'name' | 'url' | 'kind' | 'endpoints' | 'allowSelfSigned'>,
): ServerViewState {
  return { ...base, status: 'probing', models: [], gauges: {}, metricsAvailable: false };
}

/** The fields of the static part of a server's state (who it is and where), before any probe. */
export type ServerIdentity = Parameters<typeof probingState>[0];

/** The tree's state of a server from a prober snapshot. */
export function fromSnapshot(who: ServerIdentity, snap: ServerSnapshot): ServerViewState {
  const g = snap.grpc;
  const grpcState =
    g && ('error' in g ? g.error : `${g.live ? 'live' : 'not live'}, ${g.ready ? 'ready' : 'not ready'}`);
  const d = snap.grpcDerived;
  const endpoints = d
    ? [...who.endpoints, { label: 'gRPC', address: d.address, state: d.answered ? `${grpcState} · ${d.note}` : d.note }]
    : grpcState
      ? who.endpoints.map((e) => (e.label === 'gRPC' ? { ...e, state: grpcState } : e))
      : who.endpoints;
  return {
    ...who,
    endpoints,
    ...(d?.answered ? { grpcAddress: d.address } : {}),
    kind: snap.kind ?? who.kind,
    version: snap.version,
    status: snap.status,
    evidence: snap.evidence,
    error: snap.error,
    detail: snap.healthDetail !== snap.error ? snap.healthDetail : undefined,
    probedAt: snap.probedAt,
    durationMs: snap.durationMs,
    models: snap.models,
    modelsError: snap.modelsError,
    gauges: snap.gauges,
    metricsAvailable: snap.metricsAvailable,
    metricsNote: snap.metricsNote,
  };
}
