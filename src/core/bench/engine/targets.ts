import type { EmbeddingsApi, ImageApi, TextApi } from '../spec';
import type { NormalizedSpec } from '../specNormalize';
import type { TargetFactory } from './callTarget';
import { embeddingsTargetFactory } from './embeddingsTargets';
import type { Endpoint } from './endpoint';
import { imageTargetFactory } from './imageTargets';
import type { PreparedWorkload } from '../workload/prepare';
import type { ResolvedServer } from './resolveServer';
import { textTargetFactory } from './textTargets';

/** The target factory for one batch size of the run's group and API. */
export function targetFactory(spec: NormalizedSpec, server: ResolvedServer, endpoint: Endpoint, batchSize: number, workload: PreparedWorkload): TargetFactory {
  if (spec.group === 'text-generation') return textTargetFactory(spec, server.api as TextApi, server.model, endpoint, workload.textItems!);
  if (spec.group === 'embeddings') return embeddingsTargetFactory(spec, server.api as EmbeddingsApi, server, endpoint, batchSize);
  return imageTargetFactory(spec, server.api as ImageApi, server, endpoint, batchSize);
}
