// The HTTP transport against peers that misbehave on purpose (truncated JSON,
// broken SSE frames, wrong content types, a 10 MB body, in-stream errors with
// HTTP 200, a dying server, cancel mid-stream) and against the embedded server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTextRequest } from '../../../../src/core/request/build/buildGenerative';
import type { RequestEvent } from '../../../../src/core/request/transport/execOptions';
import { runHttp } from '../../../../src/core/request/transport/httpTransport';
import { defaultDraft } from '../../../../src/core/request/build/templates';
import type { HttpWire } from '../../../../src/core/request/build/wire';
import { scriptedServer, startEmbedded, target, writeSlowly, type Scripted } from '../helpers';

const sse = (objs: unknown[], done = true) =>
  objs.map((o) => `data: ${JSON.stringify(o)}\n\n`).concat(done ? ['data: [DONE]\n\n'] : []);
const chunk = (content: string) => ({
  object: 'chat.completion.chunk',
  choices: [{ index: 0, delta: { content }, finish_reason: null }],
});

describe('runHttp against a misbehaving peer', () => {
  let peer: Scripted;
  before(async () => {
    peer = await scriptedServer((req, res) => {
      const path = req.url ?? '';
      if (path === '/truncated')
        return res.writeHead(200, { 'content-type': 'application/json' }).end('{"outputs":[{"name":"o","data":[1,2');
      if (path === '/html') return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>gateway</html>');
      if (path === '/big') {
        res.writeHead(200, { 'content-type': 'application/json' });
        const block = Buffer.alloc(1024 * 1024, 0x20);
        for (let i = 0; i < 10; i++) res.write(block);
        return res.end();
      }
      if (path === '/broken-sse') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        return void writeSlowly(res, [
          ...sse([chunk('A'), chunk('B')], false),
          'data: {"choices":[{"delta":{"content":"C"\n\n',
          'data: [DONE]\n\n',
        ]).then(() => res.end());
      }
      if (path === '/error-in-stream') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        return void writeSlowly(res, [
          ...sse([chunk('A')], false),
          'data: {"error":{"message":"engine died","code":500}}\n\n',
          'data: [DONE]\n\n',
        ]).then(() => res.end());
      }
      if (path === '/no-done') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        return void writeSlowly(res, sse([chunk('A'), chunk('B')], false)).then(() => res.end());
      }
      if (path === '/dies') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        return void writeSlowly(res, sse([chunk('A'), chunk('B')], false)).then(() => res.socket?.destroy());
      }
      if (path === '/endless') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const t = setInterval(() => res.write(`data: ${JSON.stringify(chunk('x'))}\n\n`), 5);
        res.on('close', () => clearInterval(t));
        return;
      }
      if (path === '/slow-headers') return void setTimeout(() => res.writeHead(200).end('{}'), 2000);
      if (path === '/json-for-stream')
        return res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"choices":[{"index":0,"message":{"content":"whole"},"finish_reason":"stop"}]}');
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not Found"}');
    });
  });
  after(() => peer.close());

  const wire = (
    path: string,
    expect: HttpWire['expect'] = 'json',
    template: HttpWire['template'] = 'raw',
  ): HttpWire => ({
    transport: 'http',
    template,
    method: 'POST',
    url: `${peer.url}${path}`,
    headers: {},
    body: '{}',
    expect,
  });

  it('truncated JSON: a clear "incomplete" error, raw text kept, timings measured', async () => {
    const r = await runHttp(wire('/truncated'));
    assert.equal(r.ok, false);
    assert.equal(r.status, 200);
    assert.match(r.error?.message ?? '', /incomplete \(truncated\)/);
    assert.equal(r.views[0].type, 'text');
    assert.ok(r.timing.connectMs !== undefined && r.timing.ttfbMs !== undefined && r.timing.totalMs >= r.timing.ttfbMs);
  });

  it('wrong content type: HTML where JSON was expected, and where a stream was expected', async () => {
    assert.match((await runHttp(wire('/html'))).error?.message ?? '', /not valid JSON \(Content-Type: text\/html\)/);
    assert.match((await runHttp(wire('/html', 'sse'))).error?.message ?? '', /Expected an event stream/);
  });

  it('a 10 MB body: counted in full, 4 MB kept, a clear error', async () => {
    const r = await runHttp(wire('/big'));
    assert.equal(r.sizeBytes, 10 * 1024 * 1024);
    assert.equal(r.error?.kind, 'too-large');
    assert.match(r.error?.message ?? '', /10\.0 MB, more than the 4\.0 MB/);
    assert.ok((r.timing.downloadMs ?? -1) >= 0);
  });

  it('a broken SSE frame stops the read with a clear error and keeps the text so far', async () => {
    const r = await runHttp(wire('/broken-sse', 'sse', 'openai-chat'));
    assert.equal(r.error?.kind, 'malformed');
    assert.match(r.error?.message ?? '', /Stream event 3 is not valid JSON/);
    assert.deepEqual(r.views[0], { type: 'generation', text: 'AB', finishReason: undefined });
    assert.equal(r.stream?.tokenCount, 2);
  });

  it('an error inside a 200 stream is reported as such', async () => {
    const r = await runHttp(wire('/error-in-stream', 'sse', 'openai-chat'));
    assert.equal(r.status, 200);
    assert.equal(r.error?.kind, 'in-stream');
    assert.match(r.error?.message ?? '', /HTTP status stays 200.*engine died/);
  });

  it('a stream without its end marker is incomplete; a server that dies mid-stream is a reset', async () => {
    assert.equal((await runHttp(wire('/no-done', 'sse', 'openai-chat'))).error?.kind, 'incomplete');
    const died = await runHttp(wire('/dies', 'sse', 'openai-chat'));
    assert.ok(died.error, 'an error is reported');
    assert.equal((died.views[0] as { text: string }).text, 'AB');
  });

  it('cancel stops an endless stream at once and keeps what arrived', async () => {
    const ctrl = new AbortController();
    let deltas = 0;
    const onEvent = (e: RequestEvent) => {
      if (e.type === 'delta' && ++deltas === 5) ctrl.abort();
    };
    const r = await runHttp(wire('/endless', 'sse', 'openai-chat'), { signal: ctrl.signal, onEvent });
    assert.equal(r.cancelled, true);
    assert.match(r.error?.message ?? '', /Cancelled after 5 tokens/);
    assert.equal((r.views[0] as { text: string }).text, 'xxxxx');
    assert.equal(r.stream?.tokenCount, 5);
  });

  it('a first-byte timeout is a timeout error, not a hang', async () => {
    const r = await runHttp(wire('/slow-headers'), { firstByteTimeoutMs: 200 });
    assert.equal(r.error?.kind, 'timeout');
  });

  it('a server that answers one JSON body to a stream request: shown, with a note', async () => {
    const r = await runHttp(wire('/json-for-stream', 'sse', 'openai-chat'));
    assert.equal(r.ok, true);
    assert.equal(r.views[0].type, 'generation');
    assert.match(r.notes?.join() ?? '', /stream was requested/);
  });

  it('a refused connection is a clear error without a status', async () => {
    const r = await runHttp({ ...wire('/x'), url: 'http://127.0.0.1:1/x' });
    assert.equal(r.error?.kind, 'connection-refused');
    assert.equal(r.status, undefined);
  });

  it('the API key goes only into the header at send time', async () => {
    await runHttp({ ...wire('/x'), headers: { authorization: 'Bearer ${apiKey}' } }, { apiKey: 'sk-123' });
    assert.equal(peer.seen.at(-1)?.headers.authorization, 'Bearer sk-123');
    const r = await runHttp({ ...wire('/x'), headers: { authorization: 'Bearer ${apiKey}' } });
    assert.match(r.error?.message ?? '', /no API key is stored/);
  });
});

