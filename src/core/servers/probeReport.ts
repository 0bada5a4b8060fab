/**
 * The result of probing one URL as the `probe` CLI prints it: one JSON object
 * (`{"kind","version","live","ready","models":[…],"evidence"}` plus status,
 * error, gauges and, when nothing matched, what was seen), or readable text.
 */
import type { CommonGauges } from '../metrics/gauges';
import type { DetectResult } from './detect';
import { kindLabels } from './registry';
import type { ServerSnapshot, ServerStatus } from './snapshot';
import type { ModelInfo, ServerKind } from './types';

export interface ProbeReport {
  kind: ServerKind | null;
  version?: string;
  status: ServerStatus;
  live: boolean;
  ready: boolean;
  models: Pick<ModelInfo, 'name' | 'ready' | 'versions' | 'state' | 'reason' | 'application'>[];
  evidence: string;
  error?: string;
  modelsError?: string;
  gauges?: CommonGauges;
  metricsNote?: string;
  /** gRPC health when a gRPC address was given, or found at the HTTP port + 1 (`grpcDerived`). */
  grpc?: ServerSnapshot['grpc'];
  /** No gRPC address given: the one tried at the HTTP port + 1 and what it answered. */
  grpcDerived?: ServerSnapshot['grpcDerived'];
  /** What each probed path answered, when the server was not recognized. */
  seen?: Record<string, string>;
}

export function probeReport(d: DetectResult, snap?: ServerSnapshot): ProbeReport {
  if (!snap) {
    const status: ServerStatus = d.outcome === 'recognized' ? 'unrecognized' : d.outcome;
    return {
      kind: null,
      status,
      live: d.outcome !== 'unreachable',
      ready: false,
      models: [],
      evidence: d.evidence,
      error: d.error?.message,
      seen: d.seen,
    };
  }
  const r: ProbeReport = {
    kind: snap.kind ?? d.kind,
    version: snap.version ?? d.version,
    status: snap.status,
    live: snap.live,
    ready: snap.ready,
    models: snap.models.map((m) => ({
      name: m.name,
      ready: m.ready,
      versions: m.versions,
      state: m.state,
      reason: m.reason,
      application: m.application,
    })),
    evidence: d.evidence,
  };
  if (snap.error) r.error = snap.error;
  if (snap.modelsError) r.modelsError = snap.modelsError;
  if (Object.keys(snap.gauges).length) r.gauges = snap.gauges;
  if (snap.metricsNote) r.metricsNote = snap.metricsNote;
  if (snap.grpc) r.grpc = snap.grpc;
  if (snap.grpcDerived) r.grpcDerived = snap.grpcDerived;
  return r;
}

const statusWords: Record<ServerStatus, string> = {
  ready: 'ready',
  'live-not-ready': 'live, not ready',
  unreachable: 'unreachable',
  'auth-failed': 'authentication failed',
  unrecognized: 'not recognized',
};

function gaugeLine(g: CommonGauges): string | undefined {
  const parts: string[] = [];
  const n = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));
  if (g.requestsRunning !== undefined) parts.push(`${n(g.requestsRunning)} running`);
  if (g.requestsQueued !== undefined) parts.push(`${n(g.requestsQueued)} queued`);
  if (g.kvCacheUsage !== undefined) parts.push(`KV cache ${(g.kvCacheUsage * 100).toFixed(0)}%`);
  if (g.gpuUtilization !== undefined) parts.push(`GPU ${(g.gpuUtilization * 100).toFixed(0)}%`);
  if (g.gpuMemoryUsedBytes !== undefined) parts.push(`GPU memory ${(g.gpuMemoryUsedBytes / 2 ** 30).toFixed(1)} GiB`);
  if (g.requestsTotal !== undefined) parts.push(`${n(g.requestsTotal)} requests`);
  if (g.requestsFailed !== undefined) parts.push(`${n(g.requestsFailed)} failed`);
  if (g.promptTokensTotal !== undefined) parts.push(`${n(g.promptTokensTotal)} prompt tokens`);
  if (g.generationTokensTotal !== undefined) parts.push(`${n(g.generationTokensTotal)} generated tokens`);
  return parts.length ? parts.join(', ') : undefined;
}

/** Server-controlled text on one line: a model name or message must not fake further lines of the report. */
const one = (text: string | undefined) => (text ?? '').replace(/[\r\n]+/g, ' ');

/** A few readable lines for a terminal (the CLI escapes control characters before printing them). */
export function formatProbeReport(url: string, r: ProbeReport): string {
  const who = r.kind ? `${kindLabels[r.kind]}${r.version ? ` ${one(r.version)}` : ''}` : 'Server';
  const lines = [`${who} at ${url}: ${statusWords[r.status]}`, `  evidence: ${one(r.evidence)}`];
  if (r.error && r.error !== r.evidence) lines.push(`  error: ${one(r.error)}`);
  if (r.kind) {
    lines.push(`  models (${r.models.length}):${r.modelsError ? ` ${one(r.modelsError)}` : ''}`);
    for (const m of r.models) {
      const mark = m.ready === undefined ? '?' : m.ready ? '✓' : '✗';
      const extra = [
        m.application ? `application ${m.application.name}, route ${m.application.route}` : '',
        m.versions?.length ? `versions ${m.versions.join(', ')}` : '',
        m.state ?? '',
        m.reason ?? '',
      ]
        .filter(Boolean)
        .join('; ');
      lines.push(`    ${mark} ${one(m.name)}${extra ? `  (${one(extra)})` : ''}`);
    }
    const g = r.gauges && gaugeLine(r.gauges);
    lines.push(`  metrics: ${one(g ?? r.metricsNote ?? 'no common gauges found')}`);
    const d = r.grpcDerived;
    if (d && !d.answered) lines.push(`  gRPC: ${one(`${d.address}: ${d.note}`)}`);
    else if (r.grpc)
      lines.push(
        `  gRPC: ${one(`${d ? `${d.address}, ${d.note}: ` : ''}${'error' in r.grpc ? r.grpc.error : r.grpc.ready ? 'live, ready' : r.grpc.live ? 'live, not ready' : 'not live'}`)}`,
      );
  }
  if (r.seen && Object.keys(r.seen).length) {
    lines.push('  seen:');
    for (const [k, v] of Object.entries(r.seen)) lines.push(`    ${k} → ${one(v)}`);
  }
  return lines.join('\n');
}
