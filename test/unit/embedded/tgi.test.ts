/** The TGI personality on the wire: routes, axum SSE framing (no space), errors in-band and out. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TextModel } from '../../../src/core/embedded/models/textModel';
import type { EmbeddedServer } from '../../../src/core/embedded/server';
import { FAST_TEXT, json, raw, sseData, textServer } from './helpers';

const model = new TextModel('tiny-llm', 42, 0, { ...FAST_TEXT, batchSlowdown: 0, maxBatch: 8, kvCacheTokens: 1000 });

describe('TGI personality', () => {
  let server: EmbeddedServer;
  let url: string;
  before(async () => {
    server = textServer(['tgi'], { personalities: { tgi: { apiKey: 'tk' } } });
    url = (await server.start()).tgi;
  });
  after(() => server.stop());
  const auth = { authorization: 'Bearer tk' };

  it('answers /health, / and /ping with 200 and an empty body, /info with the router name', async () => {
    for (const p of ['/health', '/', '/ping']) {
      const r = await raw(url, p);
      assert.deepEqual([r.status, r.body], [200, '']);
    }
    const info = json<Record<string, unknown>>(await raw(url, '/info'));
    assert.equal(info.router, 'text-generation-router');
    assert.equal(info.model_id, 'tiny-llm');
    assert.equal(info.max_total_tokens, 8192);
    assert.deepEqual(json(await raw(url, '/v1/models')), {
      object: 'list',
      data: [{ id: 'tiny-llm', object: 'model', created: 0, owned_by: 'tiny-llm' }],
    });
  });

  it('POST /generate returns generated_text, details and the x-* timing headers', async () => {
    const r = await raw(url, '/generate', {
      headers: auth,
      body: { inputs: 'Hello', parameters: { max_new_tokens: 4, details: true, seed: 5 } },
    });
    assert.equal(r.status, 200);
    const g = model.generate('Hello', { maxTokens: 4, seed: 5 });
    const b = json<{
      generated_text: string;
      details: {
        finish_reason: string;
        generated_tokens: number;
        seed: number;
        prefill: unknown[];
        tokens: Array<{ id: number; text: string; special: boolean }>;
      };
    }>(r);
    assert.equal(b.generated_text, g.text);
    assert.deepEqual([b.details.finish_reason, b.details.generated_tokens, b.details.seed], ['length', 4, 5]);
    assert.deepEqual(
      b.details.tokens.map((t) => [t.id, t.text, t.special]),
      g.pieces.map((p, i) => [g.tokenIds[i], p, false]),
    );
    for (const h of [
      'x-compute-type',
      'x-compute-time',
      'x-total-time',
      'x-queue-time',
      'x-inference-time',
      'x-time-per-token',
      'x-prompt-tokens',
      'x-generated-tokens',
    ])
      assert.ok(r.rawHeaderNames.includes(h), h);
    assert.equal(r.headers['x-generated-tokens'], '4');
  });

  it('POST /generate_stream frames data:{json} without a space, indexes from 1, puts generated_text on the last event, no [DONE]', async () => {
    const r = await raw(url, '/generate_stream', {
      headers: auth,
      body: { inputs: 'Hello', parameters: { max_new_tokens: 3, details: true } },
    });
    assert.equal(r.headers['content-type'], 'text/event-stream');
    assert.equal(r.headers['cache-control'], 'no-cache');
    const g = model.generate('Hello', { maxTokens: 3 });
    const tok = (i: number) => `{"id":${g.tokenIds[i]},"text":${JSON.stringify(g.pieces[i])},"logprob":`;
    const events = sseData(r.body, false);
    assert.equal(events.length, 3);
    events.forEach((e, i) => assert.ok(e.startsWith(`{"index":${i + 1},"token":${tok(i)}`), e));
    assert.ok(events[0].endsWith('"special":false},"generated_text":null,"details":null}'));
    assert.ok(
      events[2].endsWith(
        `"special":false},"generated_text":${JSON.stringify(g.text)},"details":{"finish_reason":"length","generated_tokens":3,"seed":null,"input_length":1}}`,
      ),
      events[2],
    );
  });

  it('reports validation errors as 422 JSON on /generate and as a 200 SSE event on /generate_stream', async () => {
    const bad = { inputs: 'x', parameters: { max_new_tokens: 0 } };
    const a = await raw(url, '/generate', { headers: auth, body: bad });
    assert.deepEqual(
      [a.status, a.body],
      [422, '{"error":"Input validation error: `max_new_tokens` must be strictly positive","error_type":"validation"}'],
    );
    const b = await raw(url, '/generate_stream', { headers: auth, body: bad });
    assert.deepEqual(
      [b.status, b.body],
      [
        200,
        'data:{"error":"Input validation error: `max_new_tokens` must be strictly positive","error_type":"validation"}\n\n',
      ],
    );
    const stops = await raw(url, '/generate', {
      headers: auth,
      body: { inputs: 'x', parameters: { stop: ['a', 'b', 'c', 'd', 'e'] } },
    });
    assert.match(json<{ error: string }>(stops).error, /supports up to 4 stop sequences. Given: 5/);
  });

  it('POST / is the compat route: a JSON array unless stream is true', async () => {
    const r = await raw(url, '/', { headers: auth, body: { inputs: 'Hello', parameters: { max_new_tokens: 2 } } });
    assert.deepEqual(json(r), [{ generated_text: model.generate('Hello', { maxTokens: 2 }).text }]);
    const s = await raw(url, '/', {
      headers: auth,
      body: { inputs: 'Hello', parameters: { max_new_tokens: 2 }, stream: true },
    });
    assert.equal(sseData(s.body, false).length, 2);
  });

  it('streams chat with object first, an empty id, the role in every delta, and data:[DONE]', async () => {
    const r = await raw(url, '/v1/chat/completions', {
      headers: auth,
      body: {
        model: 'tgi',
        messages: [{ role: 'user', content: 'hi' }],
        max_tokens: 2,
        stream: true,
        stream_options: { include_usage: true },
      },
    });
    const events = sseData(r.body, false);
    assert.equal(events.at(-1), '[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as Record<string, unknown>);
    assert.ok(events.slice(0, -1).every((e) => e.startsWith('{"object":"chat.completion.chunk","id":"","created":')));
    const g = model.generate('<|user|>\nhi\n<|assistant|>\n', { maxTokens: 2 });
    assert.deepEqual(
      chunks.slice(0, 2).map((c) => (c.choices as Array<{ delta: unknown; finish_reason: unknown }>)[0]),
      [
        { index: 0, delta: { role: 'assistant', content: g.pieces[0] }, logprobs: null, finish_reason: null },
        { index: 0, delta: { role: 'assistant', content: g.pieces[1] }, logprobs: null, finish_reason: 'length' },
      ],
    );
    assert.equal(chunks[0].system_fingerprint, '3.3.5-native');
    assert.deepEqual(chunks[2].choices, []);
    assert.deepEqual(chunks[2].usage, { prompt_tokens: 6, completion_tokens: 2, total_tokens: 8 });
  });

  it('needs the key on generation routes only, failing with a bare 401', async () => {
    const r = await raw(url, '/generate', { body: { inputs: 'x' } });
    assert.deepEqual([r.status, r.body], [401, '']);
    assert.equal((await raw(url, '/info')).status, 200);
  });

  it('serves tgi_* metrics without HELP lines', async () => {
    const m = await raw(url, '/metrics');
    assert.doesNotMatch(m.body, /# HELP/);
    assert.match(m.body, /# TYPE tgi_request_count counter\ntgi_request_count \d+\.0/);
    assert.match(m.body, /tgi_request_failure\{err="validation"\} [1-9]/);
    assert.match(m.body, /tgi_request_duration_bucket\{le="\+Inf"\} [1-9]/);
    assert.match(m.body, /tgi_queue_size 0\.0/);
  });

  it('is a bare 404 for unknown routes', async () => {
    assert.deepEqual(await raw(url, '/nope').then((r) => [r.status, r.body]), [404, '']);
  });
});
