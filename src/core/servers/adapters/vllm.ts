/**
 * vLLM's OpenAI-compatible server (wire-reference §7): `GET /version`, models
 * owned by "vllm", `GET /health` 200 / 503 (engine dead). The HTTP server only
 * starts once the model has loaded, so a refused connection means "still
 * loading or crashed" — the prober says so.
 */
import { AdapterBase } from '../adapterBase';
import { jsonObject, str, type ProbeSession } from '../probeSession';
import type { FingerprintResult, HealthResult, ModelInfo, ModelMetadata } from '../types';
import { fetchOpenAiModels, openAiList, openAiModelMetadata, toModelInfo } from './openaiCommon';
import { statusHealth } from './statusHealth';

export class VllmAdapter extends AdapterBase {
  readonly kind = 'vllm' as const;

  async match(probe: ProbeSession): Promise<FingerprintResult> {
    const [v, models] = await Promise.all([probe.get('/version'), probe.get('/v1/models')]);
    const version = str(jsonObject(v)?.version);
    if (version === undefined) return { matched: false, evidence: 'GET /version gave no {"version"}' };
    const list = openAiList(models);
    if (list?.some((m) => m.owned_by === 'vllm')) {
      return { matched: true, version, evidence: `GET /version → ${version}; GET /v1/models → owned_by "vllm"` };
    }
    // With --api-key the model list is guarded but /version stays open (§7).
    if (models.reached && models.status === 401 && v.reached && /uvicorn/i.test(v.headers.server ?? '')) {
      return {
        matched: true,
        version,
        evidence: `GET /version → ${version} (server: uvicorn); GET /v1/models needs an API key (HTTP 401)`,
      };
    }
    return { matched: false, evidence: `GET /version → ${version} but no /v1/models item is owned_by "vllm"` };
  }

  override async version(signal?: AbortSignal): Promise<string | undefined> {
    return str((await this.http.optionalJson('/version', signal))?.version);
  }

  health(signal?: AbortSignal): Promise<HealthResult> {
    return statusHealth(this.http, '/health', signal);
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    return (await fetchOpenAiModels(this.http, signal)).map(toModelInfo);
  }

  modelMetadata(model: string, signal?: AbortSignal): Promise<ModelMetadata> {
    return openAiModelMetadata(this.http, model, signal);
  }
}
