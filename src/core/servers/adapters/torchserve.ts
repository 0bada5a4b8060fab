/**
 * TorchServe (wire-reference §5): `/ping` 200 Healthy / 500 Unhealthy on the
 * inference port; models, versions and workers on the management port
 * (8080 → 8081 unless configured); metrics on 8082. Its token check fails
 * with HTTP 400 InvalidKeyException, which we report as an auth error.
 * Its version is the OpenAPI description's `info.version` (`GET /api-description`).
 */
import type { HttpResponse } from '../../http/client';
import { InferenceError, serverMessageFromBody } from '../../http/errors';
import { AdapterBase } from '../adapterBase';
import { mapLimit } from '../mapLimit';
import { jsonObject, str, type ProbeSession } from '../probeSession';
import { portOf, withPort, type ServerHttp } from '../serverHttp';
import type { FingerprintResult, HealthResult, ModelInfo, ModelMetadata, ServerConfig, StreamFraming } from '../types';

interface Described {
  modelName?: string;
  modelVersion?: string;
  modelUrl?: string;
  runtime?: string;
  engine?: string;
  minWorkers?: number;
  maxWorkers?: number;
  batchSize?: number;
  maxBatchDelay?: number;
  workers?: { status?: string }[];
  jobQueueStatus?: { remainingCapacity?: number; pendingRequests?: number };
}

function authError(res: HttpResponse): InferenceError | undefined {
  let type: unknown;
  try {
    type = (JSON.parse(res.text()) as { type?: unknown }).type;
  } catch {
    return undefined;
  }
  if (res.status !== 400 || type !== 'InvalidKeyException') return undefined;
  const serverMessage = serverMessageFromBody(res.body);
  return new InferenceError(
    'auth',
    `Authentication failed: TorchServe rejected the token (HTTP 400 InvalidKeyException): ${serverMessage ?? ''}`.trim(),
    { status: 400, serverMessage, url: res.url },
  );
}

export class TorchServeAdapter extends AdapterBase {
  readonly kind = 'torchserve' as const;
  override readonly streamFraming: StreamFraming = 'chunked';
  readonly management: ServerHttp;

  constructor(config: ServerConfig) {
    super(config, authError);
    this.management = this.http.at(config.managementUrl ?? withPort(this.http.base, portOf(this.http.base) + 1));
  }

  async match(probe: ProbeSession): Promise<FingerprintResult> {
    const ping = await probe.get('/ping');
    const status = str(jsonObject(ping, ping.reached && ping.status === 500 ? 500 : undefined)?.status);
    if (status === 'Healthy' || status === 'Unhealthy')
      return { matched: true, evidence: `GET /ping → {"status": "${status}"}` };
    return { matched: false, evidence: 'GET /ping gave no {"status": "Healthy"|"Unhealthy"}' };
  }

  /** TorchServe has no version route: its OpenAPI description (`GET /api-description`) carries it. */
  override async version(signal?: AbortSignal): Promise<string | undefined> {
    const info = (await this.http.optionalJson('/api-description', signal))?.info;
    return info && typeof info === 'object' ? str((info as Record<string, unknown>).version) : undefined;
  }

  async health(signal?: AbortSignal): Promise<HealthResult> {
    const r = await this.http.get('/ping', signal);
    if (r.status === 200) return { live: true, ready: true };
    if (r.status !== 500) this.http.ensureOk(r);
    return {
      live: true,
      ready: false,
      detail: 'GET /ping → HTTP 500 Unhealthy: a model has fewer live workers than its minWorkers',
    };
  }

  /** `GET /models/{m}` (default version) or `/models/{m}/all` on the management API. */
  private async describe(model: string, signal?: AbortSignal, all = false): Promise<Described[]> {
    const j = await this.management.getJson<unknown>(
      `/models/${encodeURIComponent(model)}${all ? '/all' : ''}`,
      signal,
    );
    return Array.isArray(j) ? (j as Described[]) : [];
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const names: string[] = [];
    let token: string | undefined;
    // The list is paged: follow nextPageToken, bounded so a looping server cannot hold us.
    for (let page = 0; page < 50; page++) {
      const j = await this.management.getJson<{ models?: { modelName?: string }[]; nextPageToken?: string }>(
        `/models?limit=100${token ? `&next_page_token=${encodeURIComponent(token)}` : ''}`,
        signal,
      );
      for (const m of j.models ?? []) if (m.modelName) names.push(m.modelName);
      token = j.nextPageToken;
      if (!token) break;
    }
    return mapLimit(names, 8, async (name) => {
      const versions = await this.describe(name, signal, true);
      const workers = versions.flatMap((v) => v.workers ?? []);
      const readyWorkers = workers.filter((w) => w.status === 'READY').length;
      return {
        name,
        ready: readyWorkers > 0,
        versions: versions.map((v) => v.modelVersion).filter((v): v is string => !!v),
        state: `${readyWorkers}/${workers.length} workers ready`,
      };
    });
  }

  async modelMetadata(model: string, signal?: AbortSignal): Promise<ModelMetadata> {
    const [d] = await this.describe(model, signal);
    if (!d)
      throw new InferenceError('malformed', `TorchServe management API gave no description of "${model}"`, {
        url: this.management.url(`/models/${model}`),
      });
    const properties: ModelMetadata['properties'] = {};
    const copy = ['modelUrl', 'runtime', 'engine', 'minWorkers', 'maxWorkers', 'batchSize', 'maxBatchDelay'] as const;
    for (const k of copy) if (d[k] !== undefined) properties[k] = d[k]!;
    if (d.jobQueueStatus?.pendingRequests !== undefined) properties.pendingRequests = d.jobQueueStatus.pendingRequests;
    if (d.workers)
      properties.workersReady = `${d.workers.filter((w) => w.status === 'READY').length}/${d.workers.length}`;
    return {
      name: d.modelName ?? model,
      versions: d.modelVersion ? [d.modelVersion] : undefined,
      inputs: [],
      outputs: [],
      properties,
    };
  }

  protected override metricsUrl(): string {
    // Metrics API default 8082: two above the inference default 8080.
    return this.config.metricsUrl ?? withPort(this.http.base, portOf(this.http.base) + 2, '/metrics');
  }
}
