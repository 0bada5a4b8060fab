import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { closeHttpPools } from '../../../src/core/http/client';
import {
  discoverLocalServers,
  DiscoveryThrottle,
  localPortsOf,
  portOpen,
} from '../../../src/core/servers/view/discovery';

const servers: http.Server[] = [];

async function listen(handler: http.RequestListener): Promise<number> {
  const s = http.createServer(handler);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

let ollama = 0;
let webApp = 0;
let closed = 0;

before(async () => {
  // Ollama's banner and version endpoint (wire-reference §9), nothing else.
  ollama = await listen((req, res) => {
    if (req.url === '/') return res.end('Ollama is running');
    if (req.url === '/api/version') return res.end('{"version":"0.9.0"}');
    res.statusCode = 404;
    res.end('404 page not found');
  });
  // A developer's web app: answers everything with an HTML page.
  webApp = await listen((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end('<!doctype html><html><body>Welcome to nginx!</body></html>');
  });
  closed = await closedPort();
});

after(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  await closeHttpPools();
});

describe('discovery of local servers', () => {
  it('returns only recognized inference servers, in port order, with the evidence', async () => {
    const found = await discoverLocalServers({ ports: [webApp, closed, ollama], timeoutMs: 2000 });
    assert.deepEqual(
      found.map((f) => [f.port, f.detect.kind]),
      [[ollama, 'ollama']],
    );
    assert.equal(found[0].url, `http://127.0.0.1:${ollama}`);
    assert.equal(found[0].detect.version, '0.9.0');
    assert.match(found[0].detect.evidence, /Ollama is running/);
  });

  it('skips ports already shown and ports out of range', async () => {
    const found = await discoverLocalServers({ ports: [ollama, 0, 70000], skip: new Set([ollama]) });
    assert.deepEqual(found, []);
  });

  it('finds nothing once cancelled', async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    assert.deepEqual(await discoverLocalServers({ ports: [ollama], signal: ctrl.signal }), []);
  });

  it('tells open ports from closed ones with a TCP connect', async () => {
    assert.equal(await portOpen(ollama), true);
    assert.equal(await portOpen(closed), false);
  });

  it('knows which local ports the tree already points at', () => {
    const ports = localPortsOf([
      'http://localhost:8000',
      'http://127.0.0.1:11434/x',
      'https://localhost',
      'http://gpu-box:8080',
      'not a url',
    ]);
    assert.deepEqual(
      [...ports].sort((a, b) => a - b),
      [443, 8000, 11434],
    );
  });

  it('runs at most once per interval however often it is asked', () => {
    const t = new DiscoveryThrottle(60_000);
    assert.equal(t.take(1_000), true);
    assert.equal(t.take(30_000), false);
    assert.equal(t.take(61_000), true);
    t.setInterval(10_000);
    assert.equal(t.take(65_000), false);
    assert.equal(t.take(71_000), true);
    t.reset();
    assert.equal(t.take(71_001), true);
  });
});
