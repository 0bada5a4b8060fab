import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ndjsonLines, sseEvents } from '../../../src/core/http/streams';

async function* chunked(text: string, sizes: number[]): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let i = 0;
  let k = 0;
  while (i < bytes.length) {
    const n = sizes[k++ % sizes.length];
    yield bytes.slice(i, i + n);
    i += n;
  }
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('sseEvents', () => {
  it('parses vLLM framing (data: with a space) split at arbitrary byte boundaries, with [DONE]', async () => {
    const body = 'data: {"a":1}\n\n: keep-alive\n\ndata: {"a":2}\n\ndata: [DONE]\n\n';
    for (const sizes of [[1], [3, 7], [1000]]) {
      const ev = await collect(sseEvents(chunked(body, sizes)));
      assert.deepEqual(
        ev.map((e) => e.data),
        ['{"a":1}', '{"a":2}', '[DONE]'],
      );
    }
  });

  it('parses TGI framing (data: without a space) and CRLF line ends', async () => {
    const body = 'data:{"token":{"text":"Hi"}}\r\n\r\ndata:{"generated_text":"Hi"}\r\n\r\n';
    const ev = await collect(sseEvents(chunked(body, [5])));
    assert.deepEqual(
      ev.map((e) => JSON.parse(e.data)),
      [{ token: { text: 'Hi' } }, { generated_text: 'Hi' }],
    );
  });

  it('keeps event names and multi-line data, and flushes a final event cut before its blank line', async () => {
    const body = 'event: error\ndata: line1\ndata: line2\n\ndata: tail';
    const ev = await collect(sseEvents(chunked(body, [4])));
    assert.equal(ev[0].event, 'error');
    assert.equal(ev[0].data, 'line1\nline2');
    assert.equal(ev[1].data, 'tail');
  });

  it('decodes multi-byte UTF-8 split across chunks', async () => {
    const ev = await collect(sseEvents(chunked('data: héllo ✓\n\n', [1])));
    assert.equal(ev[0].data, 'héllo ✓');
  });
});

describe('ndjsonLines', () => {
  it('yields complete lines across partial reads and several lines per read', async () => {
    const body = '{"response":"a","done":false}\n{"response":"b","done":false}\n\n{"done":true}';
    for (const sizes of [[1], [7, 50], [4096]]) {
      const lines = await collect(ndjsonLines(chunked(body, sizes)));
      assert.deepEqual(
        lines.map((l) => JSON.parse(l)),
        [{ response: 'a', done: false }, { response: 'b', done: false }, { done: true }],
      );
    }
  });
});
