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
import type { BenchGroup, benchGroupTable } from '../../shared/benchGroups';
import type { TemplateId } from '../../shared/request';

/** Everything the extension knows about one server kind, in one place. */
export interface KindDescriptor {
  /** Human name for messages and the tree. */
  label: string;
  adapter: new (config: ServerConfig) => AdapterBase;
  /** Request-panel templates offered for this kind, most specific first. */
  requestTemplates: readonly TemplateId[];
  /** The benchmark API this kind speaks for each group it serves (when the spec names none). */
  benchApis: { readonly [G in BenchGroup]?: (typeof benchGroupTable)[G]['apis'][number] };
  /** The group *Run Benchmark…* offers first for a server of this kind. */
  benchGroup: BenchGroup;
  /** Its page in the guide (media/guide), when it has one. */
  guidePage?: string;
}

const openAiTemplates: readonly TemplateId[] = ['openai-chat', 'openai-completions', 'openai-embeddings'];

/** The kind descriptors. Adding a kind: its adapter in adapters/, one entry here (docs/architecture.md). */
export const kinds: { readonly [K in ServerKind]: KindDescriptor } = {
  triton: {
    label: 'Triton',
    adapter: TritonAdapter,
    requestTemplates: ['kserve-infer'],
    benchApis: { 'text-generation': 'triton-generate', 'image-classification': 'kserve', embeddings: 'kserve' },
    benchGroup: 'image-classification',
    guidePage: 'servers/triton',
  },
  kserve: {
    label: 'KServe',
    adapter: KServeAdapter,
    requestTemplates: ['kserve-infer', 'openai-chat'],
    benchApis: { 'image-classification': 'kserve', embeddings: 'kserve' },
    benchGroup: 'image-classification',
    guidePage: 'servers/kserve',
  },
  oip: {
    label: 'Open Inference Protocol',
    adapter: OipAdapter,
    requestTemplates: ['kserve-infer'],
    benchApis: { 'image-classification': 'kserve', embeddings: 'kserve' },
    benchGroup: 'image-classification',
  },
  vllm: {
    label: 'vLLM',
    adapter: VllmAdapter,
    requestTemplates: openAiTemplates,
    benchApis: { 'text-generation': 'openai-completions', embeddings: 'openai' },
    benchGroup: 'text-generation',
    guidePage: 'servers/vllm',
  },
  openai: {
    label: 'OpenAI-compatible',
    adapter: OpenAiAdapter,
    requestTemplates: openAiTemplates,
    benchApis: { 'text-generation': 'openai-completions', embeddings: 'openai' },
    benchGroup: 'text-generation',
  },
  tgi: {
    label: 'TGI',
    adapter: TgiAdapter,
    requestTemplates: ['tgi-generate-stream', 'tgi-generate', 'openai-chat', 'openai-completions'],
    benchApis: { 'text-generation': 'tgi' },
    benchGroup: 'text-generation',
    guidePage: 'servers/tgi',
  },
  ollama: {
    label: 'Ollama',
    adapter: OllamaAdapter,
    requestTemplates: ['ollama-chat', 'ollama-generate', 'ollama-embed', 'openai-chat', 'openai-embeddings'],
    benchApis: { 'text-generation': 'ollama', embeddings: 'ollama' },
    benchGroup: 'text-generation',
    guidePage: 'servers/ollama',
  },
  torchserve: {
    label: 'TorchServe',
    adapter: TorchServeAdapter,
    requestTemplates: ['torchserve-predict', 'kserve-infer'],
    benchApis: { 'image-classification': 'torchserve' },
    benchGroup: 'image-classification',
    guidePage: 'servers/torchserve',
  },
  tfserving: {
    label: 'TF Serving',
    adapter: TfServingAdapter,
    requestTemplates: ['tfserving-predict'],
    benchApis: { 'image-classification': 'tfserving' },
    benchGroup: 'image-classification',
    guidePage: 'servers/tf-serving',
  },
  tei: {
    label: 'TEI',
    adapter: TeiAdapter,
    requestTemplates: ['tei-embed', 'openai-embeddings'],
    benchApis: { embeddings: 'tei' },
    benchGroup: 'embeddings',
  },
  rayserve: {
    label: 'Ray Serve',
    adapter: RayServeAdapter,
    requestTemplates: openAiTemplates,
    benchApis: { 'text-generation': 'openai-completions' },
    benchGroup: 'text-generation',
    guidePage: 'servers/ray-serve',
  },
};

/** Fingerprint priority (§0.1): `/v2` name, Ollama banner, vLLM, `/info`, `/ping`, TF Serving, Ray routes, OpenAI list. */
export const detectionOrder: readonly ServerKind[] = [
  'triton',
  'kserve',
  'oip',
  'ollama',
  'vllm',
  'tgi',
  'tei',
  'torchserve',
  'tfserving',
  'rayserve',
  'openai',
];

/** Human names for messages and the tree. */
export const kindLabels = Object.fromEntries(Object.entries(kinds).map(([k, d]) => [k, d.label])) as Record<
  ServerKind,
  string
>;

/**
 * The adapter for a server of a known kind. Throws an 'invalid-url'
 * InferenceError for a bad URL (no request is made here).
 */
export function createAdapter(kind: ServerKind, config: ServerConfig): AdapterBase {
  return new kinds[kind].adapter(config);
}
