/** The WebSocket streaming endpoint of the vLLM personality (`/v1/stream`). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { countTokens } from '../../../src/core/text/tokenizer';
import type { EmbeddedServer } from '../../../src/core/embedded/server';
import { textServer } from './helpers';

type Msg = { type: string; id: string | number | null; [k: string]: unknown };

/** Opens a socket; `next(pred)` resolves with every message so far once one matches `pred`. */
function connect(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ ws: WebSocket; next(pred: (m: Msg) => boolean): Promise<Msg[]> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const seen: Msg[] = [];
    const waiters: Array<{ pred: (m: Msg) => boolean; resolve: (all: Msg[]) => void }> = [];
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as Msg;
      seen.push(m);
      for (const w of [...waiters]) {
        if (!w.pred(m)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve([...seen]);
      }
    });
    // ws may emit several messages in one tick: a message seen before the waiter was added still counts.
    const next = (pred: (m: Msg) => boolean) =>
      new Promise<Msg[]>((r) => (seen.some(pred) ? r([...seen]) : waiters.push({ pred, resolve: r })));
    ws.on('open', () => resolve({ ws, next }));
    ws.on('error', reject);
  });
}

describe('vLLM WebSocket streaming', () => {
  let server: EmbeddedServer;
  let base: string;
  before(async () => {
    server = textServer(['vllm'], { personalities: { vllm: { apiKey: 'k' } } });
    base = (await server.start()).vllm.replace('http', 'ws');
  });
  after(() => server.stop());

  it('streams one message per token and a done message with usage, for several requests on one connection', async () => {
    const c = await connect(`${base}/v1/stream`, { authorization: 'Bearer k' });
    c.ws.send(JSON.stringify({ id: 'a', model: 'tiny-llm', prompt: 'Hello', max_tokens: 5 }));
    c.ws.send(JSON.stringify({ id: 'b', messages: [{ role: 'user', content: 'hi' }], max_tokens: 3 }));
    await c.next((m) => m.type === 'done' && m.id === 'b');
    const all = await c.next((m) => m.type === 'done' && m.id === 'a');
    for (const [id, n] of [
      ['a', 5],
      ['b', 3],
    ] as const) {
      const tokens = all.filter((m) => m.type === 'token' && m.id === id);
      assert.equal(tokens.length, n);
      assert.deepEqual(
        tokens.map((t) => t.token_index),
        [...Array(n).keys()],
      );
      const done = all.find((m) => m.type === 'done' && m.id === id) as Msg & {
        choices: Array<{ text: string; finish_reason: string }>;
        usage: Record<string, number>;
        timings: Record<string, number>;
      };
      assert.equal(done.choices[0].text, tokens.map((t) => t.text).join(''));
      assert.equal(done.usage.completion_tokens, n);
      assert.equal(countTokens(done.choices[0].text), n);
      assert.ok(done.timings.ttft_ms >= 0 && done.timings.total_ms >= done.timings.ttft_ms);
    }
    c.ws.close();
  });

  it('answers errors as JSON error messages and keeps the connection', async () => {
    const c = await connect(`${base}/v1/stream`, { authorization: 'Bearer k' });
    c.ws.send('not json');
    c.ws.send(JSON.stringify({ id: 7, model: 'nope', prompt: 'x' }));
    const all = await c.next((m) => m.type === 'error' && m.id === 7);
    const unreadable = all.find((m) => m.type === 'error' && m.id === null) as Msg & {
      error: { code: number; type: string };
    };
    assert.equal(unreadable.error.code, 400);
    const nf = all.find((m) => m.id === 7) as Msg & { error: { code: number; message: string } };
    assert.deepEqual([nf.error.code, nf.error.message], [404, 'The model `nope` does not exist.']);
    c.ws.send(JSON.stringify({ id: 8, prompt: 'x', max_tokens: 1 }));
    assert.ok((await c.next((m) => m.type === 'done' && m.id === 8)).length > 0);
    c.ws.close();
  });

  it('cancels a request on {"type":"cancel"}', async () => {
    const c = await connect(`${base}/v1/stream`, { authorization: 'Bearer k' });
    c.ws.send(JSON.stringify({ id: 'long', prompt: 'x', max_tokens: 2000 }));
    await c.next((m) => m.type === 'token' && m.id === 'long');
    c.ws.send(JSON.stringify({ type: 'cancel', id: 'long' }));
    c.ws.send(JSON.stringify({ id: 'after', prompt: 'x', max_tokens: 1 }));
    const all = await c.next((m) => m.type === 'done' && m.id === 'after');
    assert.ok(!all.some((m) => m.type === 'done' && m.id === 'long'));
    c.ws.close();
  });

  it('refuses the upgrade without the API key, and on other paths', async () => {
    await assert.rejects(connect(`${base}/v1/stream`), /401/);
    await assert.rejects(connect(`${base}/v1/other`, { authorization: 'Bearer k' }), /404/);
  });
});
