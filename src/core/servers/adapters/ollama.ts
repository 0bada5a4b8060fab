/**
 * Ollama (wire-reference §9): the `GET /` banner "Ollama is running" is its
 * whole health story; models on disk from `/api/tags`, loaded ones from
 * `/api/ps`; NDJSON streams; no metrics endpoint.
 */
import { AdapterBase } from '../adapterBase';
import { jsonObject, str, type ProbeSession } from '../probeSession';
import type { FingerprintResult, HealthResult, ModelInfo, ModelMetadata, StreamFraming } from '../types';

const banner = 'Ollama is running';

interface TagsModel {
  name?: string;
  model?: string;
  digest?: string;
  details?: { family?: string; parameter_size?: string; quantization_level?: string; format?: string };
}

function names(j: Record<string, unknown> | undefined): TagsModel[] {
  return Array.isArray(j?.models)
    ? (j.models as TagsModel[]).filter((m) => typeof (m?.name ?? m?.model) === 'string')
    : [];
}

export class OllamaAdapter extends AdapterBase {
  readonly kind = 'ollama' as const;
  override readonly streamFraming: StreamFraming = 'ndjson';

  async match(probe: ProbeSession): Promise<FingerprintResult> {
    const root = await probe.get('/');
    if (!root.reached || root.status !== 200 || root.text.trim() !== banner)
      return { matched: false, evidence: `GET / did not say "${banner}"` };
    const version = str(jsonObject(await probe.get('/api/version'))?.version);
    return {
      matched: true,
      version,
      evidence: `GET / → "${banner}"${version ? `; GET /api/version → ${version}` : ''}`,
    };
  }

  override async version(signal?: AbortSignal): Promise<string | undefined> {
    return str((await this.http.optionalJson('/api/version', signal))?.version);
  }

  async health(signal?: AbortSignal): Promise<HealthResult> {
    const r = await this.http.get('/', signal);
    if (r.status === 401 || r.status === 403 || r.status === 404) this.http.ensureOk(r);
    // No readiness beyond the banner: models load on first use.
    if (r.status === 200 && r.text().trim() === banner) return { live: true, ready: true };
    return { live: true, ready: false, detail: `GET / → HTTP ${r.status}, not the "${banner}" banner` };
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const [tags, ps] = await Promise.all([
      this.http.getJson<Record<string, unknown>>('/api/tags', signal),
      this.http.optionalJson('/api/ps', signal),
    ]);
    const loaded = new Set(names(ps).map((m) => m.name ?? m.model));
    return names(tags).map((m) => {
      const name = (m.name ?? m.model)!;
      return {
        name,
        ready: true,
        state: loaded.has(name) ? 'loaded' : 'on disk',
        versions: m.digest ? [m.digest.slice(0, 12)] : undefined,
      };
    });
  }

  async modelMetadata(model: string, signal?: AbortSignal): Promise<ModelMetadata> {
    const j = await this.http.postJson<Record<string, unknown>>('/api/show', { model }, signal);
    const properties: ModelMetadata['properties'] = {};
    const d = (j.details ?? {}) as TagsModel['details'] & Record<string, unknown>;
    if (d.family) properties.family = d.family;
    if (d.parameter_size) properties.parameterSize = d.parameter_size;
    if (d.quantization_level) properties.quantization = d.quantization_level;
    if (d.format) properties.format = d.format;
    const info = (j.model_info ?? {}) as Record<string, unknown>;
    // The context length key is prefixed by the architecture: "<arch>.context_length".
    const ctxKey = Object.keys(info).find((k) => k.endsWith('.context_length'));
    if (ctxKey && typeof info[ctxKey] === 'number') properties.contextLength = info[ctxKey];
    if (Array.isArray(j.capabilities)) properties.capabilities = j.capabilities.join(', ');
    return { name: model, inputs: [], outputs: [], properties };
  }

  protected override noMetricsReason = 'Ollama has no built-in Prometheus metrics endpoint.';

  /** Only a configured URL (an exporter beside Ollama). */
  protected override metricsUrl(): string | undefined {
    return this.config.metricsUrl;
  }
}
