// KServe v2 infer from the tensor editor: REST JSON and binary, gRPC unary and
// stream, images as tensors, against a peer built on the shared codec.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildWire } from '../../../../src/core/request/build/build';
import { executeWire } from '../../../../src/core/request/transport/execute';
import { imageTensor } from '../../../../src/core/request/build/imageTensor';
import type { RequestDraft, ResponseView } from '../../../../src/shared/request';
import type { BuildContext, HttpWire } from '../../../../src/core/request/build/wire';
import { startTensorPeer } from '../tensorPeer';
import { target } from '../helpers';

const ctx: BuildContext = { hasApiKey: false, readFile: async () => new Uint8Array() };
const draft = (over: Partial<RequestDraft> = {}): RequestDraft => ({
  template: 'kserve-infer',
  model: 'm',
  tensors: [{ name: 'INPUT0', datatype: 'INT32', shape: [1, 4], data: '[[1, 2, 3, 4]]' }],
  outputs: [],
  encoding: 'json',
  kserveTransport: 'rest',
  ...over,
});

function tensorsOf(views: ResponseView[]) {
  const v = views.find((x) => x.type === 'tensors');
  assert.ok(v && v.type === 'tensors', `tensors among ${views.map((x) => x.type).join()}`);
  return v.tensors;
}

describe('KServe v2 requests', () => {
  let peer: Awaited<ReturnType<typeof startTensorPeer>>;
  before(async () => {
    peer = await startTensorPeer();
  });
  after(() => peer.close());

  it('REST JSON: the spec request shape, the output tensor shown as a table', async () => {
    const t = target('triton', peer.httpUrl, 'm');
    const wire = (await buildWire(draft(), t, ctx)) as HttpWire;
    assert.equal(wire.url, `${peer.httpUrl}/v2/models/m/infer`);
    assert.deepEqual(JSON.parse(wire.body as string), {
      inputs: [{ name: 'INPUT0', datatype: 'INT32', shape: [1, 4], data: [1, 2, 3, 4] }],
    });
    const r = await executeWire(wire);
    assert.equal(r.ok, true, r.error?.message);
    assert.deepEqual(tensorsOf(r.views)[0].rows, [[2, 4, 6, 8]]);
  });

  it('REST binary tensor extension both ways: Inference-Header-Content-Length, binary_data_size, decoded outputs', async () => {
    const t = target('triton', peer.httpUrl, 'm');
    const wire = (await buildWire(
      draft({ encoding: 'binary', tensors: [{ name: 'x', datatype: 'FP32', shape: [2], data: '[0.5, 1.5]' }] }),
      t,
      ctx,
    )) as HttpWire;
    const body = wire.body as Uint8Array;
    const headerLen = Number(wire.headers['inference-header-content-length']);
    const header = JSON.parse(Buffer.from(body.subarray(0, headerLen)).toString('utf8'));
    assert.deepEqual(header.inputs[0].parameters, { binary_data_size: 8 });
    assert.equal(header.parameters.binary_data_output, true);
    assert.deepEqual(Array.from(new Float32Array(Uint8Array.from(body.subarray(headerLen)).buffer)), [0.5, 1.5]);
    const r = await executeWire(wire);
    assert.equal(r.ok, true, r.error?.message);
    assert.equal(r.headers['content-type'], 'application/octet-stream');
    assert.deepEqual(tensorsOf(r.views)[0].rows, [[1, 3]]);
  });

  it('bad tensor data is refused before sending, with the tensor named', async () => {
    const t = target('triton', peer.httpUrl, 'm');
    await assert.rejects(
      buildWire(draft({ tensors: [{ name: 'a', datatype: 'INT32', shape: [2], data: '[1]' }] }), t, ctx),
      /"a": shape \[2\] needs 2 values but the data has 1/,
    );
    await assert.rejects(
      buildWire(draft({ tensors: [{ name: 'a', datatype: 'INT32', shape: [1], data: '[1.5]' }] }), t, ctx),
      /input 'a'.*not a valid INT32/,
    );
    await assert.rejects(
      buildWire(draft({ tensors: [{ name: 'a', datatype: 'FP32', shape: [1], data: '[1,' }] }), t, ctx),
      /not valid JSON/,
    );
  });

  it('zeros / ones / random fill large inputs; random is the same on every send', async () => {
    const t = target('triton', peer.httpUrl, 'm');
    const d = draft({ tensors: [{ name: 'x', datatype: 'FP32', shape: [1, 3, 8, 8], data: 'random' }] });
    const a = (await buildWire(d, t, ctx)) as HttpWire;
    const b = (await buildWire(d, t, ctx)) as HttpWire;
    assert.equal(a.body, b.body);
    assert.equal(JSON.parse(a.body as string).inputs[0].data.length, 192);
  });

  it('gRPC ModelInfer with raw contents; the output tensor from raw_output_contents', async () => {
    const t = target('triton', peer.httpUrl, 'm', { grpcAddress: peer.grpcAddress });
    const wire = await buildWire(draft({ kserveTransport: 'grpc' }), t, ctx);
    assert.equal(wire.transport, 'grpc');
    const r = await executeWire(wire);
    assert.equal(r.ok, true, r.error?.message);
    assert.deepEqual(tensorsOf(r.views)[0].rows, [[2, 4, 6, 8]]);
    assert.equal(peer.seen.at(-1)?.raw_input_contents?.[0].length, 16);
    assert.ok(r.timing.ttfbMs !== undefined && r.timing.totalMs >= r.timing.ttfbMs);
  });

  it('gRPC ModelStreamInfer: BYTES outputs stream as tokens with metrics; error_message is an in-band error', async () => {
    const t = target('triton', peer.httpUrl, 'llm', { grpcAddress: peer.grpcAddress });
    const tokens: string[] = [];
    const d = draft({
      model: 'llm',
      kserveTransport: 'grpc-stream',
      tensors: [{ name: 'prompt', datatype: 'BYTES', shape: [1], data: '["one two three"]' }],
    });
    const r = await executeWire(await buildWire(d, t, ctx), {
      onEvent: (e) => e.type === 'delta' && tokens.push(e.text),
    });
    assert.equal(r.ok, true, r.error?.message);
    assert.deepEqual(tokens, ['one ', 'two ', 'three ']);
    assert.equal(r.stream?.tokenCount, 3);
    assert.ok(r.stream?.ttftMs !== undefined);
    const broken = await executeWire(await buildWire({ ...d, model: 'broken' }, { ...t, model: 'broken' }, ctx));
    assert.equal(broken.error?.kind, 'in-stream');
    assert.match(broken.error?.message ?? '', /model "broken" failed/);
  });

  it('gRPC to a port where nothing listens is a clear error; no gRPC address is refused at build time', async () => {
    const r = await executeWire(
      await buildWire(
        draft({ kserveTransport: 'grpc' }),
        target('triton', peer.httpUrl, 'm', { grpcAddress: '127.0.0.1:1' }),
        ctx,
      ),
      { firstByteTimeoutMs: 5000 },
    );
    assert.equal(r.ok, false);
    assert.ok(r.error?.kind === 'connection-refused' || r.error?.kind === 'timeout', r.error?.message);
    await assert.rejects(
      buildWire(draft({ kserveTransport: 'grpc' }), target('triton', peer.httpUrl, 'm'), ctx),
      /no gRPC address/,
    );
  });
});

