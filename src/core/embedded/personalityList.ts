/**
 * Every personality the embedded server can run, loaded on demand (the gRPC
 * and proto machinery of the tensor servers stays out of memory unless they
 * are enabled). To add one: one line here, keyed by its config name; the
 * order here is the order of `endpoints`.
 */
import type { Personality } from './personality';

export const personalityLoaders: Record<string, () => Promise<Personality>> = {
  vllm: async () => (await import('./personalities/vllm/vllm.js')).vllmPersonality,
  triton: async () => (await import('./personalities/triton/triton.js')).tritonPersonality,
  tgi: async () => (await import('./personalities/tgi/tgi.js')).tgiPersonality,
  ollama: async () => (await import('./personalities/ollama/ollama.js')).ollamaPersonality,
  torchserve: async () => (await import('./personalities/torchserve/torchserve.js')).torchservePersonality,
  tfserving: async () => (await import('./personalities/tfserving/tfserving.js')).tfservingPersonality,
  tei: async () => (await import('./personalities/tei/tei.js')).teiPersonality,
  rayserve: async () => (await import('./personalities/rayserve/rayServe.js')).rayServePersonality,
};
