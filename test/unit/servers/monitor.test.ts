import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { ServerMonitor } from '../../../src/core/servers/monitor';
import { probeServer } from '../../../src/core/servers/probeServer';
import { summarize } from '../../../src/core/servers/snapshot';
import { closedPort, configFor, replay } from './helpers';

test('a ready Triton: detected kind and version, models with state, gauges from its metrics port', async () => {
  const r = await replay('triton', 'ready');
  const s = await probeServer(configFor(r, { id: 'tri', name: 'Triton' }));
  assert.equal(s.status, 'ready');
  assert.equal(s.kind, 'triton');
  assert.equal(s.version, '2.59.0');
  assert.match(s.evidence ?? '', /name "triton"/);
  assert.deepEqual(
    s.models.map((m) => [m.name, m.ready]),
    [
      ['simple', true],
      ['simple_identity', false],
    ],
  );
  assert.equal(s.gauges.gpuUtilization, 0.375);
  assert.equal(s.metricsAvailable, true);
  assert.equal(s.error, undefined);
  assert.ok(s.probedAt > 0 && s.durationMs >= 0);
});

test('live-not-ready carries the reason; unreachable, auth-failed and unrecognized each carry their own message', async () => {
  const nr = await probeServer(configFor(await replay('triton', 'not-ready')));
  assert.equal(nr.status, 'live-not-ready');
  assert.equal(nr.error, 'GET /v2/health/ready → HTTP 400 (empty body)');
  const port = await closedPort();
  const down = await probeServer({ id: 'd', name: 'd', url: `http://127.0.0.1:${port}` });
  assert.equal(down.status, 'unreachable');
  assert.equal(down.errorKind, 'connection-refused');
  const auth = await probeServer(configFor(await replay('vllm', 'api-key')));
  assert.equal(auth.kind, 'vllm');
  assert.equal(auth.status, 'auth-failed');
  assert.match(auth.error ?? '', /Authentication failed \(HTTP 401\)/);
  const nginx = await probeServer(configFor(await replay('nginx', 'default-page')));
  assert.equal(nginx.status, 'unrecognized');
  assert.match(nginx.error ?? '', /not a recognized inference server/);
  const bad = await probeServer({ id: 'b', name: 'b', url: 'localhost:8000' });
  assert.equal(bad.status, 'unreachable');
  assert.equal(bad.errorKind, 'invalid-url');
});

test('a configured kind skips detection; a mismatch says the server does not answer as that kind', async () => {
  const r = await replay('vllm', 'ready');
  const before = r.requests.length;
  const s = await probeServer(configFor(r, { kind: 'vllm' }));
  assert.equal(s.status, 'ready');
  assert.equal(s.evidence, 'configured as vLLM');
  assert.ok(!r.requests.slice(before).some((q) => q.path === '/v2' || q.path === '/-/routes'));
  const wrong = await probeServer(configFor(r, { kind: 'triton' }));
  assert.equal(wrong.status, 'unrecognized');
  assert.match(wrong.error ?? '', /^Does not answer as a Triton server: HTTP 404/);
});

test('a configured vLLM that refuses connections may still be loading its model', async () => {
  const s = await probeServer({ id: 'v', name: 'v', url: `http://127.0.0.1:${await closedPort()}`, kind: 'vllm' });
  assert.equal(s.status, 'unreachable');
  assert.match(s.error ?? '', /Connection refused .*it may still be starting\.$/);
});

test('a metrics failure does not make a healthy server look down', async () => {
  const r = await replay('kserve', 'ready');
  const s = await probeServer(configFor(r, { metricsUrl: `http://127.0.0.1:${await closedPort()}/metrics` }));
  assert.equal(s.status, 'ready');
  assert.equal(s.metricsAvailable, false);
  assert.match(s.metricsNote ?? '', /Connection refused/);
  assert.equal(s.models.length, 2);
});

test('ServerMonitor remembers detected kinds, joins probes in flight and summarizes', async () => {
  const r = await replay('ollama', 'ready');
  const monitor = new ServerMonitor({ concurrency: 4 });
  const config = configFor(r, { id: 'o', name: 'Ollama' });
  const [a, b] = [monitor.probe(config), monitor.probe(config)];
  assert.equal(a, b);
  assert.equal((await a).kind, 'ollama');
  const detectionPaths = () => r.requests.filter((q) => q.path === '/-/routes').length;
  const seen = detectionPaths();
  const again = await monitor.probe(config);
  assert.equal(again.status, 'ready');
  assert.equal(again.version, '0.12.6');
  assert.equal(detectionPaths(), seen, 'no second detection');
  assert.equal(monitor.last('o'), again);
  const down = { id: 'x', name: 'x', url: `http://127.0.0.1:${await closedPort()}` };
  const all = await monitor.probeAll([config, down]);
  assert.deepEqual(
    all.map((s) => s.status),
    ['ready', 'unreachable'],
  );
  assert.equal(summarize(all).text, '1/2 servers ready');
  monitor.retain(['x']);
  assert.equal(monitor.last('o'), undefined);
});

test('ServerMonitor keeps at most `concurrency` probes in flight', async () => {
  let active = 0;
  let peak = 0;
  const server = http.createServer((req, res) => {
    if (req.url !== '/health') {
      res.writeHead(404).end();
      return;
    }
    active++;
    peak = Math.max(peak, active);
    setTimeout(() => {
      active--;
      res.writeHead(200).end();
    }, 40);
  });
  await new Promise<void>((f) => server.listen(0, '127.0.0.1', f));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const configs = Array.from({ length: 9 }, (_, i) => ({ id: `s${i}`, name: `s${i}`, url, kind: 'vllm' as const }));
    const snaps = await new ServerMonitor({ concurrency: 3, includeMetrics: false }).probeAll(configs);
    assert.equal(snaps.length, 9);
    assert.ok(peak <= 3, `peak ${peak}`);
    assert.ok(peak >= 2, `peak ${peak}: probes did overlap`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((f) => server.close(() => f()));
  }
});

test('one budget bounds the whole probe of a server that never answers; a caller cancel rejects', async () => {
  const silent = http.createServer(() => undefined);
  await new Promise<void>((f) => silent.listen(0, '127.0.0.1', f));
  try {
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const t0 = Date.now();
    const s = await probeServer({ id: 's', name: 's', url, timeoutMs: 10_000 }, { budgetMs: 300 });
    assert.equal(s.status, 'unreachable');
    assert.equal(s.errorKind, 'timeout');
    // Server-independent bound: far below the 10 s per-request limit.
    assert.ok(Date.now() - t0 < 5000);
    const ctrl = new AbortController();
    const p = probeServer({ id: 's', name: 's', url, kind: 'vllm' }, { signal: ctrl.signal });
    setTimeout(() => ctrl.abort(), 50);
    await assert.rejects(p, (e: Error & { kind?: string }) => e.kind === 'cancelled');
  } finally {
    silent.closeAllConnections();
    await new Promise<void>((f) => silent.close(() => f()));
  }
});