describe('imageTensor', () => {
  const img = { width: 2, height: 1, data: Uint8Array.from([255, 0, 0, 255, 0, 255, 0, 255]) };

  it('NCHW and NHWC layouts with unit scaling', () => {
    const nchw = imageTensor('input', 'FP32', img, {
      path: 'a.png',
      width: 2,
      height: 1,
      resize: 'stretch',
      layout: 'NCHW',
      normalize: 'unit',
    });
    assert.deepEqual(nchw.shape, [1, 3, 1, 2]);
    assert.deepEqual(Array.from(nchw.values as Float32Array), [1, 0, 0, 1, 0, 0]);
    const nhwc = imageTensor('input', 'FP32', img, {
      path: 'a.png',
      width: 2,
      height: 1,
      resize: 'stretch',
      layout: 'NHWC',
      normalize: 'none',
    });
    assert.deepEqual(nhwc.shape, [1, 1, 2, 3]);
    assert.deepEqual(Array.from(nhwc.values as Float32Array), [255, 0, 0, 0, 255, 0]);
  });

  it('ImageNet normalization, and UINT8 only with raw pixels', () => {
    const t = imageTensor('input', 'FP32', img, {
      path: 'a.png',
      width: 2,
      height: 1,
      resize: 'crop',
      layout: 'NCHW',
      normalize: 'imagenet',
    });
    assert.ok(Math.abs((t.values as Float32Array)[0] - (1 - 0.485) / 0.229) < 1e-5);
    assert.throws(
      () =>
        imageTensor('input', 'UINT8', img, {
          path: 'a.png',
          width: 2,
          height: 1,
          resize: 'crop',
          layout: 'NCHW',
          normalize: 'unit',
        }),
      /choose the normalization "none"/,
    );
    assert.throws(
      () =>
        imageTensor('input', 'FP32', img, {
          path: 'a.png',
          width: 4,
          height: 4,
          resize: 'crop',
          layout: 'NCHW',
          normalize: 'unit',
        }),
      /2×1 but 4×4/,
    );
  });
});
