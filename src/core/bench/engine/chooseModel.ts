import { toInferenceError } from '../../http/errors';
import type { Logger } from '../../util/logger';
import type { AdapterBase } from '../../servers/adapterBase';
import type { ModelMetadata } from '../../servers/types';
import type { BenchGroup } from '../spec';

const EMBEDDING_NAME = /embed|bge|e5-|gte|minilm|mpnet|sentence/i;
const IMAGE_NAME = /resnet|vit|image|efficientnet|mobilenet|yolo|densenet|inception|vgg/i;

/** How well a model fits the group, from its name and (for tensor servers) its inputs. */
function score(group: BenchGroup, name: string, meta: ModelMetadata | undefined): number {
  const inputs = meta?.inputs ?? [];
  if (group === 'image-classification') {
    const tensor = inputs.some((t) => t.datatype !== 'BYTES' && (t.shape?.filter((d) => d !== -1).length ?? 0) >= 3);
    return (tensor ? 2 : 0) + (IMAGE_NAME.test(name) ? 1 : 0);
  }
  if (group === 'embeddings')
    return (EMBEDDING_NAME.test(name) ? 2 : 0) + (inputs.some((t) => t.datatype === 'BYTES') ? 1 : 0);
  return EMBEDDING_NAME.test(name) || IMAGE_NAME.test(name) ? -1 : 0;
}

/**
 * The model to benchmark when none is named: of the (ready) models the server
 * lists, the first that looks like the group's — a server such as Triton or
 * vLLM often serves a text, an embedding and an image model side by side.
 */
export async function chooseModel(
  adapter: AdapterBase,
  group: BenchGroup,
  signal?: AbortSignal,
  logger?: Logger,
): Promise<{ name: string; metadata?: ModelMetadata } | undefined> {
  const listed = await adapter.listModels(signal).catch((e: unknown) => {
    const err = toInferenceError(e);
    // A refused key or an unreadable list is the server's answer, not a missing argument: say so instead of "pass --model".
    if (err.kind === 'auth' || err.kind === 'malformed' || err.kind === 'cancelled') throw err;
    logger?.warn(`Could not list models: ${err.message}`);
    return [];
  });
  const models = [...listed.filter((m) => m.ready !== false), ...listed.filter((m) => m.ready === false)].slice(0, 16);
  let best: { name: string; metadata?: ModelMetadata; score: number } | undefined;
  for (const m of models) {
    const metadata =
      group === 'text-generation' ? undefined : await adapter.modelMetadata(m.name, signal).catch(() => undefined);
    const s = score(group, m.name, metadata);
    if (!best || s > best.score) best = { name: m.name, metadata, score: s };
  }
  return best && { name: best.name, metadata: best.metadata };
}
