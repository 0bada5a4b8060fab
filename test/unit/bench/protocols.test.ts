import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  EV_CHOICE as C,
  EV_DONE as D,
  EV_ERROR as X,
  EV_READ as R,
  EV_TEXT as T,
  EV_USAGE as U,
  type RawRecord,
} from '../../../src/core/bench/record';
import { readRecordsFile } from '../../../src/core/bench/recordsFile';
import { runBenchmark } from '../../../src/core/bench/runBenchmark';
import type { BenchSpec } from '../../../src/core/bench/spec';
import { sleep, startServer, type Handler } from './fakeServers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-proto-'));

async function bench(
  handler: Handler,
  spec: Omit<BenchSpec, 'url' | 'load'>,
): Promise<{ recs: RawRecord[]; bodies: unknown[]; paths: string[] }> {
  const srv = await startServer(handler);
  try {
    const file = path.join(dir, `${Math.random().toString(36).slice(2)}.jsonl`);
    await runBenchmark({ url: srv.url, load: { concurrency: [1] }, requests: 2, ...spec }, { recordsPath: file });
    const recs: RawRecord[] = [];
    for await (const l of readRecordsFile(file)) if (l.kind === 'record') recs.push(l.record);
    const posts = srv.requests.filter((r) => r.method === 'POST');
    return { recs, bodies: posts.map((r) => r.body), paths: posts.map((r) => r.path) };
  } finally {
    await srv.close();
  }
}

const flags = (r: RawRecord) => (r.ev ?? []).filter((_v, k) => k % 2 === 1);

describe('text-generation APIs', () => {
  it('TGI generate_stream: `data:` without a space, token events, usage from the final details, no [DONE]', async () => {
    const { recs, bodies } = await bench(
      async (req, res) => {
        if (req.url !== '/generate_stream') return void res.writeHead(404).end();
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const [i, text] of ['Hel', 'lo', '</s>'].entries()) {
          await sleep(2);
          const last = i === 2;
          res.write(
            `data:${JSON.stringify({ index: i, token: { id: i, text, logprob: 0, special: last }, generated_text: last ? 'Hello' : null, details: last ? { finish_reason: 'eos_token', generated_tokens: 3, input_length: 9 } : null })}\n\n`,
          );
        }
        res.end();
      },
      { group: 'text-generation', api: 'tgi', text: { inputTokens: { mean: 8 }, outputTokens: { mean: 3 } } },
    );
    const r = recs[0];
    assert.deepEqual(flags(r), [R | C | T, R | C | T, R | C | D | U], 'one write per event: each starts a read');
    assert.equal(r.ou, 3);
    assert.equal(r.iu, 9);
    assert.equal(r.oo, 1, '"Hello" is one token: the special </s> is not text');
    assert.deepEqual(bodies[0], {
      inputs: (bodies[0] as { inputs: string }).inputs,
      parameters: { max_new_tokens: 3, details: true },
    });
  });

  it('TGI: an in-band error event (HTTP 200) fails the test request with the server message', async () => {
    await assert.rejects(
      bench(
        (_req, res) => {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.end('data:{"error":"Input validation error: too long","error_type":"validation"}\n\n');
        },
        { group: 'text-generation', api: 'tgi' },
      ),
      (e: Error & { kind?: string }) => e.kind === 'in-stream' && /too long/.test(e.message),
    );
  });

  it('Ollama generate: NDJSON lines split across network chunks, eval counts on the done line', async () => {
    const { recs, bodies } = await bench(
      async (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        res.write('{"model":"m","response":"Hi","done":false}\n{"model":"m","respo');
        await sleep(3);
        res.write('nse":" there","done":false}\n');
        await sleep(3);
        res.end(
          '{"model":"m","response":"","done":true,"done_reason":"length","prompt_eval_count":12,"eval_count":2}\n',
        );
      },
      { group: 'text-generation', api: 'ollama', model: 'm', text: { outputTokens: { mean: 2 } } },
    );
    // The second line completes in the second read, so it is that read's first event.
    assert.deepEqual(flags(recs[0]), [R | C | T, R | C | T, R | C | D | U]);
    assert.equal(recs[0].iu, 12);
    assert.equal(recs[0].ou, 2);
    assert.equal(recs[0].oo, 2);
    assert.deepEqual((bodies[0] as { options: unknown }).options, { num_predict: 2 });
  });

  it('Triton generate_stream: text_output events until the connection closes', async () => {
    const { recs, paths, bodies } = await bench(
      async (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
        res.write('data: {"text_output":"a b"}\n\n');
        await sleep(2);
        res.end('data: {"text_output":""}\n\n');
      },
      { group: 'text-generation', api: 'triton-generate', model: 'ensemble', text: { outputTokens: { mean: 5 } } },
    );
    assert.deepEqual(flags(recs[0]), [R | C | T, R | C]);
    assert.equal(paths[0], '/v2/models/ensemble/generate_stream');
    assert.equal((bodies[0] as { max_tokens: number }).max_tokens, 5);
    assert.equal((bodies[0] as { ignore_eos: boolean }).ignore_eos, true);
  });

  it('OpenAI chat: an error after streaming began is recorded as a failed request', async () => {
    let n = 0;
    const { recs } = await bench(
      (req, res) => {
        if (req.method !== 'POST') return void res.writeHead(404).end();
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        if (n++ === 0)
          return void res.end('data: {"choices":[{"index":0,"delta":{"content":"ok"}}]}\n\ndata: [DONE]\n\n');
        res.end(
          'data: {"choices":[{"index":0,"delta":{"content":"x"}}]}\n\ndata: {"error":{"message":"engine died","code":500}}\n\ndata: [DONE]\n\n',
        );
      },
      { group: 'text-generation', api: 'openai-chat', model: 'm' },
    );
    assert.equal(recs[0].ek, 'in-stream');
    assert.match(recs[0].er!, /engine died/);
    assert.deepEqual(flags(recs[0]), [R | C | T, X, D], 'three events in one write: one read');
  });
});

