import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAdapter } from '../../../src/core/servers/registry';
import { scriptedServer } from '../request/helpers';
import { configFor, replay } from './helpers';

test('Triton: fingerprint, empty-body health, repository index, metadata with config, metrics on their own port', async () => {
  const r = await replay('triton', 'ready');
  const a = createAdapter('triton', configFor(r));
  assert.deepEqual(await a.fingerprint(r.url()), {
    matched: true,
    version: '2.59.0',
    evidence:
      'GET /v2 → name "triton", version 2.59.0, extensions [classification, sequence, model_repository, model_repository(unload_dependents), …]',
  });
  assert.deepEqual(await a.health(), { live: true, ready: true, detail: undefined });
  assert.deepEqual(await a.listModels(), [
    { name: 'simple', ready: true, versions: ['1'], state: 'READY', reason: undefined },
    { name: 'simple_identity', ready: false, versions: ['1'], state: 'UNAVAILABLE', reason: 'unloaded' },
  ]);
  const meta = await a.modelMetadata('simple');
  assert.equal(meta.platform, 'onnxruntime_onnx');
  assert.deepEqual(meta.inputs[0], { name: 'INPUT0', datatype: 'INT32', shape: [-1, 16] });
  assert.equal(meta.outputs.length, 2);
  assert.deepEqual(meta.properties, { maxBatchSize: 8, backend: 'onnxruntime' });
  const m = await a.metrics();
  assert.equal(m.available, true);
  assert.equal(m.gauges.requestsQueued, 4);
  assert.match(m.raw, /nv_gpu_utilization/);
  assert.equal(await a.version(), '2.59.0');
  // The repository index is a POST, as the extension defines it.
  assert.ok(r.requests.some((q) => q.method === 'POST' && q.path === '/v2/repository/index'));
});

test('Triton: ready 400 with an empty body is live-not-ready, and an unknown model is a 400 with the server message', async () => {
  const r = await replay('triton', 'not-ready');
  const a = createAdapter('triton', configFor(r));
  const h = await a.health();
  assert.equal(h.live, true);
  assert.equal(h.ready, false);
  assert.equal(h.detail, 'GET /v2/health/ready → HTTP 400 (empty body)');
  assert.deepEqual(await a.listModels(), [
    { name: 'simple', ready: false, versions: ['1'], state: 'LOADING', reason: undefined },
  ]);
  const ready = await replay('triton', 'ready');
  await assert.rejects(
    createAdapter('triton', configFor(ready)).modelMetadata('nope'),
    (e: Error & { status?: number; serverMessage?: string }) => {
      assert.equal(e.status, 400);
      assert.equal(e.serverMessage, "Request for unknown model: 'nope' is not found");
      return true;
    },
  );
});

test('Triton metrics URL defaults to the HTTP port + 2', () => {
  const a = createAdapter('triton', { id: 't', name: 't', url: 'http://127.0.0.1:8000' });
  assert.equal((a as unknown as { metricsUrl(): string }).metricsUrl(), 'http://127.0.0.1:8002/metrics');
});

test('KServe: JSON health bodies, /v2/models list with per-model readiness, metadata with properties', async () => {
  const r = await replay('kserve', 'ready');
  const a = createAdapter('kserve', configFor(r));
  const fp = await a.fingerprint(r.url());
  assert.equal(fp.matched, true);
  assert.equal(fp.version, '0.15.2');
  assert.deepEqual(await a.health(), { live: true, ready: true, detail: undefined });
  assert.deepEqual(await a.listModels(), [
    { name: 'sklearn-iris', ready: true },
    { name: 'xgb-loading', ready: false },
  ]);
  const meta = await a.modelMetadata('sklearn-iris');
  assert.deepEqual(meta.inputs, [{ name: 'input-0', datatype: 'FP64', shape: [-1, 4] }]);
  assert.equal(meta.versions, undefined);
  assert.deepEqual(meta.properties, { framework: 'sklearn' });
  await assert.rejects(a.modelMetadata('ghost'), /HTTP 404: Model with name ghost does not exist\./);
  const m = await a.metrics();
  assert.equal(m.available, true);
  assert.ok(m.sampleCount >= 8);
  // Triton's fingerprint does not claim a KServe server.
  assert.equal((await createAdapter('triton', configFor(r)).fingerprint(r.url())).matched, false);
});

test('KServe: ready 503 with a JSON error is live-not-ready with the server message', async () => {
  const r = await replay('kserve', 'not-ready');
  const h = await createAdapter('kserve', configFor(r)).health();
  assert.deepEqual(h, {
    live: true,
    ready: false,
    detail: 'GET /v2/health/ready → HTTP 503: {"error":"Server is not ready."}',
  });
});

test('generic OIP: any other /v2 name, repository index grouped by model, ready only if a version is READY', async () => {
  const r = await replay('oip', 'mlserver');
  const a = createAdapter('oip', configFor(r));
  const fp = await a.fingerprint(r.url());
  assert.deepEqual(fp, { matched: true, version: '1.6.1', evidence: 'GET /v2 → name "mlserver", version 1.6.1' });
  assert.equal(await a.version(), 'mlserver 1.6.1');
  assert.deepEqual(await a.listModels(), [
    { name: 'iris', ready: true, versions: ['v1', 'v2'], state: 'READY', reason: undefined },
    { name: 'mnist', ready: false, versions: [], state: 'LOADING', reason: undefined },
  ]);
  assert.deepEqual((await a.modelMetadata('iris')).outputs, [{ name: 'predict', datatype: 'INT64', shape: [-1, 1] }]);
  // No /metrics on this port: unavailable with a reason, not an error.
  const m = await a.metrics();
  assert.equal(m.available, false);
  assert.match(m.reason ?? '', /No Prometheus endpoint at http:\/\/127\.0\.0\.1:\d+\/metrics \(HTTP 404\)/);
});

test('an OIP adapter pointed at a non-OIP server says so instead of reporting "not live"', async () => {
  const r = await replay('vllm', 'ready');
  await assert.rejects(
    createAdapter('kserve', configFor(r)).health(),
    (e: Error & { kind?: string; status?: number }) => e.kind === 'http' && e.status === 404,
  );
});

test('Triton with its repository API restricted (PyTriton 0.7 default): no "auth required"; configured names checked instead', async () => {
  // PyTriton 0.7.0 (Triton 2.51.0) answered exactly this in the real-servers tier.
  const peer = await scriptedServer((req, res) => {
    if (req.url === '/v2/repository/index')
      return void res
        .writeHead(403, { 'content-type': 'application/json' })
        .end(`{"error":"This API is restricted, expecting header 'triton-access-token'"}`);
    if (req.url === '/v2/models/image/ready') return void res.writeHead(200).end();
    res.writeHead(400).end();
  });
  try {
    const bare = createAdapter('triton', { id: 't', name: 't', url: peer.url });
    await assert.rejects(
      bare.listModels(),
      (e: Error & { kind?: string }) =>
        e.kind === 'http' &&
        /restricts its model-repository API \(This API is restricted, expecting header 'triton-access-token'\).*add the model names/.test(
          e.message,
        ),
    );
    const named = createAdapter('triton', { id: 't', name: 't', url: peer.url, models: ['image', 'text'] });
    assert.deepEqual(await named.listModels(), [
      { name: 'image', ready: true },
      { name: 'text', ready: false },
    ]);
  } finally {
    await peer.close();
  }
});
