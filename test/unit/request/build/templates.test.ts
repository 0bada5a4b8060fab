// Every template's first draft builds, and builds the request the wire reference describes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildWire } from '../../../../src/core/request/build/build';
import type { RequestDraft, TemplateId } from '../../../../src/shared/request';
import {
  defaultDraft,
  defaultTemplate,
  templateLabels,
  templatesFor,
} from '../../../../src/core/request/build/templates';
import type { BuildContext, HttpWire } from '../../../../src/core/request/build/wire';
import type { ModelMetadata } from '../../../../src/core/servers/types';
import { withDecoupled } from '../../../../src/core/request/build/optionalInputs';
import { target } from '../helpers';

const ctx = (hasApiKey = false): BuildContext => ({ hasApiKey, readFile: async (p) => Buffer.from(`bytes of ${p}`) });
const json = (w: HttpWire) => JSON.parse(w.body as string) as Record<string, unknown>;
const resnet: ModelMetadata = {
  name: 'resnet50',
  inputs: [
    { name: 'input', datatype: 'FP32', shape: [-1, 3, 224, 224] },
    { name: 'image', datatype: 'BYTES', shape: [-1] },
  ],
  outputs: [{ name: 'output', datatype: 'FP32', shape: [-1, 1000] }],
  properties: {},
};

describe('templates', () => {
  it('offers templates by server kind, then WebSocket and raw HTTP for every server', async () => {
    assert.deepEqual(templatesFor({ kind: 'vllm' }), [
      'openai-chat',
      'openai-completions',
      'openai-embeddings',
      'websocket',
      'raw',
    ]);
    assert.equal(
      defaultDraft('websocket', { kind: 'vllm', model: 'm', wsUrl: 'ws://h:1/v1/stream' }).path,
      'ws://h:1/v1/stream',
    );
    assert.equal(
      defaultDraft('websocket', { kind: 'tgi', model: 'm', baseUrl: 'https://h:8443' }).path,
      'wss://h:8443/',
    );
    const t = target('tgi', 'http://h');
    await assert.rejects(
      buildWire({ template: 'websocket', model: '', path: 'http://h/x', wsMessages: [] }, t, ctx()),
      /not a WebSocket URL/,
    );
    assert.equal(templatesFor({ kind: 'triton' })[0], 'kserve-infer');
    assert.equal(templatesFor({ kind: 'tgi' })[0], 'tgi-generate-stream');
    assert.equal(templatesFor({ kind: 'ollama' })[0], 'ollama-chat');
    assert.equal(templatesFor({ kind: 'torchserve' })[0], 'torchserve-predict');
    assert.equal(templatesFor({ kind: 'tfserving' })[0], 'tfserving-predict');
    assert.equal(templatesFor({ kind: 'tei' })[0], 'tei-embed');
  });

  it('a decoupled Triton model (its config says so) streams over gRPC in the first draft, when a gRPC address is set', () => {
    const words: ModelMetadata = {
      name: 'words',
      inputs: [{ name: 'text', datatype: 'BYTES', shape: [1] }],
      outputs: [{ name: 'word', datatype: 'BYTES', shape: [1] }],
      properties: {},
    };
    const t = target('triton', 'http://h:8000', 'words', { grpcAddress: 'h:8001' });
    assert.equal(defaultDraft('kserve-infer', t, withDecoupled(words, true)).kserveTransport, 'grpc-stream');
    assert.equal(defaultDraft('kserve-infer', t, withDecoupled(words, false)).kserveTransport, 'rest');
    // Without a gRPC address the REST draft stays: the server's own 501 then says why.
    const noGrpc = target('triton', 'http://h:8000', 'words');
    assert.equal(defaultDraft('kserve-infer', noGrpc, withDecoupled(words, true)).kserveTransport, 'rest');
  });

  it('picks an embeddings template for embedding models (name, Ollama capabilities, TEI model type)', () => {
    assert.equal(defaultTemplate({ kind: 'vllm', model: 'mini-embed' }), 'openai-embeddings');
    assert.equal(defaultTemplate({ kind: 'vllm', model: 'tiny-llm' }), 'openai-chat');
    assert.equal(
      defaultTemplate(
        { kind: 'ollama', model: 'x' },
        { name: 'x', inputs: [], outputs: [], properties: { capabilities: 'embedding' } },
      ),
      'ollama-embed',
    );
    assert.equal(
      defaultTemplate(
        { kind: 'ollama', model: 'x' },
        { name: 'x', inputs: [], outputs: [], properties: { capabilities: 'completion, tools' } },
      ),
      'ollama-chat',
    );
  });

  it('fills KServe tensors from the model metadata: -1 becomes 1, large inputs start as random', () => {
    const d = defaultDraft('kserve-infer', { model: 'resnet50', kind: 'triton' }, resnet);
    assert.deepEqual(
      d.tensors?.map((t) => [t.name, t.datatype, t.shape, t.data]),
      [
        ['input', 'FP32', [1, 3, 224, 224], 'random'],
        ['image', 'BYTES', [1], '["input 0"]'],
      ],
    );
    const tf = JSON.parse(
      defaultDraft(
        'tfserving-predict',
        { model: 'half', kind: 'tfserving' },
        { name: 'half', inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 3] }], outputs: [], properties: {} },
      ).body ?? '',
    );
    assert.deepEqual(tf, { instances: [[0.1, 0.2, 0.3]] });
  });

  for (const template of Object.keys(templateLabels) as TemplateId[]) {
    it(`the first draft of ${template} builds`, async () => {
      const t = target(template.split('-')[0] === 'tgi' ? 'tgi' : 'vllm', 'http://127.0.0.1:9', 'm', {
        wsUrl: 'ws://127.0.0.1:9/v1/stream',
        grpcAddress: '127.0.0.1:10',
      });
      const d = defaultDraft(
        template,
        t,
        template === 'kserve-infer' ? { ...resnet, inputs: [resnet.inputs[1]] } : undefined,
      );
      const wire = await buildWire(d, t, ctx());
      assert.ok(wire.transport);
    });
  }
});

