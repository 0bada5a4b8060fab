/**
 * OpenAI-compatible pieces shared by the vLLM and generic OpenAI adapters:
 * the `GET /v1/models` list shape (`{"object":"list","data":[…]}`) and its
 * items as models.
 */
import { InferenceError } from '../../http/errors';
import { jsonObject, type ProbeAnswer } from '../probeSession';
import type { ServerHttp } from '../serverHttp';
import type { ModelInfo, ModelMetadata } from '../types';

export interface OpenAiModel {
  id: string;
  object?: string;
  created?: number;
  owned_by?: string;
  /** vLLM extras. */
  root?: string;
  parent?: string | null;
  max_model_len?: number;
}

/** The list when `a` answered 2xx with an OpenAI model list (`object: "list"`, `data` array). */
export function openAiList(a: ProbeAnswer): OpenAiModel[] | undefined {
  return openAiListFrom(jsonObject(a));
}

export function openAiListFrom(j: unknown): OpenAiModel[] | undefined {
  if (!j || typeof j !== 'object' || (j as { object?: unknown }).object !== 'list') return undefined;
  const data = (j as { data?: unknown }).data;
  if (!Array.isArray(data)) return undefined;
  return (data as Partial<OpenAiModel>[]).filter((m): m is OpenAiModel => typeof m?.id === 'string');
}

/** Where the list lives: a base URL that already ends in `/v1` (an OpenAI-style base) takes `/models`. */
export function modelsPath(http: ServerHttp): string {
  return /\/v1$/.test(new URL(http.base).pathname) ? '/models' : '/v1/models';
}

export async function fetchOpenAiModels(http: ServerHttp, signal?: AbortSignal): Promise<OpenAiModel[]> {
  const path = modelsPath(http);
  const res = http.ensureOk(await http.get(path, signal));
  const list = openAiListFrom(res.json());
  if (!list)
    throw new InferenceError(
      'malformed',
      `${res.url} did not return an OpenAI model list ({"object":"list","data":[…]})`,
      { url: res.url, status: res.status },
    );
  return list;
}

export function toModelInfo(m: OpenAiModel): ModelInfo {
  // A listed model is loaded and servable: OpenAI-style servers list nothing else.
  return { name: m.id, ready: true, state: m.parent ? `adapter of ${m.parent}` : undefined };
}

export async function openAiModelMetadata(
  http: ServerHttp,
  model: string,
  signal?: AbortSignal,
): Promise<ModelMetadata> {
  const list = await fetchOpenAiModels(http, signal);
  const m = list.find((x) => x.id === model);
  if (!m)
    throw new InferenceError(
      'http',
      `Model "${model}" is not served by ${http.base} (it lists: ${list.map((x) => x.id).join(', ') || 'none'})`,
      { status: 404, url: http.base },
    );
  const properties: ModelMetadata['properties'] = {};
  if (m.owned_by) properties.ownedBy = m.owned_by;
  if (typeof m.max_model_len === 'number') properties.maxModelLen = m.max_model_len;
  if (m.root && m.root !== m.id) properties.root = m.root;
  if (m.parent) properties.parent = m.parent;
  if (typeof m.created === 'number' && m.created > 0) properties.created = new Date(m.created * 1000).toISOString();
  return { name: m.id, inputs: [], outputs: [], properties };
}
