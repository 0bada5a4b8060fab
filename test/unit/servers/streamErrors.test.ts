import assert from 'node:assert/strict';
import { test } from 'node:test';
import { httpRequest, httpStream } from '../../../src/core/http/client';
import { InferenceError } from '../../../src/core/http/errors';
import { inStreamError, streamPayloads } from '../../../src/core/servers/streamErrors';
import { replay } from './helpers';

async function collect(
  framing: 'sse' | 'ndjson',
  url: string,
  body = '{}',
): Promise<{ items: unknown[]; error?: InferenceError }> {
  const s = await httpStream(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  const items: unknown[] = [];
  try {
    for await (const p of streamPayloads(framing, s.chunks, url)) items.push(p);
    return { items };
  } catch (e) {
    s.cancel();
    return { items, error: e as InferenceError };
  }
}

test('TGI /generate_stream: "data:" without a space, a keep-alive comment and a JSON split across reads; no [DONE]', async () => {
  const r = await replay('tgi', 'ready');
  const { items, error } = await collect('sse', `${r.url()}/generate_stream`);
  assert.equal(error, undefined);
  assert.deepEqual(
    items.map((i) => (i as { token: { text: string } }).token.text),
    ['Hello', ' world', ''],
  );
  assert.equal((items[2] as { generated_text: string }).generated_text, 'Hello world');
});

test('TGI: a validation error inside a 200 stream, and a chat error object before data:[DONE]', async () => {
  const r = await replay('tgi', 'stream-error');
  const gen = await collect('sse', `${r.url()}/generate_stream`);
  assert.equal(gen.items.length, 0);
  assert.equal(gen.error?.kind, 'in-stream');
  assert.match(gen.error?.message ?? '', /^Error in the response stream \(validation\): Input validation error/);
  const chat = await collect('sse', `${r.url()}/v1/chat/completions`);
  assert.equal(chat.items.length, 1);
  assert.equal(chat.error?.status, 422);
  assert.equal(chat.error?.serverMessage, 'Request failed during generation: Server error: CUDA out of memory');
});

test('vLLM: both error shapes, in a stream and as HTTP error bodies', async () => {
  const now = await replay('vllm', 'ready');
  const s1 = await collect('sse', `${now.url()}/v1/completions`);
  assert.equal(s1.items.length, 1);
  assert.equal(s1.error?.status, 500);
  assert.match(s1.error?.message ?? '', /\(HTTP 500 InternalServerError\): EngineCore encountered an issue\./);
  await assert.rejects(
    httpRequest(`${now.url()}/v1/chat/completions`, { method: 'POST', body: '{}' }),
    (e: InferenceError) => {
      assert.equal(e.status, 404);
      assert.equal(e.serverMessage, 'The model `gpt-4` does not exist.');
      return true;
    },
  );
  const old = await replay('vllm', 'old-error-shape');
  const s2 = await collect('sse', `${old.url()}/v1/completions`);
  assert.equal(s2.error?.serverMessage, 'Request aborted');
  await assert.rejects(
    httpRequest(`${old.url()}/v1/chat/completions`, { method: 'POST', body: '{}' }),
    (e: InferenceError) => {
      assert.equal(e.status, 400);
      assert.match(e.serverMessage ?? '', /^This model's maximum context length is 2048 tokens/);
      return true;
    },
  );
});

test('Ollama NDJSON: lines split across reads are rejoined; Go escapes survive; a final {"error"} line throws', async () => {
  const r = await replay('ollama', 'ready');
  const ok = await collect('ndjson', `${r.url()}/api/generate`);
  assert.equal(ok.error, undefined);
  assert.deepEqual(
    ok.items.map((i) => (i as { response: string }).response),
    ['<b>Hi', ' there', ''],
  );
  assert.equal((ok.items[2] as { eval_count: number }).eval_count, 3);
  const bad = await collect('ndjson', `${(await replay('ollama', 'stream-error')).url()}/api/chat`);
  assert.equal(bad.items.length, 1);
  assert.equal(bad.error?.kind, 'in-stream');
  assert.equal(bad.error?.serverMessage, 'an error was encountered while running the model: unexpected EOF');
});

test('Triton generate_stream: an error event after data with no [DONE]', async () => {
  const r = await replay('triton', 'not-ready');
  const s = await collect('sse', `${r.url()}/v2/models/simple/generate_stream`);
  assert.deepEqual(s.items, [{ model_name: 'simple', model_version: '1', text_output: 'Hel' }]);
  assert.equal(s.error?.serverMessage, "model 'simple' is not ready");
});

test('TorchServe and TEI error bodies give their message and status', async () => {
  const ts = await replay('torchserve', 'ready');
  await assert.rejects(
    httpRequest(`${ts.url()}/predictions/noop`, { method: 'POST', body: 'x' }),
    (e: InferenceError) => e.status === 503 && /^Model "noop" has no worker/.test(e.serverMessage ?? ''),
  );
  const tei = await replay('tei', 'ready');
  await assert.rejects(
    httpRequest(`${tei.url()}/embed`, { method: 'POST', body: '{}' }),
    (e: InferenceError) => e.status === 422 && /must have less than 512 tokens/.test(e.serverMessage ?? ''),
  );
});

test('inStreamError ignores ordinary payloads', () => {
  assert.equal(inStreamError('{"choices":[]}'), undefined);
  assert.equal(inStreamError('[1,2]'), undefined);
  assert.equal(inStreamError('not json'), undefined);
  assert.equal(inStreamError({ error: null }), undefined);
  assert.equal(inStreamError({ error: 'boom' })?.message, 'Error in the response stream: boom');
});