describe('embedding APIs', () => {
  const embed: Handler = (req, res, raw) => {
    if (req.method !== 'POST') return void res.writeHead(404).end();
    const b = JSON.parse(raw.toString('utf8')) as { input?: string[]; inputs?: unknown };
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.url === '/v1/embeddings')
      return void res.end(
        JSON.stringify({
          object: 'list',
          data: b.input!.map((_x, index) => ({ index, embedding: [0.1] })),
          usage: { prompt_tokens: 42, total_tokens: 42 },
        }),
      );
    if (req.url === '/api/embed')
      return void res.end(JSON.stringify({ model: 'm', embeddings: b.input!.map(() => [0.1]), prompt_eval_count: 17 }));
    res.end(JSON.stringify({ model_name: 'm', outputs: [] }));
  };
  for (const [api, usage] of [
    ['openai', 42],
    ['ollama', 17],
  ] as const) {
    it(`${api}: a batch of inputs per request, usage read from the answer`, async () => {
      const { recs, bodies } = await bench(embed, {
        group: 'embeddings',
        api,
        model: 'm',
        embeddings: { batchSizes: [3], inputTokens: { mean: 5 } },
      });
      assert.equal(recs[0].n, 3);
      assert.equal(recs[0].iu, usage);
      assert.equal(recs[0].io, 15, 'our own count: 3 inputs of 5 tokens');
      assert.equal((bodies[1] as { input: string[] }).input.length, 3);
    });
  }
  it('kserve: the inputs as one BYTES tensor', async () => {
    const { bodies, paths } = await bench(embed, {
      group: 'embeddings',
      api: 'kserve',
      model: 'enc',
      embeddings: { batchSizes: [2], inputName: 'TEXT' },
    });
    assert.equal(paths[0], '/v2/models/enc/infer');
    const input = (bodies[0] as { inputs: Array<{ name: string; shape: number[]; datatype: string; data: string[] }> })
      .inputs[0];
    assert.deepEqual([input.name, input.shape, input.datatype, input.data.length], ['TEXT', [2], 'BYTES', 2]);
  });
  it('a body of the wrong shape fails the request instead of counting as success', async () => {
    await assert.rejects(
      bench((_q, res) => void res.end('<html>proxy error</html>'), { group: 'embeddings', api: 'tei' }),
      /Unexpected response body \(expected JSON starting with \[\); received "<html>proxy error<\/html>"/,
    );
  });
});
