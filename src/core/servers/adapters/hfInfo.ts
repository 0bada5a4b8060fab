/**
 * Hugging Face TGI and TEI both describe their single model on `GET /info`
 * (wire-reference §8, §10) and tell health by `GET /health` 200 / 503.
 */
import { InferenceError } from '../../http/errors';
import { AdapterBase } from '../adapterBase';
import { str } from '../probeSession';
import type { ServerHttp } from '../serverHttp';
import type { HealthResult, ModelInfo, ModelMetadata } from '../types';
import { statusHealth } from './statusHealth';

export type Info = Record<string, unknown>;

export async function readInfo(http: ServerHttp, signal?: AbortSignal): Promise<Info> {
  const info = await http.getJson<unknown>('/info', signal);
  if (!info || typeof info !== 'object' || Array.isArray(info))
    throw new InferenceError('malformed', `${http.url('/info')} did not return a JSON object`, {
      url: http.url('/info'),
    });
  return info as Info;
}

/** The one model the server was started with; ready when the server is. */
export async function singleModel(http: ServerHttp, signal?: AbortSignal): Promise<ModelInfo[]> {
  const [info, health] = await Promise.all([readInfo(http, signal), statusHealth(http, '/health', signal)]);
  const name = str(info.served_model_name) ?? str(info.model_id);
  if (!name) return [];
  const sha = str(info.model_sha);
  return [{ name, ready: health.ready, versions: sha ? [sha.slice(0, 12)] : undefined, reason: health.detail }];
}

/** The `/info` fields worth showing, renamed to camelCase, scalars only. */
export function infoProperties(info: Info, keys: string[]): ModelMetadata['properties'] {
  const out: ModelMetadata['properties'] = {};
  for (const k of keys) {
    const v = info[k];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
      out[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
  }
  return out;
}

/** Metadata of the served model (no tensors: these servers take text). */
export async function infoMetadata(
  http: ServerHttp,
  model: string,
  keys: string[],
  signal?: AbortSignal,
  extra?: (info: Info) => ModelMetadata['properties'],
): Promise<ModelMetadata> {
  const info = await readInfo(http, signal);
  const names = [str(info.model_id), str(info.served_model_name)].filter(Boolean);
  if (!names.includes(model)) {
    throw new InferenceError(
      'http',
      `Model "${model}" is not served by ${http.base} (it serves ${names.join(' / ') || 'no named model'})`,
      { status: 404, url: http.url('/info') },
    );
  }
  return {
    name: model,
    inputs: [],
    outputs: [],
    properties: { ...infoProperties(info, keys), ...(extra?.(info) ?? {}) },
  };
}

/** TGI and TEI: version, health, the single model and its metadata all come from `/info` and `/health`. */
export abstract class InfoAdapterBase extends AdapterBase {
  /** The `/info` fields shown as model properties. */
  protected abstract readonly shown: string[];

  /** Properties derived from `/info` beyond the scalar fields. */
  protected extraProperties(_info: Info): ModelMetadata['properties'] {
    return {};
  }

  override async version(signal?: AbortSignal): Promise<string | undefined> {
    return str((await readInfo(this.http, signal)).version);
  }

  health(signal?: AbortSignal): Promise<HealthResult> {
    return statusHealth(this.http, '/health', signal);
  }

  listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    return singleModel(this.http, signal);
  }

  modelMetadata(model: string, signal?: AbortSignal): Promise<ModelMetadata> {
    return infoMetadata(this.http, model, this.shown, signal, (info) => this.extraProperties(info));
  }
}
