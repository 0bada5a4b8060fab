import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAdapter } from '../../../src/core/servers/registry';
import type { TorchServeAdapter } from '../../../src/core/servers/adapters/torchserve';
import { configFor, replay } from './helpers';

test('TorchServe: /ping pretty JSON, paged model list on the management port, workers as readiness, metadata, metrics', async () => {
  const r = await replay('torchserve', 'ready');
  const a = createAdapter('torchserve', configFor(r));
  assert.deepEqual(await a.fingerprint(r.url()), { matched: true, evidence: 'GET /ping → {"status": "Healthy"}' });
  assert.deepEqual(await a.health(), { live: true, ready: true });
  assert.deepEqual(await a.listModels(), [
    { name: 'resnet-18', ready: true, versions: ['1.0', '2.0'], state: '1/2 workers ready' },
    { name: 'bert', ready: false, versions: ['1.0'], state: '0/0 workers ready' },
  ]);
  assert.deepEqual(
    r.requests
      .filter((q) => q.port === 'management')
      .map((q) => q.path)
      .slice(0, 2),
    ['/models?limit=100', '/models?limit=100&next_page_token=1'],
  );
  const meta = await a.modelMetadata('resnet-18');
  assert.deepEqual(meta.versions, ['1.0']);
  assert.equal(meta.properties.workersReady, '1/1');
  assert.equal(meta.properties.batchSize, 1);
  await assert.rejects(a.modelMetadata('ghost'), /HTTP 404: Model not found: ghost/);
  const m = await a.metrics();
  assert.equal(m.gauges.gpuUtilization, 0.4);
  assert.equal(a.streamFraming, 'chunked');
});

test('TorchServe: management and metrics ports derive from the inference port unless configured', () => {
  const a = createAdapter('torchserve', { id: 't', name: 't', url: 'http://127.0.0.1:8080' }) as TorchServeAdapter;
  assert.equal(a.management.base, 'http://127.0.0.1:8081');
  assert.equal((a as unknown as { metricsUrl(): string }).metricsUrl(), 'http://127.0.0.1:8082/metrics');
  const b = createAdapter('torchserve', {
    id: 't',
    name: 't',
    url: 'http://127.0.0.1:8080',
    managementUrl: 'http://127.0.0.1:9081/',
  }) as TorchServeAdapter;
  assert.equal(b.management.base, 'http://127.0.0.1:9081');
});

test('TorchServe: /ping 500 Unhealthy is live-not-ready; a token failure (400 InvalidKeyException) is an auth error', async () => {
  const sick = await replay('torchserve', 'unhealthy');
  const h = await createAdapter('torchserve', configFor(sick)).health();
  assert.deepEqual([h.live, h.ready], [true, false]);
  assert.match(h.detail ?? '', /500 Unhealthy/);
  const locked = await replay('torchserve', 'token-auth');
  await assert.rejects(
    createAdapter('torchserve', configFor(locked)).listModels(),
    (e: Error & { kind?: string; status?: number }) => {
      assert.equal(e.kind, 'auth');
      assert.equal(e.status, 400);
      assert.match(e.message, /Token Authorization failed/);
      return true;
    },
  );
});

