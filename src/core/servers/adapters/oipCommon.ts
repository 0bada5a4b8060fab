/**
 * Open Inference Protocol (KServe v2) REST pieces shared by the Triton, KServe
 * and generic OIP adapters (wire-reference §1). Readiness is the HTTP status
 * (200 = ready); bodies differ (Triton's are empty, KServe's are JSON).
 */
import { InferenceError } from '../../http/errors';
import { mapLimit } from '../mapLimit';
import { jsonObject, str, type ProbeSession } from '../probeSession';
import type { ServerHttp } from '../serverHttp';
import type {
  FingerprintResult,
  HealthResult,
  ModelInfo,
  ModelMetadata,
  OipServerMetadata,
  TensorSpec,
} from '../types';

export type { OipServerMetadata } from '../types';

/** `GET /v2` read from a probe session, when it is OIP server metadata. */
export async function probeServerMetadata(probe: ProbeSession): Promise<OipServerMetadata | undefined> {
  const j = jsonObject(await probe.get('/v2'));
  const name = str(j?.name);
  // Server metadata carries a version or an extension list besides the name; a
  // bare {"name"} from some other API is not enough.
  if (!j || name === undefined || (str(j.version) === undefined && !Array.isArray(j.extensions))) return undefined;
  const extensions = Array.isArray(j.extensions) ? j.extensions.filter((x): x is string => typeof x === 'string') : [];
  return { name, version: str(j.version), extensions };
}

export function describeMetadata(m: OipServerMetadata): string {
  const ext = m.extensions.length
    ? `, extensions [${m.extensions.slice(0, 4).join(', ')}${m.extensions.length > 4 ? ', …' : ''}]`
    : '';
  return `GET /v2 → name "${m.name}"${m.version ? `, version ${m.version}` : ''}${ext}`;
}

/** A fingerprint from `GET /v2` when the server's name satisfies `accept`. */
export async function matchByName(probe: ProbeSession, accept: (name: string) => boolean): Promise<FingerprintResult> {
  const m = await probeServerMetadata(probe);
  if (m && accept(m.name)) return { matched: true, version: m.version, evidence: describeMetadata(m) };
  return {
    matched: false,
    evidence: m ? `${describeMetadata(m)} (another OIP server)` : 'GET /v2 gave no OIP server metadata',
  };
}

/** Server live/ready from `/v2/health/*` by status code. A transport failure throws. */
export async function oipHealth(http: ServerHttp, signal?: AbortSignal): Promise<HealthResult> {
  const [live, ready] = await Promise.all([http.get('/v2/health/live', signal), http.get('/v2/health/ready', signal)]);
  for (const r of [live, ready]) if (r.status === 401 || r.status === 403) http.ensureOk(r);
  // Both paths unknown: this is not an OIP server (or not at this base URL).
  if (live.status === 404 && ready.status === 404) http.ensureOk(live);
  const isLive = live.status === 200;
  const isReady = ready.status === 200;
  const detail = isReady
    ? undefined
    : `GET /v2/health/ready → HTTP ${ready.status}${ready.body.length ? `: ${ready.text().trim().slice(0, 200)}` : ' (empty body)'}`;
  return { live: isLive || isReady, ready: isReady, detail };
}

const enc = encodeURIComponent;

export async function oipModelReady(http: ServerHttp, model: string, signal?: AbortSignal): Promise<boolean> {
  const r = await http.get(`/v2/models/${enc(model)}/ready`, signal);
  if (r.status === 401 || r.status === 403) http.ensureOk(r);
  return r.status === 200;
}

function tensors(v: unknown, url: string): TensorSpec[] {
  if (v === undefined) return [];
  if (!Array.isArray(v))
    throw new InferenceError('malformed', `Model metadata from ${url} has a non-array tensor list`, { url });
  return v.map((t: { name?: unknown; datatype?: unknown; shape?: unknown }) => ({
    name: String(t?.name ?? ''),
    datatype: String(t?.datatype ?? ''),
    shape: Array.isArray(t?.shape) ? t.shape.map(Number) : undefined,
  }));
}

/** `GET /v2/models/{m}[/versions/{v}]` → inputs/outputs with datatypes and shapes. */
export async function oipModelMetadata(
  http: ServerHttp,
  model: string,
  signal?: AbortSignal,
  version?: string,
): Promise<ModelMetadata> {
  const path = `/v2/models/${enc(model)}${version ? `/versions/${enc(version)}` : ''}`;
  const j = await http.getJson<Record<string, unknown>>(path, signal);
  const url = http.url(path);
  const properties: ModelMetadata['properties'] = {};
  if (j.properties && typeof j.properties === 'object') {
    for (const [k, v] of Object.entries(j.properties)) if (typeof v === 'string') properties[k] = v;
  }
  return {
    name: str(j.name) ?? model,
    platform: str(j.platform),
    versions: Array.isArray(j.versions) ? j.versions.map(String) : undefined,
    inputs: tensors(j.inputs, url),
    outputs: tensors(j.outputs, url),
    properties,
  };
}

/**
 * Triton-style `POST /v2/repository/index` → `[{name, version?, state, reason?}]`,
 * one entry per version, grouped into one ModelInfo per name.
 */
export function groupRepositoryIndex(entries: unknown, url: string): ModelInfo[] {
  if (!Array.isArray(entries))
    throw new InferenceError('malformed', `Expected a JSON array of models from ${url}`, { url });
  const byName = new Map<string, ModelInfo>();
  for (const e of entries as { name?: unknown; version?: unknown; state?: unknown; reason?: unknown }[]) {
    const name = str(e?.name);
    if (!name) continue;
    const m = byName.get(name) ?? { name, ready: false, versions: [] };
    const state = str(e.state);
    if (e.version !== undefined) m.versions!.push(String(e.version));
    if (state === 'READY') {
      m.ready = true;
      m.state = 'READY';
      m.reason = undefined;
    } else if (!m.ready) {
      m.state = state ?? m.state;
      m.reason = str(e.reason) || m.reason;
    }
    byName.set(name, m);
  }
  return [...byName.values()];
}

/** KServe-style `{"models": [...]}` (names, or objects with a name). */
export function modelNames(j: unknown): string[] | undefined {
  const models = (j as { models?: unknown } | undefined)?.models;
  if (!Array.isArray(models)) return undefined;
  return models
    .map((m) => (typeof m === 'string' ? m : str((m as { name?: unknown })?.name)))
    .filter((n): n is string => !!n);
}

/** Readiness of each named model via `/v2/models/{m}/ready`, a few at a time. */
export function readyModels(http: ServerHttp, names: string[], signal?: AbortSignal): Promise<ModelInfo[]> {
  return mapLimit(names, 8, async (name) => ({ name, ready: await oipModelReady(http, name, signal) }));
}
