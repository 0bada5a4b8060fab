import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { toInferenceError } from '../../../src/core/http/errors';
import { classifyUnmatched, detectServer } from '../../../src/core/servers/detect';
import { closedPort, replay } from './helpers';
import { listRecordings, ReplayServer } from './replayServer';
import { startSelfSignedServer } from './tlsServer';

/** What each recording must be detected as (null = not an inference server). */
const expected: Record<string, string | null> = {
  gateway: null,
  kserve: 'kserve',
  nginx: null,
  oip: 'oip',
  ollama: 'ollama',
  openai: 'openai',
  rayserve: 'rayserve',
  tei: 'tei',
  tfserving: 'tfserving',
  tgi: 'tgi',
  torchserve: 'torchserve',
  triton: 'triton',
  vllm: 'vllm',
};

for (const { server, name } of listRecordings()) {
  test(`detects ${server}/${name} as ${expected[server] ?? 'no inference server'}`, async () => {
    assert.ok(server in expected, `an expectation for ${server}`);
    const r = await replay(server, name);
    const d = await detectServer(r.url(), { timeoutMs: 2000 });
    assert.equal(d.kind, expected[server], `${d.evidence}\n${JSON.stringify(d.seen, null, 1)}`);
    assert.equal(d.outcome, expected[server] ? 'recognized' : server === 'gateway' ? 'auth-failed' : 'unrecognized');
    assert.ok(d.evidence.length > 10);
  });
}

test('priority follows wire-reference §0.1: Ollama and TGI also serve an OpenAI list but are named by their own evidence', async () => {
  const o = await detectServer((await replay('ollama', 'ready')).url());
  assert.match(o.evidence, /Ollama is running/);
  assert.equal(o.version, '0.12.6');
  const t = await detectServer((await replay('tgi', 'ready')).url());
  assert.match(t.evidence, /text-generation-router/);
});

test('an OpenAI-style base URL ending in /v1 is probed at the server root', async () => {
  const r = await replay('vllm', 'ready');
  const d = await detectServer(`${r.url()}/v1/`);
  assert.equal(d.kind, 'vllm');
  assert.equal(d.baseUrl, r.url());
});

test('the API key goes out as a bearer header on every probe', async () => {
  const r = await replay('gateway', 'bearer-401');
  await detectServer(r.url(), { apiKey: 'secret-xyz' });
  assert.ok(r.requests.length >= 8);
  assert.ok(r.requests.every((q) => q.headers.authorization === 'Bearer secret-xyz'));
});

test('an nginx default page is "reachable but not a recognized inference server", saying what was seen', async () => {
  const d = await detectServer((await replay('nginx', 'default-page')).url());
  assert.equal(d.kind, null);
  assert.match(d.evidence, /^Reachable but not a recognized inference server \(it answers with HTML pages/);
  assert.match(d.seen['GET /'], /^200 text\/html <!DOCTYPE html>/);
  assert.match(d.seen['GET /v2'], /^404 text\/html/);
});

test('401 everywhere is "authentication required", distinct from unrecognized', async () => {
  const d = await detectServer((await replay('gateway', 'bearer-401')).url());
  assert.equal(d.outcome, 'auth-failed');
  assert.match(d.evidence, /Authentication failed \(HTTP 401\).*set or check the API key/);
});

test('a refused port is unreachable with the connection-refused message', async () => {
  const port = await closedPort();
  const d = await detectServer(`http://127.0.0.1:${port}`);
  assert.equal(d.outcome, 'unreachable');
  assert.equal(d.error?.kind, 'connection-refused');
  assert.equal(
    d.evidence,
    `Connection refused (http://127.0.0.1:${port}/): is the server running and listening on that port?`,
  );
});

test('invalid URLs are reported as such, without any request', async () => {
  for (const bad of ['not a url', 'ftp://127.0.0.1:21', '']) {
    const d = await detectServer(bad);
    assert.equal(d.outcome, 'unreachable');
    assert.equal(d.error?.kind, 'invalid-url');
    assert.match(d.evidence, /Not a valid URL|Unsupported scheme/);
  }
});

test('a server that accepts but never answers times out within the probe limit', async () => {
  const silent = http.createServer(() => undefined);
  await new Promise<void>((f) => silent.listen(0, '127.0.0.1', f));
  try {
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const d = await detectServer(url, { timeoutMs: 300 });
    assert.equal(d.outcome, 'unreachable');
    assert.equal(d.error?.kind, 'timeout');
    assert.match(d.evidence, /^Timed out waiting for the server/);
  } finally {
    silent.closeAllConnections();
    await new Promise<void>((f) => silent.close(() => f()));
  }
});

test('a self-signed certificate is a TLS error unless the server opts in', async (t) => {
  const tls = await startSelfSignedServer();
  if (!tls) return t.skip('openssl CLI not available to make a certificate');
  try {
    const refused = await detectServer(tls.url);
    assert.equal(refused.outcome, 'unreachable');
    assert.equal(refused.error?.kind, 'tls');
    assert.match(refused.evidence, /TLS error .*enable "allow self-signed"/);
    const accepted = await detectServer(tls.url, { allowSelfSigned: true });
    assert.equal(accepted.kind, 'vllm');
  } finally {
    await tls.close();
  }
});

test('a DNS failure is reported as "host not found" (classification of a resolver error)', () => {
  // No lookup is made here: this machine's resolver is not a target for test traffic.
  const error = toInferenceError(
    Object.assign(new Error('getaddrinfo ENOTFOUND inference.example'), { code: 'ENOTFOUND' }),
    'http://inference.example:8000/v2',
  );
  const d = classifyUnmatched([{ reached: false, error }], {}, 'http://inference.example:8000');
  assert.equal(d.outcome, 'unreachable');
  assert.equal(d.error?.kind, 'dns');
  assert.equal(d.evidence, 'Host not found (http://inference.example:8000/)');
});

test('configured TF Serving names give a second fingerprint through the model status', async () => {
  // A proxy in front of TF Serving that only forwards model paths: no 400 on /v1/models.
  const r = await ReplayServer.start({
    server: 'tfserving',
    defaultPort: 8501,
    description: 'model status only',
    exchanges: [
      {
        request: { method: 'GET', path: '/v1/models/half' },
        response: { status: 200, json: { model_version_status: [{ version: '1', state: 'AVAILABLE' }] } },
      },
    ],
  });
  try {
    assert.equal((await detectServer(r.url())).kind, null);
    const d = await detectServer(r.url(), { models: ['half'] });
    assert.equal(d.kind, 'tfserving');
    assert.equal(d.evidence, 'GET /v1/models/half → model_version_status');
  } finally {
    await r.close();
  }
});

test('cancellation by the caller rejects as cancelled', async () => {
  const r = await replay('triton', 'ready');
  const ctrl = new AbortController();
  ctrl.abort();
  await assert.rejects(detectServer(r.url(), { signal: ctrl.signal }), /Cancelled/);
});
