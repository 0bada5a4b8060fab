/** Fault injection through each text personality: errors in each server's shape, cuts, slow start, not-ready window. */
import assert from 'node:assert/strict';
import http from 'node:http';
import { describe, it } from 'node:test';
import { FaultInjector } from '../../../src/core/embedded/faults';
import { json, raw, sseData, withServer } from './helpers';

/** Reads a streaming response until the server ends or cuts it. */
function readUntilClose(
  base: string,
  path: string,
  body: object,
): Promise<{ status: number; text: string; aborted: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, agent: false },
      (res) => {
        let text = '';
        let aborted = false;
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('aborted', () => (aborted = true));
        res.on('error', () => (aborted = true));
        res.on('close', () => resolve({ status: res.statusCode ?? 0, text, aborted: aborted || !res.complete }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('fault injection', () => {
  it('plans failures from a seeded rate', () => {
    const count = (seed: number) => {
      const f = new FaultInjector({ errorRate: 0.3 }, seed);
      return Array.from({ length: 1000 }, () => f.plan('m', false).fail).filter(Boolean).length;
    };
    assert.equal(count(1), count(1), 'same seed, same faults');
    assert.ok(Math.abs(count(1) - 300) < 60, String(count(1)));
    const none = new FaultInjector({}, 1);
    assert.ok(
      Array.from({ length: 100 }, () => none.plan('m', true)).every(
        (p) => !p.fail && p.disconnectAfterTokens === undefined,
      ),
    );
  });

  it('errorRate 1 gives each server its own error shape; streams report it in-band after a token', async () => {
    await withServer(['vllm', 'tgi', 'ollama', 'tei'], { faults: { errorRate: 1 } }, async (ep) => {
      const v = await raw(ep.vllm, '/v1/completions', { body: { prompt: 'x', max_tokens: 5 } });
      assert.equal(v.status, 500);
      assert.deepEqual(json(v), {
        error: {
          message: 'Simulated server error (fault injection)',
          type: 'InternalServerError',
          param: null,
          code: 500,
        },
      });
      const vs = sseData(
        (await raw(ep.vllm, '/v1/completions', { body: { prompt: 'x', max_tokens: 5, stream: true } })).body,
        true,
      );
      assert.equal(vs.length, 3, vs.join('|'));
      assert.deepEqual(JSON.parse(vs[1]), {
        error: {
          message: 'Simulated server error (fault injection)',
          type: 'InternalServerError',
          param: null,
          code: 500,
        },
      });
      assert.equal(vs[2], '[DONE]');
      const t = await raw(ep.tgi, '/generate', { body: { inputs: 'x' } });
      assert.deepEqual(
        [t.status, json(t)],
        [
          424,
          {
            error: 'Request failed during generation: Server error: Simulated server error (fault injection)',
            error_type: 'generation',
          },
        ],
      );
      const ts = sseData(
        (await raw(ep.tgi, '/generate_stream', { body: { inputs: 'x', parameters: { max_new_tokens: 5 } } })).body,
        false,
      );
      assert.deepEqual(JSON.parse(ts.at(-1)!), {
        error: 'Request failed during generation: Server error: Simulated server error (fault injection)',
        error_type: 'generation',
      });
      const o = await raw(ep.ollama, '/api/generate', { body: { model: 'tiny-llm', prompt: 'x', stream: false } });
      assert.deepEqual([o.status, o.body], [500, '{"error":"Simulated server error (fault injection)"}']);
      const os = (await raw(ep.ollama, '/api/generate', { body: { model: 'tiny-llm', prompt: 'x' } })).body
        .trim()
        .split('\n');
      assert.deepEqual([os.length, os[1]], [2, '{"error":"Simulated server error (fault injection)"}']);
      const e = await raw(ep.tei, '/embed', { body: { inputs: 'x' } });
      assert.deepEqual([e.status, json<{ error_type: string }>(e).error_type], [424, 'Backend']);
    });
  });

  it('cuts a stream after the planned number of tokens', async () => {
    await withServer(['vllm', 'ollama'], { faults: { disconnectRate: 1, disconnectAfterTokens: 2 } }, async (ep) => {
      const v = await readUntilClose(ep.vllm, '/v1/completions', { prompt: 'x', max_tokens: 10, stream: true });
      assert.equal(v.status, 200);
      assert.ok(v.aborted, 'the client sees a premature close');
      assert.equal(v.text.split('\n\n').filter((e) => e.startsWith('data: {')).length, 2);
      assert.ok(!v.text.includes('[DONE]'));
      const o = await readUntilClose(ep.ollama, '/api/generate', {
        model: 'tiny-llm',
        prompt: 'x',
        options: { num_predict: 10 },
      });
      assert.ok(o.aborted);
      assert.equal(o.text.trim().split('\n').length, 2);
      const plain = await raw(ep.vllm, '/v1/completions', { body: { prompt: 'x', max_tokens: 10 } });
      assert.equal(plain.status, 200, 'non-streaming answers are not cut');
    });
  });

  it('makes the first request to each model pay the slow start, once', async () => {
    await withServer(['vllm'], { faults: { slowStartMs: 150 } }, async (ep) => {
      const time = async (model: string) => {
        const t0 = performance.now();
        const r = await raw(ep.vllm, model === 'mini-embed' ? '/v1/embeddings' : '/v1/completions', {
          body: model === 'mini-embed' ? { model, input: 'x' } : { model, prompt: 'x', max_tokens: 1 },
        });
        assert.equal(r.status, 200);
        return performance.now() - t0;
      };
      assert.ok((await time('tiny-llm')) >= 150);
      assert.ok((await time('tiny-llm')) < 100);
      assert.ok((await time('mini-embed')) >= 150, 'each model warms up on its own');
    });
  });

  it('reports not ready during the window, in each server’s way, then recovers', async () => {
    await withServer(['vllm', 'tgi', 'ollama', 'rayserve'], { faults: { notReadyMs: 1500 } }, async (ep, server) => {
      // The window started when the server started, before this point.
      const started = performance.now();
      assert.deepEqual(await raw(ep.vllm, '/health').then((r) => [r.status, r.body]), [503, '']);
      assert.equal((await raw(ep.vllm, '/v1/completions', { body: { prompt: 'x' } })).status, 503);
      assert.deepEqual(json(await raw(ep.tgi, '/health')), { error: 'unhealthy', error_type: 'healthcheck' });
      assert.deepEqual(await raw(ep.rayserve, '/-/healthz').then((r) => [r.status, r.body]), [
        503,
        'This node is being drained.',
      ]);
      assert.equal((await raw(ep.ollama, '/api/generate', { body: { model: 'tiny-llm', prompt: 'x' } })).status, 503);
      await new Promise((r) => setTimeout(r, Math.max(0, 1520 - (performance.now() - started))));
      assert.equal((await raw(ep.vllm, '/health')).status, 200);
      assert.equal((await raw(ep.vllm, '/v1/completions', { body: { prompt: 'x', max_tokens: 1 } })).status, 200);
      server.faults.update({ errorRate: 1 }, 'tiny-llm');
      assert.equal(
        (await raw(ep.vllm, '/v1/completions', { body: { prompt: 'x', max_tokens: 1 } })).status,
        500,
        'faults change while running',
      );
    });
  });
});
