// WebSocket transport against the embedded vLLM personality's /v1/stream endpoint.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { WsWire } from '../../../../src/core/request/build/wire';
import { runWebSocket } from '../../../../src/core/request/transport/wsTransport';
import { startEmbedded } from '../helpers';

describe('runWebSocket against the embedded vLLM', () => {
  let open: Awaited<ReturnType<typeof startEmbedded>>;
  let keyed: Awaited<ReturnType<typeof startEmbedded>>;
  before(async () => {
    [open, keyed] = await Promise.all([
      startEmbedded(['vllm']),
      startEmbedded(['vllm'], { personalities: { vllm: { apiKey: 'k-1' } } }),
    ]);
  });
  after(() => Promise.all([open.stop(), keyed.stop()]));

  const wire = (base: string, messages: string[], headers: Record<string, string> = {}): WsWire => ({
    transport: 'websocket',
    template: 'websocket',
    url: `${base.replace('http', 'ws')}/v1/stream`,
    headers,
    messages,
  });
  const ask = (id: string, max = 6) =>
    JSON.stringify({ id, model: 'tiny-llm', prompt: 'Say something', max_tokens: max });

  it('streams token messages with metrics and ends when every request is done', async () => {
    const deltas: string[] = [];
    const r = await runWebSocket(wire(open.endpoints.vllm, [ask('a'), ask('b', 3)]), {
      onEvent: (e) => e.type === 'delta' && deltas.push(e.text),
    });
    assert.equal(r.ok, true, r.error?.message);
    assert.equal(r.status, 101);
    assert.equal(r.stream?.tokenCount, deltas.length);
    assert.equal(r.stream?.tokenCount, 9);
    const msgs = r.views.find((v) => v.type === 'messages');
    assert.ok(msgs && msgs.type === 'messages');
    assert.equal(msgs.items.filter((m) => m.direction === 'sent').length, 2);
    assert.ok(msgs.items.some((m) => m.data.includes('"type":"done"')));
  });

  it('an error message from the server is an in-stream error', async () => {
    const r = await runWebSocket(wire(open.endpoints.vllm, ['{"model":"no-such-model","prompt":"x"}']));
    assert.equal(r.error?.kind, 'in-stream');
    assert.match(r.error?.message ?? '', /no-such-model/);
  });

  it('the upgrade refused for a missing key is an auth error; with the key it works', async () => {
    const refused = await runWebSocket(wire(keyed.endpoints.vllm, [ask('a')], { authorization: 'Bearer ${apiKey}' }), {
      apiKey: 'wrong',
    });
    assert.equal(refused.error?.kind, 'auth');
    assert.equal(refused.status, 401);
    const ok = await runWebSocket(wire(keyed.endpoints.vllm, [ask('a', 2)], { authorization: 'Bearer ${apiKey}' }), {
      apiKey: 'k-1',
    });
    assert.equal(ok.ok, true, ok.error?.message);
  });

  it('cancel closes the socket at once and keeps the tokens so far', async () => {
    const ctrl = new AbortController();
    const r = await runWebSocket(wire(open.endpoints.vllm, [ask('long', 500)]), {
      signal: ctrl.signal,
      onEvent: (e) => e.type === 'delta' && ctrl.abort(),
    });
    assert.equal(r.cancelled, true);
    assert.match(r.error?.message ?? '', /Cancelled after 1 token$/);
  });

  it('nothing listening is a connection error', async () => {
    const r = await runWebSocket({ ...wire('http://127.0.0.1:1', [ask('a')]) });
    assert.equal(r.error?.kind, 'connection-refused');
  });
});
