/** How vLLM requests fan out into jobs, and their token usage (shared by the plain and streaming paths). */
import type { ServerResponse } from 'node:http';
import type { TextRequest } from '../../openai/textRequest';
import type { TextJobSpec } from '../../textJob';
import type { Usage } from './vllmBodies';

export interface Choice {
  index: number;
  promptIndex: number;
  spec: TextJobSpec;
}

/** One job per (prompt, n): choice i > 0 uses seed + i so the n outputs differ. */
export function choicesOf(r: TextRequest, signal: AbortSignal | undefined, client?: ServerResponse): Choice[] {
  const out: Choice[] = [];
  for (let pi = 0; pi < r.prompts.length; pi++) {
    const p = r.prompts[pi];
    for (let i = 0; i < r.n; i++) {
      const seed = i === 0 ? r.seed : (r.seed ?? r.model.seed) + i;
      out.push({
        index: pi * r.n + i,
        promptIndex: pi,
        spec: {
          model: r.model,
          prompt: p.text,
          promptTokens: p.tokens,
          cachedTokens: p.cached,
          maxTokens: r.maxTokens,
          seed,
          stop: r.stop,
          ignoreEos: r.ignoreEos,
          signal,
          client,
        },
      });
    }
  }
  return out;
}

/** Prompt tokens are counted once per prompt, not once per choice. */
export function usageOf(r: TextRequest, completion: number, reasoning?: number): Usage {
  let prompt = 0;
  let cached = 0;
  for (const p of r.prompts) {
    prompt += p.tokens;
    cached += p.cached ?? 0;
  }
  const u: Usage = { prompt, completion };
  if (reasoning !== undefined) u.reasoning = reasoning;
  if (r.promptDetails) u.cached = cached;
  return u;
}

/** Reasoning tokens at the start of each answer: a reasoning model's, in chat (vLLM's reasoning parser works on chat only). */
export function reasoningOf(r: TextRequest): number {
  return r.kind === 'chat' ? r.model.reasoningTokens : 0;
}
