/**
 * The engine side of each benchmark group's descriptor (its vocabulary — label,
 * unit, headline metric, APIs — is its entry in src/shared/benchGroups.ts):
 * the target factory that turns the spec, the server and the workload into
 * requests, and the workload the editor's presets start from. The mapped type
 * makes the compiler ask for an entry for every group of the shared table.
 */
import type { BenchGroup } from '../../shared/benchGroups';
import type { TargetFactory } from './engine/callTarget';
import { embeddingsTargetFactory } from './engine/embeddingsTargets';
import type { Endpoint } from './engine/endpoint';
import { imageTargetFactory } from './engine/imageTargets';
import type { ResolvedServer } from './engine/resolveServer';
import { textTargetFactory } from './engine/textTargets';
import type { BenchSpec, EmbeddingsApi, ImageApi, TextApi } from './spec';
import type { NormalizedSpec } from './specNormalize';
import type { PreparedWorkload } from './workload/prepare';

export interface GroupEngine {
  /** The target factory for one batch size of a run of this group. */
  targets(
    spec: NormalizedSpec,
    server: ResolvedServer,
    endpoint: Endpoint,
    batchSize: number,
    workload: PreparedWorkload,
  ): TargetFactory;
  /** The workload part of a preset spec: `batches` are the batch sizes to try, `quick` the short preset. */
  presetWorkload(batches: number[], quick: boolean): Partial<BenchSpec>;
}

export const groupEngines: { readonly [G in BenchGroup]: GroupEngine } = {
  'text-generation': {
    targets: (spec, server, endpoint, _batch, workload) =>
      textTargetFactory(spec, server.api as TextApi, server.model, endpoint, workload.textItems!),
    presetWorkload: (_batches, quick) => ({
      text: { inputTokens: { mean: 128 }, outputTokens: { mean: quick ? 32 : 128 }, ignoreEos: true },
    }),
  },
  'image-classification': {
    targets: (spec, server, endpoint, batch) =>
      imageTargetFactory(spec, server.api as ImageApi, server, endpoint, batch),
    presetWorkload: (batches) => ({ image: { batchSizes: batches } }),
  },
  embeddings: {
    targets: (spec, server, endpoint, batch) =>
      embeddingsTargetFactory(spec, server.api as EmbeddingsApi, server, endpoint, batch),
    presetWorkload: (batches) => ({ embeddings: { batchSizes: batches, inputTokens: { mean: 64 } } }),
  },
};
