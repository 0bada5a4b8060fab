/**
 * The embedded Triton outside the happy path: the fault injector's
 * not-ready window (400 with empty health bodies, gRPC ServerReady false,
 * inference refused), explicit model control (unload/load), injected errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createInferenceClient } from '../../../../src/core/proto/grpcInference';
import { json, rawRequest, tensorServer } from './helpers';

const embedBody = JSON.stringify({ inputs: [{ name: 'text', datatype: 'BYTES', shape: [1], data: ['x'] }] });

describe('Triton readiness and model control', () => {
  it('during the not-ready window: ready 400 empty, model ready 400, infer 503, gRPC ServerReady false', async () => {
    const s = tensorServer(['triton'], { faults: { notReadyMs: 60_000 } });
    const e = await s.start();
    const c = createInferenceClient(e.tritonGrpc);
    try {
      const ready = await rawRequest(`${e.triton}/v2/health/ready`);
      assert.equal(ready.status, 400);
      assert.equal(ready.body.length, 0);
      assert.equal((await rawRequest(`${e.triton}/v2/health/live`)).status, 200);
      const mr = await rawRequest(`${e.triton}/v2/models/mini-embed/ready`);
      assert.equal(mr.status, 400);
      assert.equal(mr.body.toString(), '{"error":"Model version not ready"}');
      const inf = await rawRequest(`${e.triton}/v2/models/mini-embed/infer`, { method: 'POST', body: embedBody });
      assert.equal(inf.status, 503);
      assert.deepEqual(
        (
          json(await rawRequest(`${e.triton}/v2/repository/index`, { method: 'POST', body: '' })) as Array<{
            state: string;
          }>
        ).map((m) => m.state),
        ['LOADING', 'LOADING', 'LOADING'],
      );
      assert.deepEqual(await c.serverReady(), { ready: false });
      assert.deepEqual(await c.serverLive(), { live: true });
    } finally {
      c.close();
      await s.stop();
    }
  });

  it('explicit model control: unload makes a model UNAVAILABLE ("unloaded", 404 no versions), load brings it back', async () => {
    const s = tensorServer(['triton'], { personalities: { triton: { modelControlMode: 'explicit' } } });
    const e = await s.start();
    try {
      const un = await rawRequest(`${e.triton}/v2/repository/models/mini-embed/unload`, { method: 'POST', body: '' });
      assert.equal(un.status, 200);
      assert.equal(un.body.length, 0);
      assert.equal(un.headers['content-type'], 'application/json');
      const index = json(
        await rawRequest(`${e.triton}/v2/repository/index`, { method: 'POST', body: '' }),
      ) as unknown[];
      assert.deepEqual(index[1], { name: 'mini-embed', version: '1', state: 'UNAVAILABLE', reason: 'unloaded' });
      assert.deepEqual(
        json(await rawRequest(`${e.triton}/v2/repository/index`, { method: 'POST', body: '{"ready":true}' })),
        [
          { name: 'resnet50', version: '1', state: 'READY' },
          { name: 'words', version: '1', state: 'READY' },
        ],
      );
      const gone = await rawRequest(`${e.triton}/v2/models/mini-embed`);
      assert.equal(gone.status, 404);
      assert.match((json(gone) as { error: string }).error, /has no available versions/);
      assert.equal(
        (await rawRequest(`${e.triton}/v2/repository/models/mini-embed/load`, { method: 'POST', body: '' })).status,
        200,
      );
      assert.equal(
        (await rawRequest(`${e.triton}/v2/models/mini-embed/infer`, { method: 'POST', body: embedBody })).status,
        200,
      );
      assert.equal(
        (await rawRequest(`${e.triton}/v2/repository/models/nope/load`, { method: 'POST', body: '' })).status,
        400,
      );
    } finally {
      await s.stop();
    }
  });

  it("an injected error is a 500 with Triton's error body and counts as a BACKEND failure", async () => {
    const s = tensorServer(['triton'], { faults: { errorRate: 1 } });
    const e = await s.start();
    try {
      const r = await rawRequest(`${e.triton}/v2/models/mini-embed/infer`, { method: 'POST', body: embedBody });
      assert.equal(r.status, 500);
      assert.equal(r.body.toString(), '{"error":"Simulated server error (fault injection)"}');
      const m = (await rawRequest(`${e.tritonMetrics}/metrics`)).body.toString();
      assert.match(m, /nv_inference_request_failure\{model="mini-embed",reason="BACKEND",version="1"\} 1/);
    } finally {
      await s.stop();
    }
  });
});

describe('Triton timing through the latency engine', () => {
  it('concurrent requests queue behind a busy instance and run merged into one batch', async () => {
    // A slow batch cost makes the merge independent of machine load: every
    // request sent while the first batch runs must wait and join the next one.
    const s = tensorServer(['triton'], {
      models: [
        {
          name: 'mini-embed',
          kind: 'embedding',
          dimensions: 8,
          latency: { batchBaseMs: 150, perItemMs: 0, jitter: 0, maxBatch: 8 },
        },
      ],
    });
    const e = await s.start();
    try {
      const first = rawRequest(`${e.triton}/v2/models/mini-embed/infer`, { method: 'POST', body: embedBody });
      await new Promise((r) => setTimeout(r, 30));
      const rest = Array.from({ length: 5 }, () =>
        rawRequest(`${e.triton}/v2/models/mini-embed/infer`, { method: 'POST', body: embedBody }),
      );
      for (const r of await Promise.all([first, ...rest])) assert.equal(r.status, 200);
      const st = (
        json(await rawRequest(`${e.triton}/v2/models/mini-embed/stats`)) as {
          model_stats: Array<{
            execution_count: number;
            inference_count: number;
            batch_stats: Array<{ batch_size: number; compute_infer: { count: number; ns: number } }>;
            inference_stats: { queue: { ns: number } };
          }>;
        }
      ).model_stats[0];
      assert.equal(st.inference_count, 6);
      assert.equal(st.execution_count, 2, JSON.stringify(st.batch_stats));
      assert.deepEqual(
        st.batch_stats.map((b) => [b.batch_size, b.compute_infer.count]),
        [
          [1, 1],
          [5, 5],
        ],
      );
      // The five waited (server-measured) for the rest of the first 150 ms batch.
      assert.ok(st.inference_stats.queue.ns / 5 >= 10e6, `mean queue ${st.inference_stats.queue.ns / 5e6} ms`);
    } finally {
      await s.stop();
    }
  });
});
