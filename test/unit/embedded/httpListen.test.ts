/** The embedded server's node:http layer: answers deferred to the end of the loop turn are never dropped. */
import assert from 'node:assert/strict';
import http from 'node:http';
import { describe, it } from 'node:test';
import { listenHttp, type HttpListener } from '../../../src/core/embedded/http/listen';
import { send } from '../../../src/core/embedded/http/respond';

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

describe('embedded http layer', () => {
  it('a server closed in the same turn as an answer still sends that answer', async () => {
    let closed: Promise<void> | undefined;
    const listener: HttpListener = await listenHttp(
      (_req, res) => {
        send(res, 200, 'answered', { 'content-type': 'text/plain' });
        closed = listener.close();
      },
      '127.0.0.1',
      0,
    );
    const r = await get(`${listener.url}/`);
    assert.deepEqual(r, { status: 200, body: 'answered' });
    await closed;
  });

  it('answers written in one turn reach each of their connections', async () => {
    let n = 0;
    const l = await listenHttp(
      (req, res) => send(res, 200, `${req.url}:${++n}`, { 'content-type': 'text/plain' }),
      '127.0.0.1',
      0,
    );
    try {
      const all = await Promise.all(Array.from({ length: 20 }, (_, i) => get(`${l.url}/r${i}`)));
      all.forEach((r, i) => assert.match(r.body, new RegExp(`^/r${i}:\\d+$`)));
    } finally {
      await l.close();
    }
  });
});
