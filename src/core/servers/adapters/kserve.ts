/**
 * KServe Python model server (wire-reference §4): OIP with JSON bodies on
 * every health answer (200 / 503), `GET /v2/models` (or V1 `/v1/models`) as
 * the model list, Prometheus on the same port.
 */
import type { ModelInfo } from '../types';
import { OipAdapterBase } from './oipBase';
import { modelNames, readyModels } from './oipCommon';

export class KServeAdapter extends OipAdapterBase {
  readonly kind = 'kserve' as const;

  protected claims(name: string): boolean {
    return name === 'kserve';
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    // V2 first; a server started with only the V1 protocol still lists on /v1/models.
    const names =
      modelNames(await this.http.optionalJson('/v2/models', signal)) ??
      modelNames(await this.http.getJson('/v1/models', signal)) ??
      [];
    return readyModels(this.http, names, signal);
  }
}
