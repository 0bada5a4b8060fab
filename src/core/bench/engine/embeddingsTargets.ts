import { seededUniform } from '../../stats/random';
import { embeddingsApis, type EmbeddingsItem } from '../protocols/embeddingsApis';
import type { EmbeddingsApi } from '../spec';
import type { NormalizedSpec } from '../specNormalize';
import { sampleLength, syntheticPrompt } from '../workload/textWorkload';
import { countTokens } from '../workload/tokens';
import type { CallPlan, TargetFactory } from './callTarget';
import type { Endpoint } from './endpoint';
import { HttpTarget } from './httpTarget';
import type { ResolvedServer } from './resolveServer';

/** Distinct request bodies per batch size; request i sends body i mod this. */
const bodyPool = 256;

/** The BYTES input's name and its shape for a batch, from the model's metadata when it has them. */
function kserveInput(
  spec: NormalizedSpec,
  server: ResolvedServer,
  batch: number,
): { inputName: string; shape: number[] } {
  const meta = server.metadata?.inputs.find((t) => t.datatype === 'BYTES') ?? server.metadata?.inputs[0];
  const inputName = spec.embeddings.inputName ?? meta?.name ?? 'text';
  const dims = meta?.shape?.length ? meta.shape : [-1];
  return { inputName, shape: dims.map((d, k) => (k === 0 ? batch : d < 0 ? 1 : d)) };
}

export function embeddingsTargetFactory(
  spec: NormalizedSpec,
  api: EmbeddingsApi,
  server: ResolvedServer,
  endpoint: Endpoint,
  batch: number,
): TargetFactory {
  const rand = seededUniform(spec.seed ^ 0xe3b);
  const texts = Array.from({ length: bodyPool }, () =>
    syntheticPrompt(sampleLength(spec.embeddings.inputTokens, rand), rand),
  );
  const tokens = texts.map(countTokens);
  const protocol = embeddingsApis[api];
  const ctx = { model: server.model, ignoreEos: false };
  const extra = api === 'kserve' ? kserveInput(spec, server, batch) : {};
  // Built up front: the hot path only picks a ready body.
  const plans: CallPlan[] = Array.from({ length: bodyPool }, (_, k) => {
    const idx = Array.from({ length: batch }, (_, j) => (k * batch + j) % bodyPool);
    const item: EmbeddingsItem = { inputs: idx.map((j) => texts[j]), ...extra };
    return { request: protocol.request(item, ctx), n: batch, inputOwn: idx.reduce((a, j) => a + tokens[j], 0) };
  });
  const plan = (i: number): CallPlan => plans[i % bodyPool];
  return (connections) =>
    new HttpTarget({
      origin: endpoint.origin,
      basePath: endpoint.basePath,
      connections,
      protocol,
      plan,
      headers: endpoint.headers,
      countOutput: false,
      allowSelfSigned: endpoint.allowSelfSigned,
    });
}
