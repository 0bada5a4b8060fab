/** The vLLM personality on the wire: every path, error shapes and SSE framing byte for byte. */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { TextModel } from '../../../src/core/embedded/models/textModel';
import type { EmbeddedServer } from '../../../src/core/embedded/server';
import { FAST_TEXT, json, raw, sseData, textServer } from './helpers';

const model = new TextModel('tiny-llm', 42, 0, { ...FAST_TEXT, batchSlowdown: 0, maxBatch: 8, kvCacheTokens: 1000 });

describe('vLLM personality, raw HTTP', () => {
  let server: EmbeddedServer;
  let url: string;
  before(async () => {
    server = textServer(['vllm']);
    url = (await server.start()).vllm;
  });
  after(() => server.stop());

  it('GET /health is 200 with an empty body and no content-type; /version and /load answer JSON', async () => {
    const h = await raw(url, '/health');
    assert.equal(h.status, 200);
    assert.equal(h.body, '');
    assert.equal(h.headers['content-type'], undefined);
    assert.equal(h.headers.server, 'uvicorn');
    assert.ok(
      h.rawHeaderNames.includes('date') && h.rawHeaderNames.includes('server'),
      'uvicorn sends lower-case names',
    );
    assert.deepEqual(json(await raw(url, '/version')), { version: '0.32.0' });
    assert.deepEqual(json(await raw(url, '/load')), { server_load: 0 });
  });

  it('GET /v1/models has the vLLM item shape', async () => {
    const r = json<{ object: string; data: Array<Record<string, unknown>> }>(await raw(url, '/v1/models'));
    assert.equal(r.object, 'list');
    assert.deepEqual(Object.keys(r.data[0]), [
      'id',
      'object',
      'created',
      'owned_by',
      'root',
      'parent',
      'max_model_len',
      'permission',
    ]);
    assert.equal(r.data[0].max_model_len, 8192);
  });

  it('a non-streaming chat body is a full model_dump with nulls', async () => {
    const r = await raw(url, '/v1/chat/completions', {
      body: { model: 'tiny-llm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 4 },
    });
    assert.equal(r.headers['content-type'], 'application/json');
    const b = json<Record<string, unknown>>(r);
    const text = model.generate('<|user|>\nhi\n<|assistant|>\n', { maxTokens: 4 }).text;
    const expected = `{"id":"${b.id}","object":"chat.completion","created":${b.created},"model":"tiny-llm","choices":[{"index":0,"message":{"role":"assistant","content":${JSON.stringify(text)},"refusal":null,"annotations":null,"audio":null,"function_call":null,"reasoning":null},"logprobs":null,"finish_reason":"length","stop_reason":null,"token_ids":null}],"service_tier":null,"system_fingerprint":null,"usage":{"prompt_tokens":6,"total_tokens":10,"completion_tokens":4,"prompt_tokens_details":null},"prompt_logprobs":null,"prompt_token_ids":null,"kv_transfer_params":null}`;
    assert.equal(r.body, expected);
  });

  it('streams chat as data: {json} events ending data: [DONE], byte for byte', async () => {
    const r = await raw(url, '/v1/chat/completions', {
      body: {
        model: 'tiny-llm',
        messages: [{ role: 'user', content: 'hi' }],
        max_tokens: 3,
        stream: true,
        stream_options: { include_usage: true },
      },
    });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/event-stream; charset=utf-8');
    const events = sseData(r.body, true);
    const first = JSON.parse(events[0]) as { id: string; created: number };
    const head = `{"id":"${first.id}","object":"chat.completion.chunk","created":${first.created},"model":"tiny-llm","choices":[`;
    const pieces = model.generate('<|user|>\nhi\n<|assistant|>\n', { maxTokens: 3 }).pieces;
    const expected = [
      `${head}{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}`,
      ...pieces
        .slice(0, -1)
        .map(
          (p) => `${head}{"index":0,"delta":{"content":${JSON.stringify(p)}},"logprobs":null,"finish_reason":null}]}`,
        ),
      // As vLLM 0.32.0 streams it (seen in the real-servers tier): max_tokens' last token carries the finish reason.
      `${head}{"index":0,"delta":{"content":${JSON.stringify(pieces.at(-1))}},"logprobs":null,"finish_reason":"length","stop_reason":null}]}`,
      `${head}],"usage":{"prompt_tokens":6,"total_tokens":9,"completion_tokens":3}}`,
      '[DONE]',
    ];
    assert.deepEqual(events, expected);
  });

  it('streams completions without a role chunk, with a stop string reported as stop_reason', async () => {
    const full = model.generate('Hello', { maxTokens: 30 });
    const stop = full.pieces[4].trim();
    const r = await raw(url, '/v1/completions', {
      body: { model: 'tiny-llm', prompt: 'Hello', max_tokens: 30, stop: [stop], stream: true },
    });
    const events = sseData(r.body, true);
    assert.equal(events.at(-1), '[DONE]');
    const chunks = events.slice(0, -1).map(
      (e) =>
        JSON.parse(e) as {
          object: string;
          choices: Array<{ text: string; finish_reason: string | null; stop_reason: string | null }>;
        },
    );
    assert.ok(chunks.every((c) => c.object === 'text_completion'));
    const last = chunks.at(-1)!.choices[0];
    assert.deepEqual([last.text, last.finish_reason, last.stop_reason], ['', 'stop', stop]);
    assert.equal(chunks.map((c) => c.choices[0].text).join(''), full.pieces.slice(0, 4).join(''));
  });

  it('uses the OpenAI error shape with the status as code', async () => {
    const missing = await raw(url, '/v1/completions', { body: { model: 'tiny-llm' } });
    assert.equal(missing.status, 400);
    assert.equal(
      missing.body,
      `{"error":{"message":"1 validation error:\\n  {'type': 'missing', 'loc': ('body', 'prompt'), 'msg': 'Field required'}","type":"Bad Request","param":"body.prompt","code":400}}`,
    );
    const badJson = await raw(url, '/v1/completions', { body: '{"model":' });
    assert.equal(badJson.status, 400);
    assert.match(json<{ error: { message: string } }>(badJson).error.message, /json_invalid/);
    const opts = await raw(url, '/v1/completions', {
      body: { model: 'tiny-llm', prompt: 'x', stream_options: { include_usage: true } },
    });
    assert.deepEqual(json(opts), {
      error: {
        message: 'Stream options can only be defined when `stream=True`.',
        type: 'Bad Request',
        param: 'stream_options',
        code: 400,
      },
    });
    const notFound = await raw(url, '/v1/embeddings', { body: { model: 'nope', input: 'x' } });
    assert.deepEqual(json(notFound), {
      error: { message: 'The model `nope` does not exist.', type: 'NotFoundError', param: 'model', code: 404 },
    });
    const wrongKind = await raw(url, '/v1/chat/completions', { body: { model: 'mini-embed', messages: [] } });
    assert.equal(wrongKind.status, 400);
    const route = await raw(url, '/v2/whatever');
    assert.deepEqual([route.status, route.body], [404, '{"detail":"Not Found"}']);
    const method = await raw(url, '/v1/models', { method: 'DELETE' });
    assert.deepEqual([method.status, method.body], [405, '{"detail":"Method Not Allowed"}']);
  });

  it('POST /tokenize counts like the usage it reports', async () => {
    const t = json<{ count: number; max_model_len: number; tokens: number[]; token_strs: string[] }>(
      await raw(url, '/tokenize', { body: { prompt: 'Hello there, world', return_token_strs: true } }),
    );
    assert.deepEqual(t.token_strs, ['Hello', ' there', ',', ' world']);
    assert.equal(t.count, 4);
    assert.equal(t.tokens.length, 4);
    const c = json<{ usage: { prompt_tokens: number } }>(
      await raw(url, '/v1/completions', { body: { model: 'tiny-llm', prompt: 'Hello there, world', max_tokens: 1 } }),
    );
    assert.equal(c.usage.prompt_tokens, t.count);
  });

  it('an answer is not overtaken by unparseable bytes that follow its request on the connection', async () => {
    // Answers are ended at the end of the loop turn; node:http's default for
    // the bad bytes (400, then close) would otherwise go out first.
    const text = await exchange(url, 'GET /version HTTP/1.1\r\nHost: x\r\n\r\nNOT HTTP AT ALL\r\n\r\n');
    assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
    assert.ok(text.endsWith('\r\n\r\n{"version":"0.32.0"}'), text);
    const bad = await exchange(url, 'NOT HTTP AT ALL\r\n\r\n');
    assert.equal(bad, 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });

  it('answers pipelined requests on one connection in order', async () => {
    const post = (prompt: string, last: boolean) => {
      const b = JSON.stringify({ model: 'tiny-llm', prompt, max_tokens: 1 });
      return `POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${b.length}\r\n${last ? 'Connection: close\r\n' : ''}\r\n${b}`;
    };
    const text = await exchange(url, post('one two three', false) + post('one', false) + post('one two', true));
    assert.deepEqual(
      [...text.matchAll(/HTTP\/1\.1 (\d+) /g)].map((m) => m[1]),
      ['200', '200', '200'],
    );
    assert.deepEqual(
      [...text.matchAll(/"prompt_tokens":(\d+)/g)].map((m) => Number(m[1])),
      [3, 1, 2],
    );
  });

  it('GET /metrics exposes the vllm:* families after traffic', async () => {
    await raw(url, '/v1/completions', { body: { model: 'tiny-llm', prompt: 'x', max_tokens: 3 } });
    const m = await raw(url, '/metrics');
    assert.equal(m.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    for (const name of [
      'vllm:num_requests_running{',
      'vllm:num_requests_waiting{',
      'vllm:kv_cache_usage_perc{',
      'vllm:prompt_tokens_total{',
      'vllm:generation_tokens_total{',
      'vllm:time_to_first_token_seconds_bucket{',
      'vllm:inter_token_latency_seconds_bucket{',
      'vllm:e2e_request_latency_seconds_count{',
    ]) {
      assert.ok(m.body.includes(name), `missing ${name}`);
    }
    assert.match(m.body, /# TYPE vllm:prompt_tokens counter\n/);
    assert.match(
      m.body,
      /vllm:request_success_total\{model_name="tiny-llm",engine="0",finished_reason="length"\} \d+\.0/,
    );
  });
});

/** Writes `bytes` on a fresh connection and returns everything read until the server closes it. */
function exchange(url: string, bytes: string): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const s = net.connect(Number(u.port), u.hostname, () => s.write(bytes));
    let out = '';
    s.setEncoding('utf8');
    s.on('data', (d: string) => (out += d));
    s.on('close', () => resolve(out));
    s.on('error', reject);
  });
}
