/**
 * Hugging Face Text Embeddings Inference (wire-reference §10): `/info` with
 * `model_type` and `max_input_length` and no `router`; one model; no streams.
 */
import { AdapterBase } from '../adapterBase';
import { jsonObject, str, type ProbeSession } from '../probeSession';
import type { FingerprintResult, HealthResult, ModelInfo, ModelMetadata, StreamFraming } from '../types';
import { infoMetadata, readInfo, singleModel, type Info } from './hfInfo';
import { statusHealth } from './statusHealth';

const shown = ['model_dtype', 'model_sha', 'max_input_length', 'max_batch_tokens', 'max_batch_requests', 'max_client_batch_size', 'max_concurrent_requests', 'auto_truncate', 'version', 'docker_label'];

/** `{"embedding":{"pooling":"cls"}}` → "embedding (pooling cls)"; `{"classifier":{…}}` → "classifier". */
function modelType(info: Info): string | undefined {
  const t = info.model_type;
  if (!t || typeof t !== 'object') return undefined;
  const [kind, body] = Object.entries(t)[0] ?? [];
  const pooling = str((body as { pooling?: unknown } | undefined)?.pooling);
  return kind ? `${kind}${pooling ? ` (pooling ${pooling})` : ''}` : undefined;
}

export class TeiAdapter extends AdapterBase {
  readonly kind = 'tei' as const;
  override readonly streamFraming: StreamFraming = 'none';

  async match(probe: ProbeSession): Promise<FingerprintResult> {
    const info = jsonObject(await probe.get('/info'));
    if (info && info.model_type !== undefined && info.max_input_length !== undefined && info.router === undefined) {
      return { matched: true, version: str(info.version), evidence: `GET /info → model_type ${modelType(info) ?? '?'}, max_input_length ${String(info.max_input_length)}` };
    }
    return { matched: false, evidence: 'GET /info has no model_type and max_input_length' };
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
    return infoMetadata(this.http, model, shown, signal, (info): ModelMetadata['properties'] => {
      const t = modelType(info);
      return t ? { modelType: t } : {};
    });
  }
}
