/** The Ollama personality through the official `ollama` npm client, and its raw NDJSON framing. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Ollama } from 'ollama';
import { cosine } from '../../../src/core/embedded/models/embeddingModel';
import { countTokens } from '../../../src/core/text/tokenizer';
import type { EmbeddedServer } from '../../../src/core/embedded/server';
import { json, raw, textServer } from './helpers';

describe('Ollama personality', () => {
  let server: EmbeddedServer;
  let url: string;
  let client: Ollama;
  before(async () => {
    server = textServer(['ollama']);
    url = (await server.start()).ollama;
    client = new Ollama({ host: url });
  });
  after(() => server.stop());

  it('streams generate and chat through the ollama client, with counts and nanosecond durations', async () => {
    let text = '';
    let last: Awaited<ReturnType<typeof client.generate>> | undefined;
    for await (const part of await client.generate({
      model: 'tiny-llm',
      prompt: 'Why is the sky blue?',
      stream: true,
      options: { num_predict: 6 },
    })) {
      text += part.response;
      last = part;
    }
    assert.equal(last?.done, true);
    assert.equal(last?.done_reason, 'length');
    assert.equal(last?.eval_count, 6);
    assert.equal(countTokens(text), 6);
    assert.ok((last?.total_duration ?? 0) > 1_000_000, 'durations are nanoseconds');
    let chat = '';
    for await (const part of await client.chat({
      model: 'tiny-llm:latest',
      messages: [{ role: 'user', content: 'hello' }],
      stream: true,
      options: { num_predict: 4 },
    }))
      chat += part.message.content;
    assert.equal(countTokens(chat), 4);
    const once = await client.chat({
      model: 'tiny-llm',
      messages: [{ role: 'user', content: 'hello' }],
      options: { num_predict: 4 },
    });
    assert.equal(once.message.content, chat, 'stream:false gives the same text');
  });

  it('embeds through the ollama client', async () => {
    const r = await client.embed({
      model: 'mini-embed',
      input: ['restart the server', 'restart a server', 'fruit salad'],
    });
    assert.equal(r.embeddings.length, 3);
    assert.ok(Math.abs(Math.hypot(...r.embeddings[0]) - 1) < 1e-6);
    assert.ok(cosine(r.embeddings[0], r.embeddings[1]) > cosine(r.embeddings[0], r.embeddings[2]));
    const legacy = json<{ embedding: number[] }>(
      await raw(url, '/api/embeddings', { body: { model: 'mini-embed', prompt: 'restart the server' } }),
    );
    assert.deepEqual(legacy.embedding, r.embeddings[0]);
  });

  it('lists models in /api/tags and used ones in /api/ps; shows one', async () => {
    const tags = await client.list();
    assert.deepEqual(
      tags.models.map((m) => m.name),
      ['tiny-llm:latest', 'mini-embed:latest'],
    );
    assert.match(tags.models[0].digest, /^[0-9a-f]{64}$/);
    const ps = await client.ps();
    assert.ok(ps.models.some((m) => m.name === 'tiny-llm:latest'));
    const show = await client.show({ model: 'mini-embed' });
    assert.deepEqual(show.capabilities, ['embedding']);
    // The client types model_info as a Map; on the wire (and at run time) it is a JSON object.
    assert.match(String((show.model_info as unknown as Record<string, unknown>)['general.description']), /Simulated/);
  });

  it('answers the banner, version, 404 page and model errors as Ollama does', async () => {
    const banner = await raw(url, '/');
    assert.deepEqual(
      [banner.status, banner.body, banner.headers['content-type']],
      [200, 'Ollama is running', 'text/plain; charset=utf-8'],
    );
    assert.ok(
      banner.rawHeaderNames.includes('Content-Type') && banner.rawHeaderNames.includes('Content-Length'),
      'Go sends Canonical-Case names',
    );
    assert.equal((await raw(url, '/', { method: 'HEAD' })).status, 200);
    assert.deepEqual(json(await raw(url, '/api/version')), { version: '0.12.0' });
    assert.deepEqual(await raw(url, '/api/nope').then((r) => [r.status, r.body]), [404, '404 page not found']);
    const nf = await raw(url, '/api/generate', { body: { model: 'ghost', prompt: 'x' } });
    assert.deepEqual([nf.status, nf.body], [404, '{"error":"model \'ghost\' not found"}']);
    const noModel = await raw(url, '/api/chat', { body: { messages: [] } });
    assert.deepEqual([noModel.status, noModel.body], [400, '{"error":"model is required"}']);
    const badJson = await raw(url, '/api/chat', { body: 'nope' });
    assert.deepEqual(
      [badJson.status, badJson.body],
      [400, '{"error":"invalid character \'n\' looking for beginning of value"}'],
    );
    await assert.rejects(client.embed({ model: 'tiny-llm', input: 'x' }), /does not support embeddings/);
  });

  it('streams NDJSON: one compact object and a newline per line, Go escapes for <, > and &', async () => {
    const r = await raw(url, '/api/chat', {
      body: { model: 'tiny-llm', messages: [{ role: 'user', content: 'a <b> & c' }], options: { num_predict: 3 } },
    });
    assert.equal(r.headers['content-type'], 'application/x-ndjson');
    assert.ok(r.body.endsWith('}\n'));
    const lines = r.body.slice(0, -1).split('\n');
    assert.equal(lines.length, 4);
    for (const l of lines)
      assert.equal(
        JSON.stringify(JSON.parse(l)),
        l
          .replace(/\\u003c/g, '<')
          .replace(/\\u003e/g, '>')
          .replace(/\\u0026/g, '&'),
      );
    const first = JSON.parse(lines[0]) as Record<string, unknown>;
    assert.deepEqual(Object.keys(first), ['model', 'created_at', 'message', 'done']);
    assert.match(String(first.created_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/);
    const final = JSON.parse(lines[3]) as Record<string, unknown>;
    assert.deepEqual(Object.keys(final).slice(0, 5), ['model', 'created_at', 'message', 'done_reason', 'done']);
    assert.equal(final.eval_count, 3);
    const esc = await raw(url, '/api/show', { body: { model: 'tiny-llm' } });
    assert.ok(esc.body.includes('\\u003c|assistant|\\u003e'), 'template brackets escaped as Go does');
  });

  it('answers a generate with no prompt with done_reason "load"', async () => {
    const r = json<Record<string, unknown>>(await raw(url, '/api/generate', { body: { model: 'tiny-llm' } }));
    assert.deepEqual([r.response, r.done, r.done_reason], ['', true, 'load']);
  });
});
