import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ContainerError } from '../../../../src/core/docker/errors';
import { waitForHealth } from '../../../../src/core/docker/launch/healthWait';
import { CancelledError } from '../../../../src/core/util/abort';

let server: http.Server;
let base: string;
let hits = 0;
before(async () => {
  server = http.createServer((req, res) => {
    hits++;
    if (req.url === '/ready-after-3') {
      res.statusCode = hits >= 3 ? 200 : 503;
      return res.end();
    }
    if (req.url === '/banner') return res.end(hits >= 2 ? 'Ollama is running' : 'starting');
    res.statusCode = 503;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

describe('health wait', () => {
  it('polls until the expected status', async () => {
    hits = 0;
    const seen: string[] = [];
    const r = await waitForHealth({
      url: `${base}/ready-after-3`,
      expectStatus: 200,
      timeoutMs: 10_000,
      intervalMs: 10,
      onAttempt: (o) => seen.push(o),
    });
    assert.equal(r.attempts, 3);
    assert.deepEqual(seen, ['HTTP 503', 'HTTP 503', 'HTTP 200']);
  });

  it('also requires the body text when asked', async () => {
    hits = 0;
    const r = await waitForHealth({
      url: `${base}/banner`,
      expectStatus: 200,
      bodyIncludes: 'Ollama is running',
      timeoutMs: 10_000,
      intervalMs: 10,
    });
    assert.equal(r.attempts, 2);
  });

  it('treats a refused connection as not yet, then times out naming the last answer', async () => {
    const err = await waitForHealth({
      url: 'http://127.0.0.1:1/health',
      expectStatus: 200,
      timeoutMs: 400,
      intervalMs: 50,
    }).catch((e: unknown) => e);
    assert.ok(ContainerError.is(err, 'health-timeout'));
    assert.match(
      err.message,
      /did not become ready within 0 s: http:\/\/127\.0\.0\.1:1\/health last answered Connection refused/,
    );
  });

  it('stops at once when the check throws', async () => {
    let n = 0;
    const err = await waitForHealth({
      url: `${base}/never`,
      expectStatus: 200,
      timeoutMs: 10_000,
      intervalMs: 10,
      check: async () => {
        if (++n === 2) throw new ContainerError('exited-during-start', 'gone');
      },
    }).catch((e: unknown) => e);
    assert.ok(ContainerError.is(err, 'exited-during-start'));
  });

  it('stops when cancelled', async () => {
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 50);
    await assert.rejects(
      waitForHealth({
        url: `${base}/never`,
        expectStatus: 200,
        timeoutMs: 10_000,
        intervalMs: 10,
        signal: ctrl.signal,
      }),
      (e: unknown) => CancelledError.is(e),
    );
  });
});
