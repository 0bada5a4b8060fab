/** The TEI and Ray Serve personalities on the wire. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cosine } from '../../../src/core/embedded/models/embeddingModel';
import type { EmbeddedServer } from '../../../src/core/embedded/server';
import { json, raw, textServer } from './helpers';

describe('TEI and Ray Serve personalities', () => {
  let server: EmbeddedServer;
  let tei: string;
  let ray: string;
  before(async () => {
    server = textServer(['tei', 'rayserve']);
    const ep = await server.start();
    tei = ep.tei;
    ray = ep.rayserve;
  });
  after(() => server.stop());

  it('TEI /info describes an embedding model and /health is an empty 200', async () => {
    const info = json<Record<string, unknown>>(await raw(tei, '/info'));
    assert.deepEqual(info.model_type, { embedding: { pooling: 'mean' } });
    assert.equal(info.max_input_length, 512);
    assert.equal(info.router, undefined);
    assert.deepEqual(await raw(tei, '/health').then((r) => [r.status, r.body]), [200, '']);
  });

  it('TEI /embed returns a bare array of vectors; normalize=false keeps raw lengths', async () => {
    const v = json<number[][]>(await raw(tei, '/embed', { body: { inputs: ['the red car', 'a red car', 'tax law'] } }));
    assert.equal(v.length, 3);
    assert.equal(v[0].length, 64);
    assert.ok(cosine(v[0], v[1]) > cosine(v[0], v[2]));
    const one = json<number[][]>(await raw(tei, '/embed', { body: { inputs: 'the red car', normalize: false } }));
    assert.ok(Math.hypot(...one[0]) > 1.5);
    const oa = json<{ object: string; data: Array<{ embedding: number[] }> }>(
      await raw(tei, '/v1/embeddings', { body: { input: 'the red car' } }),
    );
    assert.deepEqual(oa.data[0].embedding, v[0]);
  });

  it('TEI errors carry capitalised error_type with their status', async () => {
    const empty = await raw(tei, '/embed', { body: { inputs: [] } });
    assert.deepEqual([empty.status, empty.body], [400, '{"error":"Batch is empty","error_type":"Empty"}']);
    const long = await raw(tei, '/embed', { body: { inputs: 'word '.repeat(600) } });
    assert.equal(long.status, 422);
    assert.equal(json<{ error_type: string }>(long).error_type, 'Validation');
    const many = await raw(tei, '/embed', { body: { inputs: Array(33).fill('x') } });
    assert.match(json<{ error: string }>(many).error, /batch size 33 > maximum allowed batch size 32/);
    const oa = await raw(tei, '/v1/embeddings', { body: { input: [] } });
    assert.deepEqual(json(oa), { message: 'Batch is empty', code: 400, type: 'Empty' });
  });

  it('TEI serves te_* metrics', async () => {
    assert.match((await raw(tei, '/metrics')).body, /te_request_success\{method="single"\} [1-9]/);
  });

  it('Ray Serve answers /-/healthz with "success" and /-/routes with its application map', async () => {
    const h = await raw(ray, '/-/healthz');
    assert.deepEqual([h.status, h.body, h.headers['content-type']], [200, 'success', 'text/plain; charset=utf-8']);
    assert.deepEqual(json(await raw(ray, '/-/routes')), { '/': 'llm' });
    const c = json<{ object: string }>(
      await raw(ray, '/v1/completions', { body: { model: 'tiny-llm', prompt: 'x', max_tokens: 2 } }),
    );
    assert.equal(c.object, 'text_completion');
    assert.equal((await raw(ray, '/nope')).status, 404);
  });

  // Seen on real Ray Serve 2.60.0 (test/real): the proxy's routes check only the path, and every answer, the
  // application's too, carries x-request-id (the client's own when it sent one).
  it('Ray Serve answers /-/healthz and /-/routes for any method, with x-request-id on every response', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const h = await fetch(`${ray}/-/healthz`, { method });
      assert.deepEqual([method, h.status, await h.text()], [method, 200, 'success']);
      const r = await fetch(`${ray}/-/routes`, { method });
      assert.deepEqual([method, r.status, await r.json()], [method, 200, { '/': 'llm' }]);
    }
    const mine = await fetch(`${ray}/-/routes`, { headers: { 'x-request-id': 'abc123' } });
    assert.equal(mine.headers.get('x-request-id'), 'abc123');
    const c = await fetch(`${ray}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tiny-llm', prompt: 'x', max_tokens: 1 }),
    });
    await c.arrayBuffer();
    assert.match(c.headers.get('x-request-id') ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal((await fetch(`${ray}/v1/models`, { method: 'POST' })).status, 405);
  });
});
