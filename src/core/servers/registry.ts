/**
 * Which adapter serves which kind, and the order in which detection trusts
 * their fingerprints (wire-reference §0.1: most specific evidence first, the
 * generic OpenAI list last because Ollama, TGI and KServe all fit it too).
 */
import type { AdapterBase } from './adapterBase';
import { KServeAdapter } from './adapters/kserve';
import { OipAdapter } from './adapters/oip';
import { OllamaAdapter } from './adapters/ollama';
import { OpenAiAdapter } from './adapters/openai';
import { RayServeAdapter } from './adapters/rayserve';
import { TeiAdapter } from './adapters/tei';
import { TfServingAdapter } from './adapters/tfserving';
import { TgiAdapter } from './adapters/tgi';
import { TorchServeAdapter } from './adapters/torchserve';
import { TritonAdapter } from './adapters/triton';
import { VllmAdapter } from './adapters/vllm';
import type { ServerConfig, ServerKind } from './types';

const factories: Record<ServerKind, new (config: ServerConfig) => AdapterBase> = {
  triton: TritonAdapter,
  kserve: KServeAdapter,
  oip: OipAdapter,
  vllm: VllmAdapter,
  openai: OpenAiAdapter,
  tgi: TgiAdapter,
  ollama: OllamaAdapter,
  torchserve: TorchServeAdapter,
  tfserving: TfServingAdapter,
  tei: TeiAdapter,
  rayserve: RayServeAdapter,
};

/** Fingerprint priority (§0.1): `/v2` name, Ollama banner, vLLM, `/info`, `/ping`, TF Serving, Ray routes, OpenAI list. */
export const detectionOrder: readonly ServerKind[] = ['triton', 'kserve', 'oip', 'ollama', 'vllm', 'tgi', 'tei', 'torchserve', 'tfserving', 'rayserve', 'openai'];

/** Human names for messages and the tree. */
export const kindLabels: Record<ServerKind, string> = {
  triton: 'Triton',
  kserve: 'KServe',
  oip: 'Open Inference Protocol',
  vllm: 'vLLM',
  openai: 'OpenAI-compatible',
  tgi: 'TGI',
  ollama: 'Ollama',
  torchserve: 'TorchServe',
  tfserving: 'TF Serving',
  tei: 'TEI',
  rayserve: 'Ray Serve',
};

/**
 * The adapter for a server of a known kind. Throws an 'invalid-url'
 * InferenceError for a bad URL (no request is made here).
 */
export function createAdapter(kind: ServerKind, config: ServerConfig): AdapterBase {
  return new factories[kind](config);
}
