// Prompt lengths in the server's own tokens: built from its per-word counts and checked against it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { endpointFor } from '../../../src/core/bench/engine/endpoint';
import {
  fitSyntheticPrompts,
  ownTokenizer,
  promptTokenizer,
  type PromptTokenizer,
} from '../../../src/core/bench/workload/serverTokenizer';
import { startEmbedded } from '../request/helpers';

const spec = { inputTokens: { mean: 20, std: 6, min: 1 }, outputTokens: { mean: 4 }, ignoreEos: true };

describe('server tokenizer', () => {
  let emb: Awaited<ReturnType<typeof startEmbedded>>;
  before(async () => (emb = await startEmbedded(['vllm'])));
  after(() => emb.stop());

  it("uses vLLM's /tokenize and makes prompts of exactly the lengths asked, in its counts", async () => {
    const ep = endpointFor(emb.endpoints.vllm);
    const tok = await promptTokenizer('vllm', 'openai-completions', ep, 'tiny-llm');
    assert.match(tok.source, /^server \/tokenize/);
    const fitted = await fitSyntheticPrompts(spec, 7, tok, undefined, 40);
    assert.match(fitted.source, /8 prompts checked/);
    for (const it of fitted.items) assert.equal(await tok.count(it.prompt), it.inputTokens);
    assert.ok(new Set(fitted.items.map((i) => i.inputTokens)).size > 3, 'lengths vary with the spread asked');
  });

  it('keeps our own count for other kinds and APIs, and says so', async () => {
    const ep = endpointFor(emb.endpoints.vllm);
    assert.equal(await promptTokenizer('tgi', 'tgi', ep, 'm'), ownTokenizer);
    assert.equal(await promptTokenizer(undefined, 'openai-completions', ep, 'm'), ownTokenizer);
  });

  it('counts every prompt through the server when its counts are not additive per word', async () => {
    // One extra token per ten words: two-word probes cost one token each, long prompts cost more.
    const odd: PromptTokenizer = {
      source: 'odd',
      count: async (t) => t.split(' ').length + Math.floor(t.split(' ').length / 10),
    };
    const fitted = await fitSyntheticPrompts({ ...spec, inputTokens: { mean: 60 } }, 3, odd, undefined, 30);
    assert.match(fitted.source, /every prompt counted/);
    for (const it of fitted.items) assert.equal(await odd.count(it.prompt), it.inputTokens);
    assert.match(fitted.warnings.join(' '), /did not count words additively/);
  });

  it('raises lengths below the shortest prompt the tokenizer makes, with a warning', async () => {
    const bos: PromptTokenizer = { source: 'bos', count: async (t) => 2 + t.split(' ').length };
    const fitted = await fitSyntheticPrompts({ ...spec, inputTokens: { mean: 1 } }, 1, bos, undefined, 5);
    assert.deepEqual(
      fitted.items.map((i) => i.inputTokens),
      [3, 3, 3, 3, 3],
    );
    assert.match(fitted.warnings[0], /5 prompts asked for fewer than 3 tokens/);
  });
});
