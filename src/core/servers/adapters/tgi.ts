/**
 * Hugging Face Text Generation Inference (wire-reference §8): `/info` with
 * `router: "text-generation-router"`, one model, SSE written `data:{…}` with
 * no space after the colon.
 */
import { jsonObject, str, type ProbeSession } from '../probeSession';
import type { FingerprintResult } from '../types';
import { InfoAdapterBase } from './hfInfo';

export class TgiAdapter extends InfoAdapterBase {
  readonly kind = 'tgi' as const;
  protected readonly shown = [
    'model_pipeline_tag',
    'model_sha',
    'max_input_tokens',
    'max_total_tokens',
    'max_concurrent_requests',
    'max_best_of',
    'max_stop_sequences',
    'max_client_batch_size',
    'version',
    'docker_label',
  ];

  async match(probe: ProbeSession): Promise<FingerprintResult> {
    const info = jsonObject(await probe.get('/info'));
    if (info?.router === 'text-generation-router') {
      return {
        matched: true,
        version: str(info.version),
        evidence: `GET /info → router "text-generation-router", model ${str(info.model_id) ?? '?'}`,
      };
    }
    return { matched: false, evidence: 'GET /info has no router "text-generation-router"' };
  }
}
