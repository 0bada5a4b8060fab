// The tensor templates against the embedded Triton (REST JSON and binary,
// gRPC unary and stream), TorchServe (file and JSON bodies, a chunked token
// stream) and TF Serving (row format), started in-process on free ports.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildWire } from '../../../../src/core/request/build/build';
import { executeWire } from '../../../../src/core/request/transport/execute';
import type { RequestDraft, RequestResult, ResponseView } from '../../../../src/shared/request';
import { tritonOptionalInputs, withoutOptionalInputs } from '../../../../src/core/request/build/optionalInputs';
import { defaultDraft } from '../../../../src/core/request/build/templates';
import type { BuildContext } from '../../../../src/core/request/build/wire';
import { createAdapter } from '../../../../src/core/servers/registry';
import { startEmbedded, target } from '../helpers';

const ctx = (files: Record<string, Buffer> = {}): BuildContext => ({
  hasApiKey: false,
  readFile: async (p) => files[p] ?? Buffer.alloc(0),
});

function view<T extends ResponseView['type']>(r: RequestResult, type: T): Extract<ResponseView, { type: T }> {
  const v = r.views.find((x) => x.type === type);
  assert.ok(
    v,
    `a ${type} view among ${r.views.map((x) => x.type).join(', ')}${r.error ? ` (error: ${r.error.message})` : ''}`,
  );
  return v as Extract<ResponseView, { type: T }>;
}

