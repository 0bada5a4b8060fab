/**
 * One full probe of one server: kind (configured or detected), health, then
 * models, metrics and gRPC health side by side. Only the kind and the health
 * decide the status; a failed model list or scrape is recorded next to it,
 * so a healthy server never looks dead because its metrics port is closed.
 */
import { toInferenceError } from '../http/errors';
import { withTimeout } from '../util/abort';
import type { AdapterBase } from './adapterBase';
import { abortError, detectServer } from './detect';
import { createAdapter, kindLabels } from './registry';
import { statusForError, type ServerSnapshot } from './snapshot';
import type { ServerConfig, ServerKind } from './types';

export interface ProbeServerOptions {
  signal?: AbortSignal;
  /** Per-request limit when the config has none (default 3000 ms). */
  timeoutMs?: number;
  /** Kind (and version) already known from an earlier probe: skips detection. `justNow`: that detection ran moments ago (it reached the server). */
  known?: { kind: ServerKind; version?: string; justNow?: boolean };
  includeModels?: boolean;
  includeMetrics?: boolean;
  /** Limit for the whole probe of one server (default 3 × the per-request limit). */
  budgetMs?: number;
}

function base(config: ServerConfig, probedAt: number): ServerSnapshot {
  return {
    id: config.id,
    name: config.name,
    url: config.url,
    status: 'unreachable',
    live: false,
    ready: false,
    models: [],
    gauges: {},
    metricsAvailable: false,
    probedAt,
    durationMs: 0,
  };
}

function failed(snap: ServerSnapshot, e: unknown, reached: boolean): ServerSnapshot {
  const err = toInferenceError(e, snap.url);
  if (err.kind === 'cancelled') throw err;
  const status = statusForError(err);
  // Detection got answers from it moments ago: a later timeout or reset is a server that stopped answering, not one we never reached.
  if (reached && status === 'unreachable')
    return {
      ...snap,
      status: 'live-not-ready',
      live: true,
      error: `It answered detection, then its health check failed: ${err.message}`,
      errorKind: err.kind,
    };
  let error = err.message;
  if (snap.kind && status === 'unrecognized')
    error = `Does not answer as a ${kindLabels[snap.kind]} server: ${err.message}`;
  // vLLM opens its HTTP port only after the model has loaded (wire-reference §7).
  if (snap.kind === 'vllm' && err.kind === 'connection-refused')
    error += ' vLLM only listens once its model has loaded: it may still be starting.';
  return { ...snap, status, error, errorKind: err.kind };
}

async function resolveKind(
  config: ServerConfig,
  snap: ServerSnapshot,
  opts: ProbeServerOptions,
  timeoutMs: number,
): Promise<ServerSnapshot> {
  if (config.kind && config.kind !== 'auto')
    return { ...snap, kind: config.kind, evidence: `configured as ${kindLabels[config.kind]}` };
  if (opts.known) return { ...snap, kind: opts.known.kind, version: opts.known.version, evidence: 'detected earlier' };
  const d = await detectServer(config.url, {
    signal: opts.signal,
    timeoutMs,
    apiKey: config.apiKey,
    allowSelfSigned: config.allowSelfSigned,
    models: config.models,
  });
  if (d.outcome === 'recognized' && d.kind) return { ...snap, kind: d.kind, version: d.version, evidence: d.evidence };
  if (opts.signal?.aborted) throw abortError(opts.signal);
  return {
    ...snap,
    status: d.outcome === 'recognized' ? 'unrecognized' : d.outcome,
    live: d.outcome !== 'unreachable',
    evidence: d.evidence,
    error: d.evidence,
    errorKind: d.error?.kind,
  };
}

async function details(adapter: AdapterBase, snap: ServerSnapshot, opts: ProbeServerOptions): Promise<ServerSnapshot> {
  const grpc = adapter.grpc?.();
  const [models, metrics, version, grpcHealth] = await Promise.allSettled([
    opts.includeModels === false ? Promise.resolve([]) : adapter.listModels(opts.signal),
    opts.includeMetrics === false ? Promise.resolve(undefined) : adapter.metrics(opts.signal),
    snap.version ? Promise.resolve(snap.version) : adapter.version(opts.signal),
    grpc ? grpc.health(opts.signal) : Promise.resolve(undefined),
  ]);
  const out = { ...snap };
  if (models.status === 'fulfilled') out.models = models.value;
  else {
    const e = toInferenceError(models.reason, snap.url);
    out.modelsError = e.message;
    // Health is open but the model list is guarded (vLLM --api-key): the key is what's missing.
    if (e.kind === 'auth') Object.assign(out, { status: 'auth-failed', error: e.message, errorKind: e.kind });
  }
  if (metrics.status === 'fulfilled' && metrics.value) {
    out.gauges = metrics.value.gauges;
    out.metricsAvailable = metrics.value.available;
    out.metricsNote = metrics.value.reason;
  } else if (metrics.status === 'rejected') out.metricsNote = toInferenceError(metrics.reason).message;
  if (version.status === 'fulfilled') out.version = version.value;
  if (grpc?.derived) {
    // Not configured: gRPC at the HTTP port + 1 is used only once it answered; otherwise REST only, said quietly.
    const { address } = grpc;
    if (grpcHealth.status === 'fulfilled' && grpcHealth.value) {
      out.grpc = { live: grpcHealth.value.live, ready: grpcHealth.value.ready };
      out.grpcDerived = { address, answered: true, note: 'found at the HTTP port + 1' };
    } else {
      const why = grpcHealth.status === 'rejected' ? toInferenceError(grpcHealth.reason).message : 'no answer';
      out.grpcDerived = {
        address,
        answered: false,
        note: `no gRPC answer at the HTTP port + 1 (${why}): requests use REST; if gRPC listens elsewhere, set its address with Edit Server…`,
      };
    }
  } else if (grpcHealth.status === 'fulfilled' && grpcHealth.value)
    out.grpc = { live: grpcHealth.value.live, ready: grpcHealth.value.ready };
  else if (grpcHealth.status === 'rejected') out.grpc = { error: toInferenceError(grpcHealth.reason).message };
  return out;
}

/** Probes one server. Never throws for server trouble (it is in the snapshot); throws only when cancelled. */
export async function probeServer(config: ServerConfig, options: ProbeServerOptions = {}): Promise<ServerSnapshot> {
  const probedAt = Date.now();
  const timeoutMs = config.timeoutMs ?? options.timeoutMs ?? 3000;
  // One budget for the whole probe: a slow server cannot hold a refresh for
  // detection + health + models + metrics each at the per-request limit.
  const budget = withTimeout(options.signal, options.budgetMs ?? 3 * timeoutMs, 'Probe');
  const opts = { ...options, signal: budget.signal };
  let snap = base(config, probedAt);
  let reached = false;
  const done = (s: ServerSnapshot) => ({ ...s, durationMs: Date.now() - probedAt });
  try {
    snap = await resolveKind(config, snap, opts, timeoutMs);
    if (!snap.kind) return done(snap);
    reached = options.known ? options.known.justNow === true : !(config.kind && config.kind !== 'auto');
    const adapter = createAdapter(snap.kind, { ...config, timeoutMs });
    const health = await adapter.health(opts.signal);
    snap = {
      ...snap,
      live: health.live,
      ready: health.ready,
      healthDetail: health.detail,
      status: health.ready ? 'ready' : 'live-not-ready',
    };
    if (!health.ready) snap.error = health.detail;
    return done(await details(adapter, snap, opts));
  } catch (e) {
    return done(failed(snap, e, reached));
  } finally {
    budget.dispose();
  }
}
