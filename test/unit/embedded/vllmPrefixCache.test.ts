/**
 * The vLLM personality's prefix cache: whole 16-token blocks of a prompt seen
 * before are hits (never the block holding the last token), the least
 * recently used blocks go first, hits shorten the prefill, and they are
 * counted in the vllm:prefix_cache_* counters and — with
 * enablePromptTokensDetails — in usage.prompt_tokens_details.cached_tokens.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PrefixCache } from '../../../src/core/embedded/personalities/vllm/vllmPrefixCache';
import { countTokens } from '../../../src/core/text/tokenizer';
import { json, raw, sseData, withServer } from './helpers';

const words = (n: number, w: string) =>
  Array.from({ length: n }, (_, k) => `${w}${String.fromCharCode(97 + (k % 26))}`).join(' ');

describe('vLLM personality: prefix cache', () => {
  it('hits whole leading blocks of a prompt seen before, never the last token, evicting the least recently used', () => {
    const c = new PrefixCache(8);
    const a = words(40, 'x'); // 40 one-token words
    assert.equal(countTokens(a), 40);
    assert.equal(c.admit('m', a, 40), 0, 'first time: nothing cached');
    assert.equal(c.admit('m', a, 40), 32, 'again: the two full blocks');
    const b = `${words(32, 'x')} ${words(10, 'q')}`;
    assert.equal(c.admit('m', b, 42), 32, 'same first 32 tokens, different rest');
    assert.equal(c.admit('other', a, 40), 0, 'another model has its own blocks');
    const exact = words(32, 'x');
    assert.equal(c.admit('m', exact, 32), 16, 'a prompt of exactly two blocks reuses one: its last token is computed');
    assert.equal(
      c.admit('m', `${words(16, 'z')} ${words(24, 'x')}`, 40),
      0,
      'a different first block: no hit after it',
    );
    // Capacity 8 blocks: fill with 8 new blocks, then the oldest (a's) are gone.
    c.admit('m', words(129, 'k'), 129);
    assert.equal(c.size, 8);
    assert.equal(c.admit('m', a, 40), 0, 'evicted');
  });

  it('reports cached tokens in usage and the counters, and prefills only the uncached tokens', async () => {
    const slow = { prefillBaseMs: 1, prefillPerTokenMs: 2, decodePerTokenMs: 1, jitter: 0 };
    await withServer(
      ['vllm'],
      {
        models: [{ name: 'tiny-llm', kind: 'text-generation', latency: slow }],
        personalities: { vllm: { enablePromptTokensDetails: true } },
      },
      async (ep) => {
        const system = words(200, 's');
        const ask = (q: string, stream: boolean) =>
          raw(ep.vllm, '/v1/chat/completions', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: {
              model: 'tiny-llm',
              messages: [
                { role: 'system', content: system },
                { role: 'user', content: q },
              ],
              max_tokens: 2,
              ignore_eos: true,
              stream,
              ...(stream && { stream_options: { include_usage: true } }),
            },
          });
        const t0 = performance.now();
        const first = json<{ usage: Record<string, unknown> }>(await ask('one', false));
        const cold = performance.now() - t0;
        const prompt = first.usage.prompt_tokens as number;
        assert.deepEqual(first.usage.prompt_tokens_details, { cached_tokens: 0 });
        const t1 = performance.now();
        const second = await ask('two', true);
        const warm = performance.now() - t1;
        const usage = JSON.parse(sseData(second.body, true).at(-2)!).usage as Record<string, unknown>;
        // "<|system|>\n" + 200 words + "\n" share the leading blocks: floor(203 / 16) = 12 blocks.
        assert.deepEqual(usage.prompt_tokens_details, { cached_tokens: 192 });
        assert.equal(usage.prompt_tokens, prompt);
        // 2 ms per prompt token: 192 cached tokens save ~384 ms of prefill.
        assert.ok(cold - warm > 250, `prefill shorter with the cache: ${cold.toFixed(1)} → ${warm.toFixed(1)} ms`);
        const metrics = (await raw(ep.vllm, '/metrics')).body;
        const value = (name: string) =>
          Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN);
        assert.equal(value('vllm:prefix_cache_queries_total'), 2 * prompt);
        assert.equal(value('vllm:prefix_cache_hits_total'), 192);
        assert.equal(value('vllm:prompt_tokens_cached_total'), 192);
      },
    );
  });

  it('by default (as vLLM without --enable-prompt-tokens-details) usage has no details, and the counters still count', async () => {
    await withServer(['vllm'], {}, async (ep) => {
      const body = { model: 'tiny-llm', prompt: words(40, 'p'), max_tokens: 1 };
      const opts = { method: 'POST', headers: { 'content-type': 'application/json' }, body };
      await raw(ep.vllm, '/v1/completions', opts);
      const r = json<{ usage: Record<string, unknown> }>(await raw(ep.vllm, '/v1/completions', opts));
      assert.equal(r.usage.prompt_tokens_details, null);
      const metrics = (await raw(ep.vllm, '/metrics')).body;
      assert.match(metrics, /^vllm:prefix_cache_hits_total\{[^}]*\} 32(\.0)?$/m);
    });
  });
});