describe('tensor templates against the embedded server', () => {
  let emb: Awaited<ReturnType<typeof startEmbedded>>;
  let resnet: RequestDraft;
  before(async () => {
    emb = await startEmbedded(['triton', 'torchserve', 'tfserving']);
    // The first draft as the panel makes it: Triton metadata without the optional inputs of the config.
    const t = target('triton', emb.endpoints.triton, 'resnet50');
    const meta = await createAdapter('triton', { id: 't', name: 't', url: emb.endpoints.triton }).modelMetadata(
      'resnet50',
    );
    const optional = await tritonOptionalInputs(emb.endpoints.triton, 'resnet50');
    assert.deepEqual(optional, ['image']);
    resnet = defaultDraft('kserve-infer', t, withoutOptionalInputs(meta, optional));
  });
  after(() => emb.stop());

  it('Triton REST JSON: the classifier answers 1000 logits, shown as a tensor and as top-5 labels', async () => {
    assert.deepEqual(
      resnet.tensors?.map((x) => [x.name, x.shape.join('x'), x.data]),
      [['input', '1x3x224x224', 'random']],
    );
    const t = target('triton', emb.endpoints.triton, 'resnet50');
    const r = await executeWire(await buildWire(resnet, t, ctx()));
    assert.equal(r.ok, true, r.error?.message);
    assert.deepEqual(view(r, 'tensors').tensors[0].shape, [1, 1000]);
    assert.equal(view(r, 'topk').labels.length, 5);
  });

  it('Triton REST binary tensors: the same logits decoded from the binary answer', async () => {
    const t = target('triton', emb.endpoints.triton, 'resnet50');
    const json = await executeWire(await buildWire(resnet, t, ctx()));
    const bin = await executeWire(await buildWire({ ...resnet, encoding: 'binary' }, t, ctx()));
    assert.equal(bin.ok, true, bin.error?.message);
    assert.equal(bin.headers['content-type'], 'application/octet-stream');
    assert.deepEqual(view(bin, 'topk').labels, view(json, 'topk').labels);
  });

  it('Triton gRPC ModelInfer and ModelStreamInfer give the same top-5', async () => {
    const t = target('triton', emb.endpoints.triton, 'resnet50', { grpcAddress: emb.endpoints.tritonGrpc });
    const rest = await executeWire(await buildWire(resnet, t, ctx()));
    for (const kserveTransport of ['grpc', 'grpc-stream'] as const) {
      const r = await executeWire(await buildWire({ ...resnet, kserveTransport }, t, ctx()));
      assert.equal(r.ok, true, `${kserveTransport}: ${r.error?.message}`);
      assert.deepEqual(view(r, 'topk').labels, view(rest, 'topk').labels);
    }
  });

  it('Triton errors come back readable: both inputs at once, an unknown model', async () => {
    const t = target('triton', emb.endpoints.triton, 'resnet50', { grpcAddress: emb.endpoints.tritonGrpc });
    const both: RequestDraft = {
      ...resnet,
      tensors: [...(resnet.tensors ?? []), { name: 'image', datatype: 'BYTES', shape: [1], data: '["not an image"]' }],
    };
    const r = await executeWire(await buildWire(both, t, ctx()));
    assert.equal(r.status, 400);
    assert.match(r.error?.message ?? '', /expected 1 inputs but got 2/);
    const g = await executeWire(
      await buildWire({ ...resnet, model: 'nope', kserveTransport: 'grpc' }, { ...t, model: 'nope' }, ctx()),
    );
    assert.match(
      g.error?.message ?? '',
      /^gRPC NOT_FOUND \(5\) from .*: Request for unknown model: 'nope' is not found$/,
    );
  });

  it('Triton embedding model: BYTES text in, an embedding tensor out', async () => {
    const t = target('triton', emb.endpoints.triton, 'mini-embed');
    const r = await executeWire(
      await buildWire(
        {
          template: 'kserve-infer',
          model: 'mini-embed',
          tensors: [{ name: 'text', datatype: 'BYTES', shape: [2], data: '["a", "b"]' }],
          encoding: 'json',
          kserveTransport: 'rest',
        },
        t,
        ctx(),
      ),
    );
    assert.equal(r.ok, true, r.error?.message);
    assert.deepEqual(view(r, 'tensors').tensors[0].shape, [2, 384]);
  });

  it('TorchServe: an image file answers top-5 labels; a text model streams one chunk per token', async () => {
    const t = target('torchserve', emb.endpoints.torchserve, 'resnet50');
    const files = { 'kitten.png': Buffer.from('\x89PNG\r\n\x1a\n fake image bytes', 'latin1') };
    const img = await executeWire(
      await buildWire(
        { ...defaultDraft('torchserve-predict', t), bodyMode: 'file', filePath: 'kitten.png' },
        t,
        ctx(files),
      ),
    );
    assert.equal(img.ok, true, img.error?.message);
    assert.equal(view(img, 'topk').labels.length, 5);
    const llm = target('torchserve', emb.endpoints.torchserve, 'tiny-llm');
    const tokens: string[] = [];
    const r = await executeWire(
      await buildWire(
        { ...defaultDraft('torchserve-predict', llm), body: '{"prompt": "Hello", "max_new_tokens": 12}' },
        llm,
        ctx(),
      ),
      { onEvent: (e) => e.type === 'delta' && tokens.push(e.text) },
    );
    assert.equal(r.ok, true, r.error?.message);
    assert.ok(tokens.length > 1, `${tokens.length} chunks`);
    assert.equal(view(r, 'generation').text, tokens.join(''));
    assert.ok(r.stream?.ttftMs !== undefined);
  });

  it('TF Serving row format: predictions with several outputs become tensors, probabilities a top-5', async () => {
    const t = target('tfserving', emb.endpoints.tfserving, 'resnet50');
    const body = JSON.stringify({
      signature_name: 'serving_bytes',
      instances: [{ b64: Buffer.from('img').toString('base64') }],
    });
    const r = await executeWire(await buildWire({ ...defaultDraft('tfserving-predict', t), body }, t, ctx()));
    assert.equal(r.ok, true, r.error?.message);
    assert.deepEqual(
      view(r, 'tensors').tensors.map((x) => x.name),
      ['classes', 'labels', 'probabilities'],
    );
    assert.equal(view(r, 'topk').output, 'probabilities');
  });
});