describe('runHttp against the embedded server', () => {
  let emb: Awaited<ReturnType<typeof startEmbedded>>;
  before(async () => {
    emb = await startEmbedded(['vllm', 'tgi', 'ollama', 'tei']);
  });
  after(() => emb.stop());

  it('vLLM chat stream: text token by token, TTFT, ITL and tokens/s, and the server usage equal to our count', async () => {
    const t = target('vllm', emb.endpoints.vllm, 'tiny-llm');
    const deltas: string[] = [];
    const r = await runHttp(buildTextRequest(defaultDraft('openai-chat', t), t, false), {
      onEvent: (e) => e.type === 'delta' && deltas.push(e.text),
    });
    assert.equal(r.ok, true, r.error?.message);
    assert.ok(deltas.length > 1);
    const m = r.stream!;
    assert.equal(m.tokenCount, deltas.length);
    assert.equal(m.server?.completionTokens, m.tokenCount);
    assert.ok(m.ttftMs! >= r.timing.ttfbMs! - 1, 'the first token comes with or after the headers');
    assert.ok(m.tokensPerSecond! > 0 && m.itl!.meanMs > 0);
    assert.equal((r.views[0] as { text: string }).text, deltas.join(''));
  });

  it('vLLM chat without stream, and embeddings', async () => {
    const t = target('vllm', emb.endpoints.vllm, 'tiny-llm');
    const chat = await runHttp(
      buildTextRequest({ ...defaultDraft('openai-chat', t), params: { stream: false, maxTokens: 8 } }, t, false),
    );
    assert.equal(chat.views[0].type, 'generation');
    const e = target('vllm', emb.endpoints.vllm, 'mini-embed');
    const r = await runHttp(buildTextRequest(defaultDraft('openai-embeddings', e), e, false));
    assert.equal(r.ok, true, r.error?.message);
    const v = r.views[0] as { type: string; items: Array<{ dims: number }> };
    assert.equal(v.type, 'embeddings');
    assert.deepEqual(
      v.items.map((i) => i.dims),
      [384, 384],
    );
  });

  it('TGI generate_stream (data: without a space), ended by the generated_text event', async () => {
    const t = target('tgi', emb.endpoints.tgi);
    const r = await runHttp(buildTextRequest(defaultDraft('tgi-generate-stream', t), t, false));
    assert.equal(r.ok, true, r.error?.message);
    assert.ok(r.stream!.tokenCount > 0);
    assert.equal(r.stream?.server?.completionTokens, r.stream?.tokenCount);
  });

  it('TGI generate_stream validation error arrives as an event with HTTP 200', async () => {
    const t = target('tgi', emb.endpoints.tgi);
    const r = await runHttp(buildTextRequest({ ...defaultDraft('tgi-generate-stream', t), prompt: '' }, t, false));
    assert.equal(r.status, 200);
    assert.equal(r.error?.kind, 'in-stream');
  });

  it('Ollama chat over NDJSON with the server-reported tokens/s', async () => {
    const t = target('ollama', emb.endpoints.ollama, 'tiny-llm');
    const r = await runHttp(buildTextRequest(defaultDraft('ollama-chat', t), t, false));
    assert.equal(r.ok, true, r.error?.message);
    assert.ok(r.stream!.tokenCount > 0);
    assert.equal(r.stream?.server?.completionTokens, r.stream?.tokenCount);
    assert.ok((r.stream?.server?.tokensPerSecond ?? 0) > 0);
  });

  it('TEI embed answers a bare array', async () => {
    const t = target('tei', emb.endpoints.tei);
    const r = await runHttp(buildTextRequest(defaultDraft('tei-embed', t), t, false));
    assert.equal(r.ok, true, r.error?.message);
    assert.equal(r.views[0].type, 'embeddings');
  });
});
