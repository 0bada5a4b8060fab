/**
 * TensorFlow Serving REST (wire-reference §6). It cannot list its models, so
 * model state comes from the configured names (`GET /v1/models/{m}` →
 * `model_version_status[].state`). `GET /v1/models` answers 400 "Malformed
 * request", which is itself the fingerprint. Metrics only exist when the
 * server was started with a monitoring config.
 */
import { InferenceError, serverMessageFromBody } from '../../http/errors';
import { AdapterBase } from '../adapterBase';
import { mapLimit } from '../mapLimit';
import { jsonObject, str, type ProbeSession } from '../probeSession';
import type { FingerprintResult, HealthResult, ModelInfo, ModelMetadata, StreamFraming } from '../types';
import { signatureMetadata } from './tfSignature';

interface VersionStatus {
  version?: string;
  state?: string;
  status?: { error_code?: string; error_message?: string };
}

const enc = encodeURIComponent;

export class TfServingAdapter extends AdapterBase {
  readonly kind = 'tfserving' as const;
  override readonly streamFraming: StreamFraming = 'none';

  async match(probe: ProbeSession): Promise<FingerprintResult> {
    const list = await probe.get('/v1/models');
    const err = str(jsonObject(list, 400)?.error);
    if (err && /Malformed request/i.test(err))
      return { matched: true, evidence: `GET /v1/models → 400 {"error": "${err.slice(0, 60)}"}` };
    for (const m of this.config.models ?? []) {
      if (Array.isArray(jsonObject(await probe.get(`/v1/models/${enc(m)}`))?.model_version_status)) {
        return { matched: true, evidence: `GET /v1/models/${m} → model_version_status` };
      }
    }
    return { matched: false, evidence: 'GET /v1/models did not answer 400 "Malformed request"' };
  }

  async health(signal?: AbortSignal): Promise<HealthResult> {
    // Any answer from the REST port means the process is up; readiness is per model.
    const r = await this.http.get('/v1/models', signal);
    if (r.status === 401 || r.status === 403 || r.status === 404) this.http.ensureOk(r);
    const names = this.config.models ?? [];
    if (!names.length)
      return {
        live: true,
        ready: false,
        detail: 'TF Serving cannot list its models: add model names to this server to check readiness.',
      };
    const models = await this.listModels(signal);
    const notReady = models.filter((m) => !m.ready);
    return notReady.length
      ? {
          live: true,
          ready: false,
          detail: `Not available: ${notReady.map((m) => `${m.name} (${m.reason ?? m.state ?? 'unknown'})`).join(', ')}`,
        }
      : { live: true, ready: true };
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const names = this.config.models ?? [];
    if (!names.length) {
      throw new InferenceError(
        'http',
        'TF Serving has no list-models API: add the model names (MODEL_NAME or the model config file) to this server.',
        { url: this.http.base },
      );
    }
    return mapLimit(names, 8, (name) => this.modelStatus(name, signal));
  }

  private async modelStatus(name: string, signal?: AbortSignal): Promise<ModelInfo> {
    const r = await this.http.get(`/v1/models/${enc(name)}`, signal);
    if (r.status === 404) return { name, ready: false, state: 'NOT_FOUND', reason: serverMessageFromBody(r.body) };
    const j = this.http.ensureOk(r).json<{ model_version_status?: VersionStatus[] }>();
    const vs = j.model_version_status ?? [];
    const available = vs.filter((v) => v.state === 'AVAILABLE');
    const other = vs.find((v) => v.state !== 'AVAILABLE');
    return {
      name,
      ready: available.length > 0,
      versions: vs.map((v) => String(v.version ?? '')).filter(Boolean),
      state: available.length ? 'AVAILABLE' : (other?.state ?? 'UNKNOWN'),
      reason: available.length ? undefined : other?.status?.error_message || undefined,
    };
  }

  async modelMetadata(model: string, signal?: AbortSignal): Promise<ModelMetadata> {
    const j = await this.http.getJson<Record<string, unknown>>(`/v1/models/${enc(model)}/metadata`, signal);
    return signatureMetadata(model, j, this.http.url(`/v1/models/${model}/metadata`));
  }

  protected override metricsUrl(): string {
    // Only served when --monitoring_config_file enables it; the documented path is the usual one.
    return this.config.metricsUrl ?? this.http.url('/monitoring/prometheus/metrics');
  }
}
