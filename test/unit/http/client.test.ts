import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { closeHttpPools, httpRequest, httpStream } from '../../../src/core/http/client';
import { InferenceError } from '../../../src/core/http/errors';

let server: http.Server;
let base = '';

before(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/json') return res.end('{"ok":true}');
    if (req.url === '/html') return res.end('<html>nginx</html>');
    if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2000);
    if (req.url === '/404') {
      res.statusCode = 404;
      return res.end('{"error":"no such model"}');
    }
    if (req.url === '/big') return res.end(Buffer.alloc(2048, 97));
    if (req.url === '/stream') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let n = 0;
      const t = setInterval(() => {
        res.write(`data: ${n++}\n\n`);
        if (n === 3) {
          clearInterval(t);
          res.end();
        }
      }, 5);
      return;
    }
    res.statusCode = 500;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await closeHttpPools();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('httpRequest', () => {
  it('returns status, headers and JSON', async () => {
    const r = await httpRequest(`${base}/json`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json(), { ok: true });
  });

  it('throws an http error with the server message for non-2xx answers', async () => {
    await assert.rejects(
      httpRequest(`${base}/404`),
      (e: unknown) => e instanceof InferenceError && e.status === 404 && e.serverMessage === 'no such model',
    );
  });

  it('says clearly when JSON was expected and something else came', async () => {
    const r = await httpRequest(`${base}/html`);
    assert.throws(() => r.json(), /Expected JSON .* <html>nginx/);
  });

  it('times out, is cancellable, and refuses oversized bodies', async () => {
    await assert.rejects(
      httpRequest(`${base}/slow`, { timeoutMs: 100 }),
      (e: unknown) => e instanceof InferenceError && e.kind === 'timeout',
    );
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 50);
    await assert.rejects(
      httpRequest(`${base}/slow`, { signal: ctrl.signal }),
      (e: unknown) => e instanceof InferenceError && e.kind === 'cancelled',
    );
    await assert.rejects(httpRequest(`${base}/big`, { maxBodyBytes: 1000 }), /larger than 1000 bytes/);
  });

  it('reports a refused connection', async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    await assert.rejects(
      httpRequest(`http://127.0.0.1:${port}/`),
      (e: unknown) => e instanceof InferenceError && e.kind === 'connection-refused',
    );
  });
});

describe('httpStream', () => {
  it('delivers chunks as they arrive', async () => {
    const s = await httpStream(`${base}/stream`, { method: 'GET' });
    let text = '';
    for await (const c of s.chunks) text += c.toString();
    assert.equal(text, 'data: 0\n\ndata: 1\n\ndata: 2\n\n');
  });

  it('throws the server error before streaming on non-2xx', async () => {
    await assert.rejects(httpStream(`${base}/404`, { method: 'GET' }), /no such model/);
  });
});
