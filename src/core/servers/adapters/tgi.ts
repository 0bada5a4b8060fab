/**
 * Hugging Face Text Generation Inference (wire-reference §8): `/info` with
 * `router: "text-generation-router"`, one model, SSE written `data:{…}` with
 * no space after the colon.
 */
import { AdapterBase } from '../adapterBase';
import { jsonObject, str, type ProbeSession } from '../probeSession';
import type { FingerprintResult, HealthResult, ModelInfo, ModelMetadata } from '../types';
import { infoMetadata, readInfo, singleModel } from './hfInfo';
import { statusHealth } from './statusHealth';

const shown = ['model_pipeline_tag', 'model_sha', 'max_input_tokens', 'max_total_tokens', 'max_concurrent_requests', 'max_best_of', 'max_stop_sequences', 'max_client_batch_size', 'version', 'docker_label'];

export class TgiAdapter extends AdapterBase {
  readonly kind = 'tgi' as const;

  async match(probe: ProbeSession): Promise<FingerprintResult> {
    const info = jsonObject(await probe.get('/info'));
    if (info?.router === 'text-generation-router') {
      const version = str(info.version);
      return { matched: true, version, evidence: `GET /info → router "text-generation-router", model ${str(info.model_id) ?? '?'}` };
    }
    return { matched: false, evidence: 'GET /info has no router "text-generation-router"' };
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
    return infoMetadata(this.http, model, shown, signal);
  }
}
