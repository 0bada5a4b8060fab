import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VLLM_VERSION } from '../../../src/core/embedded/personalities/vllm/vllm';
import { createAdapter } from '../../../src/core/servers/registry';
import { configFor, replay } from './helpers';

test('vLLM: /version + owned_by "vllm", /health 200 with no body, models with LoRA parent, metadata, gauges', async () => {
  const r = await replay('vllm', 'ready');
  const a = createAdapter('vllm', configFor(r));
  assert.deepEqual(await a.fingerprint(r.url()), {
    matched: true,
    version: '0.11.0',
    evidence: 'GET /version → 0.11.0; GET /v1/models → owned_by "vllm"',
  });
  assert.deepEqual(await a.health(), { live: true, ready: true });
  assert.deepEqual(await a.listModels(), [
    { name: 'Qwen/Qwen2.5-0.5B-Instruct', ready: true, state: undefined },
    { name: 'sql-lora', ready: true, state: 'adapter of Qwen/Qwen2.5-0.5B-Instruct' },
  ]);
  const meta = await a.modelMetadata('Qwen/Qwen2.5-0.5B-Instruct');
  assert.equal(meta.properties.maxModelLen, 32768);
  assert.equal(meta.properties.ownedBy, 'vllm');
  assert.equal(meta.properties.root, '/models/qwen2.5-0.5b');
  await assert.rejects(
    a.modelMetadata('gpt-4'),
    /Model "gpt-4" is not served by .*it lists: Qwen\/Qwen2\.5-0\.5B-Instruct, sql-lora/,
  );
  const m = await a.metrics();
  assert.deepEqual([m.gauges.requestsRunning, m.gauges.requestsQueued, m.gauges.kvCacheUsage], [4, 2, 0.375]);
  assert.equal(await a.version(), '0.11.0');
  assert.equal(a.streamFraming, 'sse');
});

test('vLLM: engine dead (503 on /health) is live-not-ready', async () => {
  const r = await replay('vllm', 'old-error-shape');
  assert.deepEqual(await createAdapter('vllm', configFor(r)).health(), {
    live: true,
    ready: false,
    detail: 'GET /health → HTTP 503 (empty body)',
  });
});

test('vLLM with --api-key: recognized by /version and uvicorn; the guarded model list is an auth error', async () => {
  const r = await replay('vllm', 'api-key');
  const a = createAdapter('vllm', configFor(r));
  const fp = await a.fingerprint(r.url());
  assert.equal(fp.matched, true);
  assert.match(fp.evidence, /needs an API key \(HTTP 401\)/);
  await assert.rejects(
    a.listModels(),
    (e: Error & { kind?: string }) => e.kind === 'auth' && /Authentication failed \(HTTP 401\)/.test(e.message),
  );
  const withKey = createAdapter('vllm', configFor(r, { apiKey: 'sk-test-123' }));
  await withKey.health();
  assert.equal(r.requests.at(-1)?.headers.authorization, 'Bearer sk-test-123');
});

test('generic OpenAI: the model list alone; vLLM does not claim it', async () => {
  const r = await replay('openai', 'llamacpp');
  const a = createAdapter('openai', configFor(r));
  assert.deepEqual(await a.fingerprint(r.url()), {
    matched: true,
    evidence: 'GET /v1/models → object "list" with 1 model(s), owned_by "llamacpp"',
  });
  assert.equal((await createAdapter('vllm', configFor(r)).fingerprint(r.url())).matched, false);
  assert.deepEqual(await a.health(), { live: true, ready: true });
  assert.deepEqual(await a.listModels(), [
    { name: 'qwen2.5-0.5b-instruct-q4_k_m.gguf', ready: true, state: undefined },
  ]);
  // An OpenAI-style base URL ending in /v1 works too.
  const v1 = createAdapter('openai', configFor(r, { url: `${r.url()}/v1` }));
  assert.equal((await v1.listModels()).length, 1);
  assert.equal((await a.metrics()).available, false);
});

test('TGI: /info router, single model ready with the server, metadata from /info, gauges', async () => {
  const r = await replay('tgi', 'ready');
  const a = createAdapter('tgi', configFor(r));
  const fp = await a.fingerprint(r.url());
  assert.deepEqual(fp, {
    matched: true,
    version: '3.3.5',
    evidence: 'GET /info → router "text-generation-router", model HuggingFaceTB/SmolLM2-135M-Instruct',
  });
  assert.equal((await createAdapter('tei', configFor(r)).fingerprint(r.url())).matched, false);
  assert.deepEqual(await a.listModels(), [
    { name: 'HuggingFaceTB/SmolLM2-135M-Instruct', ready: true, versions: ['a91318be21ae'], reason: undefined },
  ]);
  const meta = await a.modelMetadata('HuggingFaceTB/SmolLM2-135M-Instruct');
  assert.equal(meta.properties.maxTotalTokens, 4096);
  assert.equal(meta.properties.modelPipelineTag, 'text-generation');
  assert.equal((await a.metrics()).gauges.generationTokensTotal, 2750);
});

