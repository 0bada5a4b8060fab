/**
 * Any other OpenAI-compatible server (llama.cpp, SGLang, LM Studio, a KServe
 * `/openai` prefix, a gateway): all we rely on is `GET /v1/models` returning
 * `{"object":"list","data":[…]}`. Health is that call's status; metrics are
 * scraped from `/metrics` when the server has it. The version is the OpenAPI
 * description's `info.version` where the server publishes one (FastAPI
 * servers such as Infinity: `/openapi.json`, under its URL prefix).
 */
import { AdapterBase } from '../adapterBase';
import type { ProbeSession } from '../probeSession';
import type { FingerprintResult, HealthResult, ModelInfo, ModelMetadata } from '../types';
import { fetchOpenAiModels, modelsPath, openAiList, openAiModelMetadata, toModelInfo } from './openaiCommon';
import { statusHealth } from './statusHealth';

export class OpenAiAdapter extends AdapterBase {
  readonly kind = 'openai' as const;

  async match(probe: ProbeSession): Promise<FingerprintResult> {
    const list = openAiList(await probe.get('/v1/models'));
    if (!list) return { matched: false, evidence: 'GET /v1/models gave no OpenAI model list' };
    const owners = [...new Set(list.map((m) => m.owned_by).filter(Boolean))].slice(0, 3);
    return {
      matched: true,
      evidence: `GET /v1/models → object "list" with ${list.length} model(s)${owners.length ? `, owned_by ${owners.map((o) => `"${o}"`).join(', ')}` : ''}`,
    };
  }

  override async version(signal?: AbortSignal): Promise<string | undefined> {
    const prefixed = /\/v1$/.test(new URL(this.http.base).pathname);
    for (const p of prefixed ? ['/openapi.json'] : ['/openapi.json', '/v1/openapi.json']) {
      const info = (await this.http.optionalJson(p, signal))?.info;
      const v = info && typeof info === 'object' ? (info as Record<string, unknown>).version : undefined;
      if (typeof v === 'string' && v) return v;
    }
    return undefined;
  }

  health(signal?: AbortSignal): Promise<HealthResult> {
    return statusHealth(this.http, modelsPath(this.http), signal);
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    return (await fetchOpenAiModels(this.http, signal)).map(toModelInfo);
  }

  modelMetadata(model: string, signal?: AbortSignal): Promise<ModelMetadata> {
    return openAiModelMetadata(this.http, model, signal);
  }
}
