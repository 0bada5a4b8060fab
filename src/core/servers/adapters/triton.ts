/**
 * NVIDIA Triton (wire-reference §3): OIP REST with Triton's own habits —
 * empty health bodies with 200 / 400, the repository index as the model list,
 * the model config for batching facts, metrics on their own port (8000 → 8002).
 * A restricted repository API (`--http-restricted-api`, on by default in
 * PyTriton 0.7: 403 "This API is restricted, expecting header …") does not
 * make the server "authentication failed": inference and health stay open, so the
 * configured model names are checked instead, or the listing error says how
 * to name them.
 */
import { portOf, withPort } from '../serverHttp';
import type { ModelInfo, ModelMetadata } from '../types';
import { OipAdapterBase } from './oipBase';
import { InferenceError, toInferenceError } from '../../http/errors';
import { groupRepositoryIndex, readyModels } from './oipCommon';

export class TritonAdapter extends OipAdapterBase {
  readonly kind = 'triton' as const;

  protected claims(name: string): boolean {
    return name === 'triton';
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    let entries: unknown;
    try {
      entries = await this.http.postJson<unknown>('/v2/repository/index', undefined, signal);
    } catch (e) {
      const err = toInferenceError(e, this.http.url('/v2/repository/index'));
      const restricted = err.status === 403 && /API is restricted/i.test(`${err.serverMessage ?? ''} ${err.message}`);
      if (!restricted) throw err;
      if (this.config.models?.length) return readyModels(this.http, this.config.models, signal);
      throw new InferenceError(
        'http',
        `Triton restricts its model-repository API (${err.serverMessage ?? err.message}), so it cannot list its models: add the model names to this server's configuration.`,
        { status: 403, url: err.details.url },
      );
    }
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
