/**
 * vLLM's automatic prefix caching, as the personality simulates it: the
 * prompt is cut into blocks of 16 tokens; a block is identified by its
 * tokens and every token before it (a hash chain), and a request reuses the
 * leading blocks an earlier request left in the cache. As in vLLM V1, only
 * full blocks are cached, at least the last prompt token is always computed
 * (so a prompt seen before hits all its full blocks but that one), and the
 * least recently used blocks go first when the cache is full. Hits shorten
 * the prefill (only uncached tokens are computed), and are counted in
 * `vllm:prefix_cache_queries_total` / `vllm:prefix_cache_hits_total` (tokens)
 * and, when the server runs with `enablePromptTokensDetails` (vLLM's
 * `--enable-prompt-tokens-details`), in `usage.prompt_tokens_details.cached_tokens`.
 */
import type { TextRequest } from '../../openai/textRequest';
import type { EmbeddedContext } from '../../personality';
import { tokenPieces } from '../../../text/tokenizer';
import { hashString } from '../../../util/rng';
import type { VllmMetrics } from './vllmMetrics';

/** vLLM's default KV block size. */
export const PREFIX_BLOCK_TOKENS = 16;

export class PrefixCache {
  /** Block key → nothing: a Map keeps insertion order, so the first key is the least recently used. */
  private readonly blocks = new Map<string, true>();

  constructor(private readonly capacityBlocks: number) {}

  get size(): number {
    return this.blocks.size;
  }

  /**
   * Looks a prompt up and leaves its full blocks in the cache. Returns the
   * tokens found cached: whole leading blocks, at most `tokens − 1`.
   */
  admit(model: string, prompt: string, tokens: number): number {
    if (tokens <= PREFIX_BLOCK_TOKENS || this.capacityBlocks <= 0) return 0;
    const pieces = tokenPieces(prompt);
    const full = Math.floor(pieces.length / PREFIX_BLOCK_TOKENS);
    // At least one prompt token is computed: a block holding the last token cannot be a hit.
    const reusable = Math.floor((Math.min(tokens, pieces.length) - 1) / PREFIX_BLOCK_TOKENS);
    let a = hashString(model);
    let b = hashString(model, 0x9747b28c);
    let hits = 0;
    let missed = false;
    for (let k = 0; k < full; k++) {
      const text = pieces.slice(k * PREFIX_BLOCK_TOKENS, (k + 1) * PREFIX_BLOCK_TOKENS).join('');
      a = hashString(text, a);
      b = hashString(text, b ^ 0x5bd1e995);
      const key = `${a}.${b}`;
      const had = this.blocks.delete(key);
      if (had && !missed && k < reusable) hits++;
      else missed = true;
      this.blocks.set(key, true);
    }
    while (this.blocks.size > this.capacityBlocks) this.blocks.delete(this.blocks.keys().next().value!);
    return hits * PREFIX_BLOCK_TOKENS;
  }
}

/** What the generate handlers do with a request's prompts before running it (the personality's options). */
export interface VllmPrefix {
  /** Sets each prompt's `cached` tokens (and the request's `promptDetails`), and counts the lookup. */
  admit(r: TextRequest): void;
}

/**
 * The personality's prefix caching from its options: `enablePrefixCaching`
 * (default true, as in vLLM V1) and `enablePromptTokensDetails` (default
 * false, as vLLM without `--enable-prompt-tokens-details`). Undefined when
 * both are off. The cache holds as many blocks as the largest text model's
 * KV cache.
 */
export function vllmPrefixOptions(ctx: EmbeddedContext, metrics: VllmMetrics): VllmPrefix | undefined {
  const caching = ctx.options.enablePrefixCaching !== false;
  const details = ctx.options.enablePromptTokensDetails === true;
  if (!caching && !details) return undefined;
  const kv = Math.max(0, ...ctx.models.ofKind('text-generation').map((m) => m.latency.kvCacheTokens));
  const cache = caching ? new PrefixCache(Math.floor(kv / PREFIX_BLOCK_TOKENS)) : undefined;
  return {
    admit(r) {
      if (details) r.promptDetails = true;
      if (!cache) return;
      let queries = 0;
      let hits = 0;
      for (const p of r.prompts) {
        p.cached = cache.admit(r.model.name, p.text, p.tokens);
        queries += p.tokens;
        hits += p.cached;
      }
      metrics.prefixCache(r.model.name, queries, hits);
    },
  };
}