test('TF Serving: the 400 on /v1/models is the fingerprint; models come from configured names', async () => {
  const r = await replay('tfserving', 'ready');
  const a = createAdapter('tfserving', configFor(r, { models: ['half', 'loading', 'missing'] }));
  assert.deepEqual(await a.fingerprint(r.url()), {
    matched: true,
    evidence: 'GET /v1/models → 400 {"error": "Malformed request: GET /v1/models"}',
  });
  assert.deepEqual(await a.listModels(), [
    { name: 'half', ready: true, versions: ['123'], state: 'AVAILABLE', reason: undefined },
    { name: 'loading', ready: false, versions: ['7'], state: 'LOADING', reason: undefined },
    { name: 'missing', ready: false, state: 'NOT_FOUND', reason: 'Servable not found for request: Latest(missing)' },
  ]);
  const h = await a.health();
  assert.deepEqual([h.live, h.ready], [true, false]);
  assert.match(h.detail ?? '', /loading \(LOADING\), missing \(Servable not found/);
  const ok = createAdapter('tfserving', configFor(r, { models: ['half'] }));
  assert.deepEqual(await ok.health(), { live: true, ready: true });
});

test('TF Serving: without model names, readiness is unknown and listing says what to configure', async () => {
  const r = await replay('tfserving', 'ready');
  const a = createAdapter('tfserving', configFor(r));
  const h = await a.health();
  assert.deepEqual([h.live, h.ready], [true, false]);
  assert.match(h.detail ?? '', /cannot list its models/);
  await assert.rejects(a.listModels(), /TF Serving has no list-models API: add the model names/);
});

test('TF Serving: signature_def metadata mapped to OIP datatypes and shapes; metrics with ":" names', async () => {
  const r = await replay('tfserving', 'ready');
  const a = createAdapter('tfserving', configFor(r, { models: ['half'] }));
  const meta = await a.modelMetadata('half');
  assert.deepEqual(meta.inputs, [{ name: 'x', datatype: 'FP32', shape: [-1, 1] }]);
  assert.deepEqual(meta.outputs, [{ name: 'y', datatype: 'FP32', shape: [-1, 1] }]);
  assert.deepEqual(meta.versions, ['123']);
  assert.equal(meta.properties.signature, 'serving_default');
  assert.equal(meta.properties.method, 'tensorflow/serving/predict');
  const m = await a.metrics();
  assert.deepEqual(m.gauges, { requestsTotal: 43, requestsFailed: 3 });
});

test('Ray Serve: routes map to applications and their OpenAI models, healthz success, metrics only from a configured URL', async () => {
  const r = await replay('rayserve', 'ready');
  const a = createAdapter('rayserve', configFor(r));
  const fp = await a.fingerprint(r.url());
  assert.equal(fp.matched, true);
  assert.equal(fp.evidence, 'GET /-/routes → 3 route(s); GET /-/healthz → 200 success');
  assert.deepEqual(await a.health(), { live: true, ready: true });
  // The OpenAI application's models are listed by their own names (under its first route), not as "llm_app";
  // the image classifier answers no OpenAI list and stands for itself.
  assert.deepEqual(await a.listModels(), [
    { name: 'image_classifier', state: 'route /classify' },
    { name: 'qwen-0.5b', ready: true, state: undefined, application: { name: 'llm_app', route: '/llm' } },
  ]);
  assert.deepEqual((await a.modelMetadata('qwen-0.5b')).properties, {
    application: 'llm_app',
    route: '/llm',
    ownedBy: 'ray',
  });
  assert.deepEqual((await a.modelMetadata('image_classifier')).properties, { routes: '/classify' });
  const m = await a.metrics();
  assert.equal(m.available, false);
  assert.match(m.reason ?? '', /metrics-export-port/);
  const draining = await replay('rayserve', 'draining');
  assert.deepEqual(await createAdapter('rayserve', configFor(draining)).health(), {
    live: true,
    ready: false,
    detail: 'GET /-/healthz → HTTP 503: This node is being drained.',
  });
});

test('TorchServe 0.12.0 (recorded from the real server): version from /api-description, both models ready, ts_* counters', async () => {
  const r = await replay('torchserve', 'real-0.12');
  const a = createAdapter('torchserve', configFor(r));
  assert.equal(await a.version(), '0.12.0');
  assert.deepEqual(await a.health(), { live: true, ready: true });
  assert.deepEqual(await a.listModels(), [
    { name: 'image', ready: true, versions: ['1.0'], state: '1/1 workers ready' },
    { name: 'text', ready: true, versions: ['1.0'], state: '1/1 workers ready' },
  ]);
  const m = await a.metrics();
  // One image and one text prediction before the recording: ts_inference_requests_total{model_version="default"}.
  assert.equal(m.gauges.requestsTotal, 2);
});
