/**
 * TickWriter (streaming bodies of the embedded server): chunks due in the
 * same event-loop callback leave in one socket write, and a chunk due alone
 * leaves at once, before the next timer. node:http already joins the writes
 * of one tick into one writev, but of four buffers per chunk (size line,
 * CRLF, data, CRLF) built for each chunk: the cost TickWriter removes.
 * Counted on a real node:http server and socket: each `_write`/`_writev`
 * call of the response's socket is one write system call; `buffers` counts
 * what each one carries.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { describe, it } from 'node:test';
import { TickWriter } from '../../../src/core/embedded/http/respond';

/** Serves one streamed answer written by `body`; resolves with the body and the socket writes after the head. */
async function serve(
  body: (out: TickWriter, res: http.ServerResponse) => void,
): Promise<{ text: string; writes: number; buffers: number; arrivals: number[] }> {
  let writes = 0;
  let buffers = 0;
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.flushHeaders();
    const socket = res.socket as Socket & { _write: (...a: unknown[]) => void; _writev: (...a: unknown[]) => void };
    const w = socket._write.bind(socket);
    const wv = socket._writev.bind(socket);
    socket._write = (...a) => (writes++, buffers++, w(...a));
    socket._writev = (...a) => (writes++, (buffers += (a[0] as unknown[]).length), wv(...a));
    body(new TickWriter(res), res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as AddressInfo).port;
    return await new Promise((resolve, reject) => {
      http
        .get({ port, host: '127.0.0.1', agent: false }, (res) => {
          let text = '';
          const t0 = performance.now();
          const arrivals: number[] = [];
          res.on('data', (c: Buffer) => {
            text += c.toString();
            arrivals.push(performance.now() - t0);
          });
          res.on('end', () => resolve({ text, writes, buffers, arrivals }));
        })
        .on('error', reject);
    });
  } finally {
    server.close();
  }
}

describe('TickWriter: one write per event-loop callback', () => {
  it('joins the chunks of one callback, delivered in microtasks, into one write; the end follows in its own', async () => {
    const r = await serve((out) => {
      void (async () => {
        // An async iteration like a generation's: every chunk is written in its own microtask.
        for (let i = 0; i < 16; i++) {
          await Promise.resolve();
          out.write(`data: ${i}\n\n`);
        }
        out.end('data: [DONE]\n\n');
      })();
    });
    assert.equal(r.text, `${Array.from({ length: 16 }, (_, i) => `data: ${i}\n\n`).join('')}data: [DONE]\n\n`);
    // The 16 chunks in one write; [DONE] and the terminating chunk in a second (perf_analyzer needs [DONE] apart).
    assert.equal(r.writes, 2);
    // Size line, CRLF, data, CRLF per write, and the terminating chunk (69 when each event is its own chunk).
    assert.equal(r.buffers, 9, `one chunk of chunked encoding per write, not one per event: ${r.buffers} buffers`);
  });

  it('sends a chunk due alone at once, not with the next one', async () => {
    const r = await serve((out) => {
      setTimeout(() => out.write('data: 0\n\n'), 5);
      setTimeout(() => out.write('data: 1\n\n'), 100);
      setTimeout(() => out.end('data: [DONE]\n\n'), 160);
    });
    assert.equal(r.text, 'data: 0\n\ndata: 1\n\ndata: [DONE]\n\n');
    assert.equal(r.writes, 3);
    assert.equal(r.arrivals.length, 3, `three reads, got ${JSON.stringify(r.arrivals)}`);
    // 95 ms between the first two writes: the first did not wait for the second (timers may fire late under load).
    assert.ok(r.arrivals[1] - r.arrivals[0] >= 20, `gap ${r.arrivals[1] - r.arrivals[0]} ms`);
  });

  it('flush() writes what is pending before a cut; nothing is written after the end', async () => {
    const r = await serve((out, res) => {
      out.write('data: a\n\n');
      out.flush();
      out.write('data: b\n\n');
      res.end();
    });
    assert.equal(r.text, 'data: a\n\n', 'the chunk pending at the end is dropped, not written to an ended response');
  });
});
