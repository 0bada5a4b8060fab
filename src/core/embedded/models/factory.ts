/**
 * Builds the simulated models from their config entries (`models[]`), filling
 * latency defaults per kind. With no config, `defaultModelSpecs` gives one
 * model of each kind.
 */
import type { FaultConfig } from '../faults';
import { defaultBatchLatency, defaultTextLatency, type BatchLatency, type TextLatency } from '../latency/params';
import { EmbeddingModel } from './embeddingModel';
import { ImageModel } from './imageModel';
import { ModelRegistry, type SimulatedModel } from './registry';
import { TextModel } from './textModel';
import type { ModelKind } from './types';

/** One `models[]` entry of the config file. */
export interface ModelSpec {
  name: string;
  kind: ModelKind;
  /** Seed of outputs and jitter; defaults to the server seed. */
  seed?: number;
  latency?: Partial<TextLatency & BatchLatency>;
  faults?: Partial<FaultConfig>;
  /** Text: context window in tokens. */
  maxModelLen?: number;
  /**
   * Text: a reasoning model. The first N tokens of each chat answer are its
   * reasoning, which the vLLM personality streams as `delta.reasoning` (as
   * vLLM does with `--reasoning-parser`) and counts in
   * `usage.completion_tokens_details.reasoning_tokens`.
   */
  reasoningTokens?: number;
  /**
   * Text: LoRA adapters served on this base model, as vLLM's
   * `--lora-modules NAME=PATH`: listed in /v1/models (root = path, parent =
   * this model) and accepted in the `model` field.
   */
  lora?: Array<{ name: string; path?: string }>;
  /** Embedding: vector size. */
  dimensions?: number;
  /** Embedding: longest input in tokens. */
  maxInputTokens?: number;
}

export const defaultModelSpecs: readonly ModelSpec[] = [
  { name: 'tiny-llm', kind: 'text-generation' },
  { name: 'mini-embed', kind: 'embedding' },
  { name: 'resnet50', kind: 'image-classification' },
];

export function createModel(spec: ModelSpec, serverSeed: number, createdAt: number): SimulatedModel {
  const seed = spec.seed ?? serverSeed;
  const l = spec.latency ?? {};
  switch (spec.kind) {
    case 'text-generation':
      return new TextModel(
        spec.name,
        seed,
        createdAt,
        pick(defaultTextLatency, l),
        spec.maxModelLen ?? 8192,
        spec.faults,
        spec.reasoningTokens ?? 0,
        (spec.lora ?? []).map((a) => ({ name: a.name, path: a.path ?? `/adapters/${a.name}` })),
      );
    case 'embedding':
      return new EmbeddingModel(
        spec.name,
        seed,
        createdAt,
        pick(defaultBatchLatency, l),
        spec.dimensions ?? 384,
        spec.maxInputTokens ?? 512,
        spec.faults,
      );
    case 'image-classification':
      return new ImageModel(spec.name, seed, createdAt, pick(defaultBatchLatency, l), spec.faults);
  }
}

export function createRegistry(specs: readonly ModelSpec[], serverSeed: number, createdAt: number): ModelRegistry {
  return new ModelRegistry(specs.map((s) => createModel(s, serverSeed, createdAt)));
}

/** The defaults overridden by the keys of `given` that belong to them (text keys never leak into batch params). */
function pick<T extends object>(defaults: T, given: Partial<TextLatency & BatchLatency>): T {
  const out = { ...defaults } as Record<string, number>;
  for (const k of Object.keys(defaults)) {
    const v = (given as Record<string, number | undefined>)[k];
    if (typeof v === 'number') out[k] = v;
  }
  return out as T;
}
