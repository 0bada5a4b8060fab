/**
 * Any other Open Inference Protocol server (MLServer, OpenVINO Model Server,
 * TGI built with `kserve`, …): `GET /v2` names itself something other than
 * triton or kserve. Listing is not in the OIP spec, so we try what such servers
 * commonly offer (the repository index, `GET /v2/models`) and fall back to the
 * configured model names.
 */
import { InferenceError } from '../../http/errors';
import { AdapterBase } from '../adapterBase';
import { ProbeSession } from '../probeSession';
import type { FingerprintResult, HealthResult, ModelInfo, ModelMetadata } from '../types';
import { groupRepositoryIndex, matchByName, modelNames, oipHealth, oipModelMetadata, probeServerMetadata, readyModels } from './oipCommon';
import { oipGrpcProbe, type OipGrpcProbe } from './oipGrpc';

export class OipAdapter extends AdapterBase {
  readonly kind = 'oip' as const;

  match(probe: ProbeSession): Promise<FingerprintResult> {
    return matchByName(probe, (n) => n !== 'triton' && n !== 'kserve');
  }

  override async version(signal?: AbortSignal): Promise<string | undefined> {
    const m = await probeServerMetadata(new ProbeSession(this.http, signal));
    return m ? [m.name, m.version].filter(Boolean).join(' ') : undefined;
  }

  health(signal?: AbortSignal): Promise<HealthResult> {
    return oipHealth(this.http, signal);
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const index = await this.http.get('/v2/repository/index', signal, 'POST', '{}');
    if (index.status === 200) {
      const entries: unknown = index.json();
      if (Array.isArray(entries)) return groupRepositoryIndex(entries, index.url);
    }
    const names = modelNames(await this.http.optionalJson('/v2/models', signal)) ?? this.config.models;
    if (!names) {
      throw new InferenceError('http', `${this.http.base} offers no way to list its models (no repository index, no GET /v2/models): add the model names to this server's configuration.`, {
        url: this.http.base,
      });
    }
    return readyModels(this.http, names, signal);
  }

  modelMetadata(model: string, signal?: AbortSignal): Promise<ModelMetadata> {
    return oipModelMetadata(this.http, model, signal);
  }

  override grpc(): OipGrpcProbe | undefined {
    return oipGrpcProbe(this.config);
  }
}
