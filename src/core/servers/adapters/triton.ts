/**
 * NVIDIA Triton (wire-reference §3): OIP REST with Triton's own habits —
 * empty health bodies with 200 / 400, the repository index as the model list,
 * the model config for batching facts, metrics on their own port (8000 → 8002).
 */
import { portOf, withPort } from '../serverHttp';
import type { ModelInfo, ModelMetadata } from '../types';
import { OipAdapterBase } from './oipBase';
import { groupRepositoryIndex } from './oipCommon';

export class TritonAdapter extends OipAdapterBase {
  readonly kind = 'triton' as const;

  protected claims(name: string): boolean {
    return name === 'triton';
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const entries = await this.http.postJson<unknown>('/v2/repository/index', undefined, signal);
    return groupRepositoryIndex(entries, this.http.url('/v2/repository/index'));
  }

  override async modelMetadata(model: string, signal?: AbortSignal): Promise<ModelMetadata> {
    const [meta, config] = await Promise.all([
      super.modelMetadata(model, signal),
      // The config adds batching facts; a server built without it is not an error.
      this.http.optionalJson(`/v2/models/${encodeURIComponent(model)}/config`, signal).catch(() => undefined),
    ]);
    const c = config ?? {};
    if (typeof c.max_batch_size === 'number') meta.properties.maxBatchSize = c.max_batch_size;
    if (typeof c.backend === 'string' && c.backend) meta.properties.backend = c.backend;
    return meta;
  }

  protected override metricsUrl(): string {
    // Triton serves Prometheus on --metrics-port (default 8002), two above the HTTP default 8000.
    return this.config.metricsUrl ?? withPort(this.http.base, portOf(this.http.base) + 2, '/metrics');
  }
}
