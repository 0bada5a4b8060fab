/**
 * The adapters and detection against the embedded server's personalities,
 * started in-process on free ports: every personality must be detected as its
 * own kind and probe as ready with its models and gauges.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { closeHttpPools } from '../../../src/core/http/client';
import { EmbeddedServer } from '../../../src/core/embedded/server';
import { detectServer } from '../../../src/core/servers/detect';
import { probeServer } from '../../../src/core/servers/probeServer';
import { createAdapter } from '../../../src/core/servers/registry';
import { isServerKind, type ServerConfig, type ServerKind } from '../../../src/core/servers/types';

const server = new EmbeddedServer({ portBase: 0 });
let endpoints: Record<string, string> = {};

before(async () => {
  endpoints = await server.start();
});

after(async () => {
  await server.stop();
  await closeHttpPools();
});

/** An endpoint of personality `name` whose key also mentions `what` ("tritonMetrics", "torchserve-management"…). */
function side(name: string, what: string): string | undefined {
  return Object.entries(endpoints).find(
    ([k]) => k !== name && k.toLowerCase().startsWith(name) && k.toLowerCase().includes(what),
  )?.[1];
}

/** The personality's main HTTP endpoint per kind, plus its side ports when it has them. */
function configs(): { kind: ServerKind; config: ServerConfig }[] {
  return Object.entries(endpoints)
    .filter(([name, url]) => isServerKind(name) && url.startsWith('http'))
    .map(([name, url]) => {
      const metrics = side(name, 'metric');
      const config: ServerConfig = {
        id: name,
        name,
        url,
        managementUrl: side(name, 'manage'),
        metricsUrl: metrics && `${metrics.replace(/\/$/, '')}/metrics`,
        grpcAddress: side(name, 'grpc'),
      };
      // TF Serving cannot list its models: name the embedded ones, as a user would.
      if (name === 'tfserving') config.models = server.models.list().map((m) => m.name);
      return { kind: name as ServerKind, config };
    });
}

test('the embedded server runs at least the LLM personalities', () => {
  const kinds = configs().map((c) => c.kind);
  for (const k of ['vllm', 'tgi', 'ollama', 'tei', 'rayserve'] as const)
    assert.ok(kinds.includes(k), `${k} in ${kinds.join(', ')}`);
});

test('every embedded personality is detected as its own kind', async () => {
  for (const { kind, config } of configs()) {
    const d = await detectServer(config.url, { timeoutMs: 3000 });
    assert.equal(d.kind, kind, `${config.url}: ${d.evidence}\n${JSON.stringify(d.seen, null, 1)}`);
  }
});

test('every embedded personality probes ready, with models and (where the server has them) gauges', async () => {
  for (const { kind, config } of configs()) {
    if (kind === 'tfserving') {
      // Keep only the names this personality serves (it answers NOT_FOUND for the others).
      const models = await createAdapter(kind, config).listModels();
      config.models = models.filter((m) => m.ready).map((m) => m.name);
      assert.ok(config.models.length > 0, 'TF Serving serves at least one embedded model');
    }
    const s = await probeServer(config);
    assert.equal(s.status, 'ready', `${kind}: ${s.error}`);
    assert.equal(s.kind, kind);
    // TorchServe lists through its management port, which must be among the endpoints.
    if (kind !== 'torchserve' || config.managementUrl)
      assert.ok(s.models.length > 0, `${kind} lists models (${s.modelsError ?? ''})`);
    if (['vllm', 'tgi', 'tei'].includes(kind) || config.metricsUrl)
      assert.equal(s.metricsAvailable, true, `${kind} metrics: ${s.metricsNote}`);
  }
});

test('model metadata for the first model of each personality', async () => {
  for (const { kind, config } of configs()) {
    if (kind === 'torchserve' && !config.managementUrl) continue;
    const a = createAdapter(kind, config);
    const models = await a.listModels().catch(() => []);
    const first = models.find((m) => m.ready !== false) ?? models[0];
    if (!first) continue;
    const meta = await a.modelMetadata(first.name);
    assert.equal(meta.name, first.name, kind);
    assert.ok(Array.isArray(meta.inputs) && Array.isArray(meta.outputs));
  }
});
