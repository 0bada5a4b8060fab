/**
 * The prefix-cache hit rate of a run: from the server's own counters (vLLM
 * `prefix_cache_hits_total` / `prefix_cache_queries_total`, in tokens, over
 * the span between the first and last scrape) and from the responses'
 * `usage.prompt_tokens_details.cached_tokens` where the server returns it.
 */
import type { PrefixCacheResult } from './result';
import { spanValue, type SampleIndex } from './serverMetrics/derive';
import { serverRules } from './serverMetrics/vocabulary';

/** The server's prefix-cache queries and hits (tokens) between two scrapes, when it counts them. */
export function serverPrefixCache(
  first: { tMs: number; idx: SampleIndex },
  last: { tMs: number; idx: SampleIndex },
): PrefixCacheResult['server'] {
  const spanSec = (last.tMs - first.tMs) / 1000;
  const q = spanValue(serverRules, 'prefixCacheQueriesPerSec', first, last);
  const h = spanValue(serverRules, 'prefixCacheHitsPerSec', first, last);
  if (!q || !h || !(spanSec > 0)) return undefined;
  const queries = Math.round(q.value * spanSec);
  const hits = Math.round(h.value * spanSec);
  if (!queries) return undefined;
  return { queries, hits, hitRate: hits / queries, source: `${h.source} / ${q.source}` };
}

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

/** The CLI's line, e.g. "Prefix cache: 61.5 % of prompt tokens hit (server: 2048 of 3330 tokens, …)". */
export function formatPrefixCache(p: PrefixCacheResult): string {
  const parts: string[] = [];
  if (p.server)
    parts.push(
      `server counters ${pct(p.server.hitRate)} (${p.server.hits} of ${p.server.queries} tokens; ${p.server.source})`,
    );
  if (p.usage)
    parts.push(
      `usage.cached_tokens ${pct(p.usage.hitRate)} (${p.usage.cachedTokens} of ${p.usage.promptTokens} prompt tokens, ${p.usage.requests} requests)`,
    );
  return `Prefix-cache hit rate: ${parts.join('; ')}`;
}
