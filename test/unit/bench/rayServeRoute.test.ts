/**
 * Run Benchmark on a Ray Serve server: the application serving the model answers under its route prefix, so every
 * request of the run goes there (the request panel does the same: test/unit/serversview/rayServeModels.test.ts).
 * The embedded Ray Serve personality with its application at "/llm", behind a recording proxy: the paths actually
 * requested are compared, and so is each record's status and the server's usage.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { closeHttpPools } from '../../../src/core/http/client';
import type { RawRecord } from '../../../src/core/bench/record';
import { resultProblems } from '../../../src/core/bench/resultFile';
import { resultToJson } from '../../../src/core/bench/result';
import { runBenchmark } from '../../../src/core/bench/runBenchmark';
import type { BenchSpec } from '../../../src/core/bench/spec';
import { raw, withServer } from '../embedded/helpers';
import { recordingProxy } from '../request/helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'il-ray-route-'));
after(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await closeHttpPools();
});

const spec = (url: string, model?: string): BenchSpec => ({
  url,
  group: 'text-generation',
  model,
  load: { concurrency: [2] },
  requests: 6,
  warmup: 0,
  text: { inputTokens: { mean: 12 }, outputTokens: { mean: 4 }, ignoreEos: true },
  serverMetrics: { enabled: false },
});

function measured(file: string): RawRecord[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as RawRecord)
    .filter((r) => typeof r.i === 'number');
}

/** Runs the spec through the recorder; the result, its records, and the POSTs the server received. */
async function benchThrough(proxyTarget: string, name: string, model?: string) {
  const rec = await recordingProxy(proxyTarget);
  try {
    const recordsPath = path.join(dir, `${name}.records.jsonl`);
    const result = await runBenchmark(spec(rec.url, model), { recordsPath });
    return { result, records: measured(recordsPath), posts: rec.seen.filter((s) => s.startsWith('POST ')) };
  } finally {
    await rec.close();
  }
}

describe('embedded Ray Serve: the application at a route prefix (option routePrefix)', () => {
  it('/-/routes names the prefix, the OpenAI routes answer under it and not at the root; a bad prefix is refused', async () => {
    await withServer(['rayserve'], { personalities: { rayserve: { routePrefix: '/llm/' } } }, async (ep) => {
      assert.deepEqual(JSON.parse((await raw(ep.rayserve, '/-/routes')).body), { '/llm': 'llm' });
      const models = JSON.parse((await raw(ep.rayserve, '/llm/v1/models')).body) as { data: Array<{ id: string }> };
      assert.deepEqual(
        models.data.map((m) => m.id),
        ['tiny-llm', 'mini-embed'],
      );
      // Outside the prefix the proxy answers, as Ray Serve 2.60.0's does (seen on the real one); inside, the app.
      const outside = await raw(ep.rayserve, '/v1/completions', { method: 'POST', body: {} });
      assert.deepEqual(
        [outside.status, outside.headers['content-type'], outside.body],
        [
          404,
          'text/plain; charset=utf-8',
          "Path '/v1/completions' not found. Ping http://.../-/routes for available routes.",
        ],
      );
      const inside = await raw(ep.rayserve, '/llm/nope', { method: 'POST', body: {} });
      assert.deepEqual([inside.status, inside.body], [404, '{"detail":"Not Found"}']);
      const r = await raw(ep.rayserve, '/llm/v1/completions', {
        method: 'POST',
        body: { model: 'tiny-llm', prompt: 'a b c', max_tokens: 3 },
      });
      assert.equal(r.status, 200, r.body);
    });
    await assert.rejects(
      withServer(['rayserve'], { personalities: { rayserve: { routePrefix: 'llm' } } }, async () => undefined),
      /rayserve: routePrefix must be a path such as "\/" or "\/llm", not "llm"/,
    );
  });
});

describe('Run Benchmark on a Ray Serve server sends under the route prefix of the application serving the model', () => {
  it('model named: every request (the test request and the 6 measured) goes to /llm/v1/completions and succeeds', async () => {
    const { result, records, posts } = await withServer(
      ['rayserve'],
      { personalities: { rayserve: { routePrefix: '/llm' } } },
      (ep) => benchThrough(ep.rayserve, 'named', 'tiny-llm'),
    );
    assert.deepEqual(resultProblems(JSON.parse(resultToJson(result))), []);
    assert.deepEqual([result.server.kind, result.server.model, result.server.route], ['rayserve', 'tiny-llm', '/llm']);
    assert.deepEqual(
      records.map((r) => [r.st, r.ek ?? null, r.iu, r.ou]),
      records.map(() => [200, null, 12, 4]),
    );
    assert.equal(records.length, 6);
    assert.deepEqual(posts, Array(posts.length).fill('POST /llm/v1/completions'));
    assert.equal(posts.length, 7, 'the pre-flight test request and 6 measured ones');
  });

  it('no model named: the engine picks the text model the application lists, and sends under its route too', async () => {
    const { result, records, posts } = await withServer(
      ['rayserve'],
      { personalities: { rayserve: { routePrefix: '/apps/chat' } } },
      (ep) => benchThrough(ep.rayserve, 'chosen'),
    );
    assert.deepEqual([result.server.model, result.server.route], ['tiny-llm', '/apps/chat']);
    assert.deepEqual(
      records.map((r) => r.st),
      [200, 200, 200, 200, 200, 200],
    );
    assert.deepEqual(new Set(posts), new Set(['POST /apps/chat/v1/completions']));
  });

  it('an application at "/" keeps the URL as given (no route in the result)', async () => {
    const { result, records, posts } = await withServer(['rayserve'], {}, (ep) =>
      benchThrough(ep.rayserve, 'root', 'tiny-llm'),
    );
    assert.equal(result.server.route, undefined);
    assert.deepEqual(
      records.map((r) => r.st),
      [200, 200, 200, 200, 200, 200],
    );
    assert.deepEqual(new Set(posts), new Set(['POST /v1/completions']));
  });
});