test('TGI: 503 health with a JSON error body gives the server message, and the model is not ready', async () => {
  const r = await replay('tgi', 'stream-error');
  const a = createAdapter('tgi', configFor(r));
  assert.deepEqual(await a.health(), { live: true, ready: false, detail: 'GET /health → HTTP 503: unhealthy' });
  assert.equal((await a.listModels())[0].ready, false);
});

test('TEI: /info model_type without router; embedding model metadata', async () => {
  const r = await replay('tei', 'ready');
  const a = createAdapter('tei', configFor(r));
  const fp = await a.fingerprint(r.url());
  assert.equal(fp.matched, true);
  assert.equal(fp.evidence, 'GET /info → model_type embedding (pooling cls), max_input_length 512');
  assert.equal((await createAdapter('tgi', configFor(r)).fingerprint(r.url())).matched, false);
  const meta = await a.modelMetadata('BAAI/bge-small-en-v1.5');
  assert.equal(meta.properties.modelType, 'embedding (pooling cls)');
  assert.equal(meta.properties.maxInputLength, 512);
  assert.equal(meta.properties.maxBatchRequests, undefined);
  assert.equal(a.streamFraming, 'none');
  assert.equal((await a.metrics()).gauges.requestsTotal, 15);
});

test('Ollama: banner, version, models on disk vs loaded, /api/show details, no metrics endpoint', async () => {
  const r = await replay('ollama', 'ready');
  const a = createAdapter('ollama', configFor(r));
  assert.deepEqual(await a.fingerprint(r.url()), {
    matched: true,
    version: '0.12.6',
    evidence: 'GET / → "Ollama is running"; GET /api/version → 0.12.6',
  });
  assert.deepEqual(await a.health(), { live: true, ready: true });
  assert.deepEqual(await a.listModels(), [
    { name: 'llama3.2:1b', ready: true, state: 'loaded', versions: ['baf6a787fdff'] },
    { name: 'nomic-embed-text:latest', ready: true, state: 'on disk', versions: ['0a109f422b47'] },
  ]);
  const meta = await a.modelMetadata('llama3.2:1b');
  assert.deepEqual(meta.properties, {
    family: 'llama',
    parameterSize: '1.2B',
    quantization: 'Q8_0',
    format: 'gguf',
    contextLength: 131072,
    capabilities: 'completion, tools',
  });
  const m = await a.metrics();
  assert.deepEqual([m.available, m.reason], [false, 'Ollama has no built-in Prometheus metrics endpoint.']);
  assert.equal(a.streamFraming, 'ndjson');
  // The OpenAI-compatible list also fits Ollama, but the banner comes first in detection.
  assert.equal((await createAdapter('openai', configFor(r)).fingerprint(r.url())).matched, true);
});

test('Ollama: an unknown model in /api/show is a 404 with the server message', async () => {
  const r = await replay('ollama', 'stream-error');
  await assert.rejects(
    createAdapter('ollama', configFor(r)).modelMetadata('ghost'),
    (e: Error & { status?: number; serverMessage?: string }) =>
      e.status === 404 && e.serverMessage === "model 'ghost' not found",
  );
});

test('Infinity 0.0.78 (recorded from the real server): OpenAI list owned_by "infinity", version from /v1/openapi.json', async () => {
  const r = await replay('openai', 'infinity-0.0.78');
  const a = createAdapter('openai', configFor(r));
  assert.equal((await a.fingerprint(r.url())).matched, true);
  assert.deepEqual(await a.listModels(), [{ name: 'all-MiniLM-L6-v2', ready: true, state: undefined }]);
  // Its routes sit under the /v1 URL prefix, the OpenAPI description too: found from either base URL.
  assert.equal(await a.version(), '0.0.78');
  assert.equal(await createAdapter('openai', configFor(r, { url: `${r.url()}/v1` })).version(), '0.0.78');
  // A server without an OpenAPI description has no version to show.
  assert.equal(await createAdapter('openai', configFor(await replay('openai', 'llamacpp'))).version(), undefined);
});

test('vLLM 0.32.0 (recorded from the real server on CPU): version, health, model list and gauges; the embedded vLLM reports the same version', async () => {
  const r = await replay('vllm', 'real-0.32');
  const a = createAdapter('vllm', configFor(r));
  assert.equal((await a.fingerprint(r.url())).matched, true);
  assert.equal(await a.version(), '0.32.0');
  assert.equal(await a.version(), VLLM_VERSION);
  assert.deepEqual(await a.health(), { live: true, ready: true });
  assert.deepEqual(
    (await a.listModels()).map((m) => m.name),
    ['tiny'],
  );
  const g = (await a.metrics()).gauges;
  // Two completions before the scrape (one of 2 tokens, one of 4): request_success_total over its reasons.
  assert.equal(g.requestsTotal, 2);
  assert.equal(g.generationTokensTotal, 6);
  assert.equal(g.requestsRunning, 0);
});
