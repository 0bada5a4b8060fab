/**
 * HttpTarget hands requests to its own connections (one undici Client each):
 * more requests than connections wait in sending order and never open more
 * sockets; a request cancelled while waiting finishes at once and is never
 * sent; a closed loop keeps each worker on one connection.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { newRecord } from '../../../src/core/bench/engine/callTarget';
import { runClosedLoop } from '../../../src/core/bench/engine/closedLoop';
import { HttpTarget } from '../../../src/core/bench/engine/httpTarget';
import { InFlight } from '../../../src/core/bench/engine/inFlight';
import { embeddingsApis } from '../../../src/core/bench/protocols/embeddingsApis';
import type { RawRecord } from '../../../src/core/bench/record';
import { CancelledError } from '../../../src/core/util/abort';

const protocol = embeddingsApis.tei;
const request = protocol.request({ inputs: ['a b c'] }, { model: 'm', ignoreEos: false });

/** A TEI-shaped server answering after `delayMs`, counting TCP connections and requests. */
async function server(delayMs: number) {
  const s = { connections: 0, requests: 0, url: '', close: () => Promise.resolve() };
  const srv = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      s.requests++;
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('[[0.1]]'), delayMs);
    });
  });
  srv.on('connection', () => s.connections++);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  s.url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  s.close = () =>
    new Promise<void>((r) => {
      srv.closeAllConnections();
      srv.close(() => r());
    });
  return s;
}

function target(url: string, connections: number): HttpTarget {
  return new HttpTarget({
    origin: url,
    basePath: '',
    connections,
    protocol,
    plan: () => ({ request, n: 1 }),
    headers: [],
    countOutput: false,
  });
}

describe('HttpTarget connections', () => {
  it('runs 6 requests on 2 connections in sending order; one cancelled while waiting is never sent', async () => {
    const srv = await server(30);
    const t = target(srv.url, 2);
    const order: number[] = [];
    const recs: RawRecord[] = [];
    const done: Array<Promise<void>> = [];
    const calls = Array.from({ length: 6 }, (_, i) => {
      const rec = newRecord(i, 0, performance.now(), false);
      recs.push(rec);
      let finish!: () => void;
      done.push(new Promise<void>((r) => (finish = r)));
      return t.start(i, rec, () => {
        order.push(i);
        finish();
      });
    });
    // 0 and 1 run; 2..5 wait for a connection. Cancel 4 while it waits.
    calls[4].abort(new CancelledError('test'));
    await Promise.all(done);
    await t.close();
    await srv.close();
    assert.deepEqual(
      recs.map((r) => r.st),
      [200, 200, 200, 200, 0, 200],
    );
    assert.equal(recs[4].ek, 'cancelled');
    assert.equal(recs[4].x, 1);
    assert.equal(order[0], 4, 'the cancelled request finished at once');
    assert.deepEqual(order.slice(1, 3).sort(), [0, 1]);
    assert.deepEqual(order.slice(3, 5).sort(), [2, 3]);
    assert.equal(order[5], 5);
    assert.equal(srv.requests, 5, 'the cancelled request was never sent');
    assert.equal(srv.connections, 2);
  });

  it('a closed loop of 3 workers sends 30 requests on 3 connections', async () => {
    const srv = await server(0);
    const t = target(srv.url, 3);
    let i = 0;
    const recs: RawRecord[] = [];
    const flight = new InFlight({
      target: t,
      step: 0,
      timeoutMs: 10_000,
      nextIndex: () => i++,
      complete: (r) => recs.push(r),
    });
    const out = await runClosedLoop(flight, { concurrency: 3, requests: 30, warm: false });
    flight.dispose();
    await t.close();
    await srv.close();
    assert.equal(out.sent, 30);
    assert.equal(srv.requests, 30);
    assert.equal(srv.connections, 3);
    assert.ok(recs.every((r) => r.st === 200 && r.ek === undefined && r.e > 0));
    assert.deepEqual(
      recs.map((r) => r.i).sort((a, b) => a - b),
      Array.from({ length: 30 }, (_, k) => k),
    );
  });
});
