/**
 * Any other Open Inference Protocol server (MLServer, OpenVINO Model Server,
 * TGI built with `kserve`, …): `GET /v2` names itself something other than
 * triton or kserve. Listing is not in the OIP spec, so we try what such servers
 * commonly offer (the repository index, `GET /v2/models`) and fall back to the
 * configured model names.
 */
import { InferenceError } from '../../http/errors';
import type { ModelInfo } from '../types';
import { OipAdapterBase } from './oipBase';
import { groupRepositoryIndex, modelNames, readyModels } from './oipCommon';

export class OipAdapter extends OipAdapterBase {
  readonly kind = 'oip' as const;

  protected claims(name: string): boolean {
    return name !== 'triton' && name !== 'kserve';
  }

  /** The name says which server this is ("mlserver 1.6.1"). */
  override async version(signal?: AbortSignal): Promise<string | undefined> {
    const m = await this.serverMetadata(signal);
    return m ? [m.name, m.version].filter(Boolean).join(' ') : undefined;
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const index = await this.http.get('/v2/repository/index', signal, 'POST', '{}');
    if (index.status === 200) {
      const entries: unknown = index.json();
      if (Array.isArray(entries)) return groupRepositoryIndex(entries, index.url);
    }
    const names = modelNames(await this.http.optionalJson('/v2/models', signal)) ?? this.config.models;
    if (!names) {
      throw new InferenceError(
        'http',
        `${this.http.base} offers no way to list its models (no repository index, no GET /v2/models): add the model names to this server's configuration.`,
        {
          url: this.http.base,
        },
      );
    }
    return readyModels(this.http, names, signal);
  }
}
