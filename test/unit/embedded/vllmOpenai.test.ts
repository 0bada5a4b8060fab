/** The vLLM personality through the official openai SDK (a client no one here wrote). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { cosine } from '../../../src/core/embedded/models/embeddingModel';
import { countTokens } from '../../../src/core/text/tokenizer';
import type { EmbeddedServer } from '../../../src/core/embedded/server';
import { textServer } from './helpers';

describe('vLLM personality with the openai SDK', () => {
  let server: EmbeddedServer;
  let client: OpenAI;
  before(async () => {
    server = textServer(['vllm']);
    const ep = await server.start();
    client = new OpenAI({ baseURL: `${ep.vllm}/v1`, apiKey: 'unused', maxRetries: 0 });
  });
  after(() => server.stop());

  it('lists text and embedding models owned by vllm', async () => {
    const models = await client.models.list();
    assert.deepEqual(
      models.data.map((m) => [m.id, m.owned_by]),
      [
        ['tiny-llm', 'vllm'],
        ['mini-embed', 'vllm'],
      ],
    );
  });

  it('answers a chat completion whose usage matches the tokenizer', async () => {
    const r = await client.chat.completions.create({
      model: 'tiny-llm',
      messages: [{ role: 'user', content: 'Say something about batches' }],
      max_tokens: 12,
      seed: 3,
    });
    const text = r.choices[0].message.content ?? '';
    assert.equal(r.object, 'chat.completion');
    assert.match(r.id, /^chatcmpl-[0-9a-f]{32}$/);
    assert.equal(r.usage?.completion_tokens, countTokens(text));
    assert.equal(r.usage?.prompt_tokens, countTokens('<|user|>\nSay something about batches\n<|assistant|>\n'));
    assert.equal(r.usage?.total_tokens, (r.usage?.prompt_tokens ?? 0) + (r.usage?.completion_tokens ?? 0));
    const again = await client.chat.completions.create({
      model: 'tiny-llm',
      messages: [{ role: 'user', content: 'Say something about batches' }],
      max_tokens: 12,
      seed: 3,
    });
    assert.equal(again.choices[0].message.content, text, 'same seed, same output');
  });

  it('streams chat deltas, then a usage chunk with no choices', async () => {
    const stream = await client.chat.completions.create({
      model: 'tiny-llm',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 8,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let roles = 0;
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      if (chunk.usage) {
        assert.deepEqual(chunk.choices, []);
        usage = chunk.usage;
        continue;
      }
      const c = chunk.choices[0];
      if (c.delta.role) roles++;
      text += c.delta.content ?? '';
      finish = c.finish_reason ?? finish;
    }
    assert.equal(roles, 1);
    assert.equal(finish, 'length');
    assert.equal(usage?.completion_tokens, 8);
    assert.equal(countTokens(text), 8);
  });

  it('answers completions, streaming and not, with n choices', async () => {
    const r = await client.completions.create({ model: 'tiny-llm', prompt: 'Once upon a time', max_tokens: 5, n: 2 });
    assert.equal(r.choices.length, 2);
    assert.notEqual(r.choices[0].text, r.choices[1].text);
    assert.equal(r.usage?.completion_tokens, 10);
    const s = await client.completions.create({
      model: 'tiny-llm',
      prompt: 'Once upon a time',
      max_tokens: 5,
      stream: true,
    });
    let text = '';
    for await (const chunk of s) text += chunk.choices[0]?.text ?? '';
    assert.equal(text, r.choices[0].text, 'streamed and plain outputs agree');
  });

  it('honours ignore_eos: exactly max_tokens output tokens, streamed or not (without it, some answers end early)', async () => {
    const prompts = Array.from({ length: 24 }, (_, i) => `Benchmark prompt number ${i} about batching and queues`);
    const lengths = async (ignoreEos: boolean | undefined, stream: boolean) =>
      Promise.all(
        prompts.map(async (prompt) => {
          const body = {
            model: 'tiny-llm',
            prompt,
            max_tokens: 48,
            ...(ignoreEos === undefined ? {} : { ignore_eos: ignoreEos }),
          };
          if (!stream) return (await client.completions.create(body)).usage?.completion_tokens;
          const s = await client.completions.create({ ...body, stream: true, stream_options: { include_usage: true } });
          let usage: number | undefined;
          for await (const chunk of s) usage = chunk.usage?.completion_tokens ?? usage;
          return usage;
        }),
      );
    const natural = await lengths(undefined, false);
    assert.ok(
      natural.some((n) => n !== undefined && n < 48),
      `some answers stop at their natural end: ${natural.join(',')}`,
    );
    assert.deepEqual(await lengths(false, false), natural);
    assert.deepEqual(
      await lengths(true, false),
      prompts.map(() => 48),
    );
    assert.deepEqual(
      await lengths(true, true),
      prompts.map(() => 48),
    );
    const chat = await client.chat.completions.create({
      model: 'tiny-llm',
      messages: [{ role: 'user', content: prompts[0] }],
      max_tokens: 48,
      ignore_eos: true,
    } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    assert.equal(chat.usage?.completion_tokens, 48);
    assert.equal(chat.choices[0].finish_reason, 'length');
  });

  it('returns normalized embeddings (the SDK asks for base64 and decodes it)', async () => {
    const r = await client.embeddings.create({
      model: 'mini-embed',
      input: ['restart the inference server', 'restart a server', 'banana bread'],
    });
    const [a, b, c] = r.data.map((d) => d.embedding);
    assert.equal(a.length, 64);
    assert.ok(Math.abs(Math.hypot(...a) - 1) < 1e-5);
    assert.ok(cosine(a, b) > cosine(a, c));
    assert.equal(
      r.usage.prompt_tokens,
      countTokens('restart the inference server') + countTokens('restart a server') + countTokens('banana bread'),
    );
    const f = await client.embeddings.create({
      model: 'mini-embed',
      input: 'restart the inference server',
      encoding_format: 'float',
    });
    assert.ok(
      f.data[0].embedding.every((x, i) => Math.abs(x - a[i]) < 1e-6),
      'float and base64 agree',
    );
  });

  it('surfaces OpenAI-shaped errors as the SDK error classes', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }),
      (e: unknown) => {
        assert.ok(e instanceof OpenAI.NotFoundError);
        assert.equal(e.message, '404 The model `nope` does not exist.');
        return true;
      },
    );
    await assert.rejects(
      client.completions.create({ model: 'tiny-llm', prompt: 'x', max_tokens: 100000 }),
      (e: unknown) => {
        assert.ok(e instanceof OpenAI.BadRequestError);
        assert.match(e.message, /maximum context length is 8192 tokens/);
        return true;
      },
    );
  });
});

describe('vLLM personality with an API key', () => {
  it('guards /v1 with Bearer and leaves /health and /version open', async () => {
    const server = textServer(['vllm'], { personalities: { vllm: { apiKey: 'sekret' } } });
    const ep = await server.start();
    try {
      const bad = new OpenAI({ baseURL: `${ep.vllm}/v1`, apiKey: 'wrong', maxRetries: 0 });
      await assert.rejects(bad.models.list(), (e: unknown) => e instanceof OpenAI.AuthenticationError);
      const good = new OpenAI({ baseURL: `${ep.vllm}/v1`, apiKey: 'sekret', maxRetries: 0 });
      assert.equal((await good.models.list()).data.length, 2);
      const raw = await fetch(`${ep.vllm}/v1/models`);
      assert.equal(raw.status, 401);
      assert.equal(await raw.text(), '{"error":"Unauthorized"}');
      assert.equal((await fetch(`${ep.vllm}/health`)).status, 200);
      assert.equal((await fetch(`${ep.vllm}/version`)).status, 200);
    } finally {
      await server.stop();
    }
  });
});
