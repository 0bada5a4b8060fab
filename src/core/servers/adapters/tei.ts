/**
 * Hugging Face Text Embeddings Inference (wire-reference §10): `/info` with
 * `model_type` and `max_input_length` and no `router`; one model; no streams.
 */
import { jsonObject, str, type ProbeSession } from '../probeSession';
import type { FingerprintResult, ModelMetadata, StreamFraming } from '../types';
import { InfoAdapterBase, type Info } from './hfInfo';

/** `{"embedding":{"pooling":"cls"}}` → "embedding (pooling cls)"; `{"classifier":{…}}` → "classifier". */
function modelType(info: Info): string | undefined {
  const t = info.model_type;
  if (!t || typeof t !== 'object') return undefined;
  const [kind, body] = Object.entries(t)[0] ?? [];
  const pooling = str((body as { pooling?: unknown } | undefined)?.pooling);
  return kind ? `${kind}${pooling ? ` (pooling ${pooling})` : ''}` : undefined;
}

export class TeiAdapter extends InfoAdapterBase {
  readonly kind = 'tei' as const;
  override readonly streamFraming: StreamFraming = 'none';
  protected readonly shown = [
    'model_dtype',
    'model_sha',
    'max_input_length',
    'max_batch_tokens',
    'max_batch_requests',
    'max_client_batch_size',
    'max_concurrent_requests',
    'auto_truncate',
    'version',
    'docker_label',
  ];

  async match(probe: ProbeSession): Promise<FingerprintResult> {
    const info = jsonObject(await probe.get('/info'));
    if (info && info.model_type !== undefined && info.max_input_length !== undefined && info.router === undefined) {
      return {
        matched: true,
        version: str(info.version),
        evidence: `GET /info → model_type ${modelType(info) ?? '?'}, max_input_length ${String(info.max_input_length)}`,
      };
    }
    return { matched: false, evidence: 'GET /info has no model_type and max_input_length' };
  }

  protected override extraProperties(info: Info): ModelMetadata['properties'] {
    const t = modelType(info);
    return t ? { modelType: t } : {};
  }
}
