/**
 * NVIDIA Triton (wire-reference §3): OIP REST with Triton's own habits —
 * empty health bodies with 200 / 400, the repository index as the model list,
 * metrics on their own port (8000 → 8002).
 */
import { AdapterBase } from '../adapterBase';
import { ProbeSession } from '../probeSession';
import { portOf, withPort } from '../serverHttp';
import type { FingerprintResult, HealthResult, ModelInfo, ModelMetadata } from '../types';
import { oipGrpcProbe, type OipGrpcProbe } from './oipGrpc';
import { groupRepositoryIndex, matchByName, oipHealth, oipModelMetadata, probeServerMetadata } from './oipCommon';

export class TritonAdapter extends AdapterBase {
  readonly kind = 'triton' as const;

  match(probe: ProbeSession): Promise<FingerprintResult> {
    return matchByName(probe, (n) => n === 'triton');
  }

  override async version(signal?: AbortSignal): Promise<string | undefined> {
    return (await probeServerMetadata(new ProbeSession(this.http, signal)))?.version;
  }

  health(signal?: AbortSignal): Promise<HealthResult> {
    return oipHealth(this.http, signal);
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const entries = await this.http.postJson<unknown>('/v2/repository/index', undefined, signal);
    return groupRepositoryIndex(entries, this.http.url('/v2/repository/index'));
  }

  async modelMetadata(model: string, signal?: AbortSignal): Promise<ModelMetadata> {
    const [meta, config] = await Promise.all([
      oipModelMetadata(this.http, model, signal),
      // The config adds batching facts; a server built without it is not an error.
      this.http.optionalJson(`/v2/models/${encodeURIComponent(model)}/config`, signal).catch(() => undefined),
    ]);
    const c = config ?? {};
    if (typeof c.max_batch_size === 'number') meta.properties.maxBatchSize = c.max_batch_size;
    if (typeof c.backend === 'string' && c.backend) meta.properties.backend = c.backend;
    return meta;
  }

  /** gRPC health/metadata on the configured gRPC address (Triton default port 8001). */
  override grpc(): OipGrpcProbe | undefined {
    return oipGrpcProbe(this.config);
  }

  protected override metricsUrl(): string {
    // Triton serves Prometheus on --metrics-port (default 8002), two above the HTTP default 8000.
    return this.config.metricsUrl ?? withPort(this.http.base, portOf(this.http.base) + 2, '/metrics');
  }
}