describe('built requests follow the wire reference', () => {
  const vllm = target('vllm', 'http://h:8000', 'm');

  it('OpenAI chat: messages, sampling, stream with include_usage; no stream_options without stream', async () => {
    const d = defaultDraft('openai-chat', vllm);
    const w = (await buildWire(
      { ...d, params: { temperature: 0, maxTokens: 5, stop: ['\n'], stream: true } },
      vllm,
      ctx(),
    )) as HttpWire;
    assert.equal(w.url, 'http://h:8000/v1/chat/completions');
    assert.equal(w.expect, 'sse');
    assert.deepEqual(json(w), {
      model: 'm',
      messages: d.messages,
      temperature: 0,
      max_tokens: 5,
      stop: ['\n'],
      stream: true,
      stream_options: { include_usage: true },
    });
    const plain = json((await buildWire({ ...d, params: { stream: false } }, vllm, ctx())) as HttpWire);
    assert.equal(plain.stream, false);
    assert.equal('stream_options' in plain, false);
  });

  it('OpenAI paths under /openai/v1 on KServe and directly under a /v1 base', async () => {
    const d = defaultDraft('openai-completions', vllm);
    assert.equal(
      ((await buildWire(d, target('kserve', 'http://h', 'm'), ctx())) as HttpWire).url,
      'http://h/openai/v1/completions',
    );
    assert.equal(
      ((await buildWire(d, target('openai', 'http://h/v1', 'm'), ctx())) as HttpWire).url,
      'http://h/v1/completions',
    );
  });

  it('TGI: inputs + parameters with details; temperature 0 means greedy (TGI refuses 0)', async () => {
    const t = target('tgi', 'http://h');
    const w = (await buildWire(
      { ...defaultDraft('tgi-generate', t), prompt: 'p', params: { temperature: 0, maxTokens: 9, stream: false } },
      t,
      ctx(),
    )) as HttpWire;
    assert.equal(w.url, 'http://h/generate');
    assert.deepEqual(json(w), { inputs: 'p', parameters: { details: true, max_new_tokens: 9 } });
    const s = (await buildWire(
      { ...defaultDraft('tgi-generate-stream', t), params: { temperature: 0.5, stream: true } },
      t,
      ctx(),
    )) as HttpWire;
    assert.equal(s.url, 'http://h/generate_stream');
    assert.deepEqual(json(s).parameters, { details: true, temperature: 0.5, do_sample: true });
  });

  it('Ollama: options.num_predict, stream flag, NDJSON expected; embed takes input', async () => {
    const t = target('ollama', 'http://h:11434', 'llama3');
    const w = (await buildWire(
      { ...defaultDraft('ollama-generate', t), params: { maxTokens: 7, stream: true } },
      t,
      ctx(),
    )) as HttpWire;
    assert.equal(w.url, 'http://h:11434/api/generate');
    assert.equal(w.expect, 'ndjson');
    assert.deepEqual(json(w).options, { num_predict: 7 });
    const e = (await buildWire({ ...defaultDraft('ollama-embed', t), inputs: ['one'] }, t, ctx())) as HttpWire;
    assert.deepEqual(json(e), { model: 'llama3', input: 'one' });
  });

  it('TEI embed, TorchServe JSON and file bodies, TF Serving predict path', async () => {
    const tei = (await buildWire(
      defaultDraft('tei-embed', target('tei', 'http://h')),
      target('tei', 'http://h'),
      ctx(),
    )) as HttpWire;
    assert.equal(tei.url, 'http://h/embed');
    assert.equal((json(tei).inputs as string[]).length, 2);
    const ts = target('torchserve', 'http://h:8080', 'resnet-18');
    const file = (await buildWire(
      { ...defaultDraft('torchserve-predict', ts), bodyMode: 'file', filePath: 'kitten.jpg', modelVersion: '2.0' },
      ts,
      ctx(),
    )) as HttpWire;
    assert.equal(file.url, 'http://h:8080/predictions/resnet-18/2.0');
    assert.equal(file.headers['content-type'], 'image/jpeg');
    assert.equal(Buffer.from(file.body as Uint8Array).toString(), 'bytes of kitten.jpg');
    await assert.rejects(
      buildWire({ ...defaultDraft('torchserve-predict', ts), bodyMode: 'file' }, ts, ctx()),
      /Choose the file/,
    );
    const tf = target('tfserving', 'http://h:8501', 'half');
    assert.equal(
      ((await buildWire(defaultDraft('tfserving-predict', tf), tf, ctx())) as HttpWire).url,
      'http://h:8501/v1/models/half:predict',
    );
  });

  it('raw mode: method, absolute or relative path, header names checked, the key only as a placeholder', async () => {
    const d: RequestDraft = {
      template: 'raw',
      model: '',
      method: 'post',
      path: '/v2/repository/index',
      headers: [{ name: 'X-Trace', value: '1' }],
      body: '{"ready":true}',
    };
    const w = (await buildWire(d, vllm, ctx(true))) as HttpWire;
    assert.equal(w.method, 'POST');
    assert.equal(w.url, 'http://h:8000/v2/repository/index');
    assert.deepEqual(w.headers, {
      'x-trace': '1',
      authorization: 'Bearer ${apiKey}',
      'content-type': 'application/json',
    });
    await assert.rejects(
      buildWire({ ...d, headers: [{ name: 'bad header', value: 'x' }] }, vllm, ctx()),
      /not a valid header name/,
    );
    assert.equal(
      ((await buildWire({ ...d, path: 'http://other:1/x' }, vllm, ctx())) as HttpWire).url,
      'http://other:1/x',
    );
  });

  it('a model is required where the protocol names one', async () => {
    await assert.rejects(
      buildWire({ ...defaultDraft('openai-chat', vllm), model: '' }, vllm, ctx()),
      /Choose the model/,
    );
  });
});
