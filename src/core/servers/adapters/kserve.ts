/**
 * KServe Python model server (wire-reference §4): OIP with JSON bodies on
 * every health answer (200 / 503), `GET /v2/models` (or V1 `/v1/models`) as
 * the model list, Prometheus on the same port.
 */
import { AdapterBase } from '../adapterBase';
import { ProbeSession } from '../probeSession';
import type { FingerprintResult, HealthResult, ModelInfo, ModelMetadata } from '../types';
import { matchByName, modelNames, oipHealth, oipModelMetadata, probeServerMetadata, readyModels } from './oipCommon';
import { oipGrpcProbe, type OipGrpcProbe } from './oipGrpc';

export class KServeAdapter extends AdapterBase {
  readonly kind = 'kserve' as const;

  match(probe: ProbeSession): Promise<FingerprintResult> {
    return matchByName(probe, (n) => n === 'kserve');
  }

  override async version(signal?: AbortSignal): Promise<string | undefined> {
    return (await probeServerMetadata(new ProbeSession(this.http, signal)))?.version;
  }

  health(signal?: AbortSignal): Promise<HealthResult> {
    return oipHealth(this.http, signal);
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    // V2 first; a server started with only the V1 protocol still lists on /v1/models.
    const names = modelNames(await this.http.optionalJson('/v2/models', signal)) ?? modelNames(await this.http.getJson('/v1/models', signal)) ?? [];
    return readyModels(this.http, names, signal);
  }

  modelMetadata(model: string, signal?: AbortSignal): Promise<ModelMetadata> {
    return oipModelMetadata(this.http, model, signal);
  }

  /** gRPC health/metadata on the configured gRPC address (KServe default port 8081). */
  override grpc(): OipGrpcProbe | undefined {
    return oipGrpcProbe(this.config);
  }
}
