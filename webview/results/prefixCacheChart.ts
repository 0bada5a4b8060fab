/**
 * The prefix-cache hit rate of a run: the server's own counters over the run
 * and the responses' usage.prompt_tokens_details.cached_tokens (all steps, and
 * per step when there are several), as bars in % with the token counts in the
 * table. Pure model (no DOM), like model.ts; the numbers are the result's
 * `prefixCache` and each step's `prefixCache`.
 */
import type { CacheCountView, RunView } from '../../src/shared/results';
import { fmt, type ChartModel } from './model';

/** Undefined unless the (first) run's server reported prefix-cache counts. */
export function prefixCacheChart(runs: RunView[]): ChartModel | undefined {
  const p = runs[0]?.prefixCache;
  if (!p || (!p.server && !p.usage)) return undefined;
  // One bar and one table row per count: [bar label, step, requests, prompt tokens, cached tokens, hit rate, source].
  const rows: Array<{ x: string; cells: string[]; hitRate: number }> = [];
  const add = (
    x: string,
    step: string,
    requests: string,
    asked: number,
    hit: number,
    hitRate: number,
    source: string,
  ) => rows.push({ x, hitRate, cells: [x, step, requests, String(asked), String(hit), fmt(100 * hitRate), source] });
  if (p.server) add('server counters', 'all', '—', p.server.queries, p.server.hits, p.server.hitRate, p.server.source);
  const usage = (x: string, step: string, u: CacheCountView) =>
    add(x, step, String(u.requests), u.promptTokens, u.cachedTokens, u.hitRate, 'usage.prompt_tokens_details');
  if (p.usage) usage('usage.cached_tokens', 'all', p.usage);
  if (p.steps.length > 1) for (const s of p.steps) usage(`usage.cached_tokens · ${s.step}`, s.step, s);
  const head = rows[0];
  return {
    id: 'prefix-cache',
    title: `Prefix cache: ${fmt(100 * head.hitRate)} % of prompt tokens hit (${head.x})`,
    kind: 'bar',
    xLabel: 'Counted by',
    yLabel: 'Hit rate (%)',
    xType: 'category',
    yRange: [0, 100],
    categories: rows.map((r) => r.x),
    series: [
      { label: 'Hit rate (%)', color: 0, type: 'bar', points: rows.map((r) => ({ x: r.x, y: 100 * r.hitRate })) },
    ],
    table: {
      header: ['Counted by', 'Step', 'Requests', 'Prompt tokens', 'Cached tokens', 'Hit rate (%)', 'Source'],
      rows: rows.map((r) => r.cells),
    },
  };
}
