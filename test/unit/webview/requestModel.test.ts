// The request webview's pure parts: number formatting, FormData → draft, image crop, masking of persisted state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { draftFromEntries } from '../../../webview/request/formData';
import { fmtBytes, fmtMs, fmtNumber, metricItems, timingRows, waterfall } from '../../../webview/request/format';
import { cropRect } from '../../../webview/request/crop';
import { maskDraftForState } from '../../../webview/request/mask';

describe('format', () => {
  it('durations, sizes and numbers read naturally', () => {
    assert.deepEqual(
      [fmtMs(undefined), fmtMs(3.14159), fmtMs(250.4), fmtMs(1234), fmtMs(12345)],
      ['—', '3.1 ms', '250 ms', '1.23 s', '12.3 s'],
    );
    assert.deepEqual([fmtBytes(12), fmtBytes(2048), fmtBytes(10 * 1024 * 1024)], ['12 B', '2.0 KB', '10.0 MB']);
    assert.deepEqual(
      [fmtNumber(3), fmtNumber(0.125), fmtNumber(1e-7), fmtNumber('cat')],
      ['3', '0.125', '1.000e-7', 'cat'],
    );
  });

  it('the metrics strip: ours, then what the server reported', () => {
    const items = metricItems({
      tokenCount: 64,
      elapsedMs: 900,
      ttftMs: 42,
      itl: { meanMs: 12.5, p50Ms: 12, maxMs: 40 },
      tokensPerSecond: 80,
      server: { completionTokens: 64, promptTokens: 20, tokensPerSecond: 81.3, finishReason: 'length' },
    });
    assert.deepEqual(
      items.map((i) => [i.id, i.value]),
      [
        ['ttft', '42.0 ms'],
        ['itl', '12.5 ms (p50 12.0 ms, max 40.0 ms)'],
        ['tps', '80.0'],
        ['tokens', '64'],
        ['server-tokens', '64 (prompt 20)'],
        ['server-tps', '81.3'],
        ['finish', 'length'],
      ],
    );
    assert.deepEqual(
      metricItems({ tokenCount: 0, elapsedMs: 5 }).map((i) => i.value),
      ['—', '—', '—', '0'],
    );
  });

  it('timing rows and the waterfall (phases placed on the total)', () => {
    const t = { connectMs: 10, tlsMs: 20, ttfbMs: 50, downloadMs: 50, totalMs: 100 };
    assert.deepEqual(
      timingRows(t, 'http').map((r) => r.ms),
      [10, 20, 50, 50, 100],
    );
    assert.equal(timingRows({ totalMs: 5 }, 'grpc')[0].note, 'not measured for gRPC');
    assert.deepEqual(waterfall(t), [
      { id: 'connect', start: 0, width: 0.1 },
      { id: 'tls', start: 0.1, width: 0.2 },
      { id: 'ttfb', start: 0.3, width: 0.2 },
      { id: 'download', start: 0.5, width: 0.5 },
      { id: 'total', start: 0, width: 1 },
    ]);
  });
});

describe('draftFromEntries', () => {
  it('reads a chat form: messages in order, numbers, stop lines, stream', () => {
    const { draft, errors } = draftFromEntries({ template: 'openai-chat', model: 'm' }, [
      ['msg.1.role', 'user'],
      ['msg.1.content', 'Hi'],
      ['msg.0.role', 'system'],
      ['msg.0.content', 'Be brief'],
      ['temperature', '0.2'],
      ['maxTokens', '32'],
      ['stop', 'END\n\n###'],
      ['stream', 'on'],
    ]);
    assert.deepEqual(errors, []);
    assert.deepEqual(draft.messages, [
      { role: 'system', content: 'Be brief' },
      { role: 'user', content: 'Hi' },
    ]);
    assert.deepEqual(draft.params, { temperature: 0.2, maxTokens: 32, stream: true, stop: ['END', '###'] });
  });

  it('collects every problem instead of stopping at the first', () => {
    const { errors } = draftFromEntries({ template: 'kserve-infer', model: 'm' }, [
      ['temperature', 'hot'],
      ['maxTokens', '1.5'],
      ['tensor.0.name', 'x'],
      ['tensor.0.shape', '1, -3'],
      ['tensor.0.data', '[]'],
    ]);
    assert.equal(errors.length, 3);
    assert.match(errors.join('\n'), /temperature: "hot" is not a number/);
    assert.match(errors.join('\n'), /maxTokens: "1.5" is not a whole number/);
    assert.match(errors.join('\n'), /shape "1, -3"/);
  });

  it('reads tensors (values or image), transport, encoding and outputs', () => {
    const { draft } = draftFromEntries({ template: 'kserve-infer', model: 'm' }, [
      ['kserveTransport', 'grpc'],
      ['encoding', 'binary'],
      ['outputs', 'a, b'],
      ['tensor.0.name', 'input'],
      ['tensor.0.datatype', 'FP32'],
      ['tensor.0.shape', '[1, 3, 224, 224]'],
      ['tensor.0.source', 'image'],
      ['tensor.0.image.path', 'cat.png'],
      ['tensor.0.image.width', '224'],
      ['tensor.0.image.height', '224'],
      ['tensor.0.image.resize', 'stretch'],
      ['tensor.0.image.layout', 'NHWC'],
      ['tensor.0.image.normalize', 'imagenet'],
    ]);
    assert.equal(draft.kserveTransport, 'grpc');
    assert.deepEqual(draft.outputs, ['a', 'b']);
    assert.deepEqual(draft.tensors?.[0], {
      name: 'input',
      datatype: 'FP32',
      shape: [1, 3, 224, 224],
      data: '',
      image: { path: 'cat.png', width: 224, height: 224, resize: 'stretch', layout: 'NHWC', normalize: 'imagenet' },
    });
  });

  it('reads raw mode headers (blank rows dropped) and WebSocket messages', () => {
    const raw = draftFromEntries({ template: 'raw', model: '' }, [
      ['method', 'POST'],
      ['path', '/x'],
      ['header.0.name', 'A'],
      ['header.0.value', '1'],
      ['header.1.name', ''],
      ['header.1.value', ''],
      ['body', '{}'],
      ['framing', 'sse'],
    ]);
    assert.deepEqual(raw.draft.headers, [{ name: 'A', value: '1' }]);
    assert.equal(raw.draft.framing, 'sse');
    const ws = draftFromEntries({ template: 'websocket', model: 'm' }, [['wsMessages', '{"a":1}\n\n{"b":2}\n']]);
    assert.deepEqual(ws.draft.wsMessages, ['{"a":1}', '{"b":2}']);
  });
});

describe('image crop and persisted state', () => {
  it('crop keeps the centre at the target aspect ratio; stretch takes everything', () => {
    assert.deepEqual(cropRect(640, 480, 224, 224, 'crop'), { sx: 80, sy: 0, sw: 480, sh: 480 });
    assert.deepEqual(cropRect(300, 600, 200, 100, 'crop'), { sx: 0, sy: 225, sw: 300, sh: 150 });
    assert.deepEqual(cropRect(640, 480, 224, 224, 'stretch'), { sx: 0, sy: 0, sw: 640, sh: 480 });
  });

  it('credential headers are masked before the webview persists its state', () => {
    const d = maskDraftForState({
      template: 'raw',
      model: '',
      headers: [
        { name: 'authorization', value: 'Bearer abc' },
        { name: 'x-api-key', value: 'zzz' },
        { name: 'accept', value: '*/*' },
      ],
    });
    assert.deepEqual(
      d.headers?.map((h) => h.value),
      ['Bearer ${apiKey}', '${apiKey}', '*/*'],
    );
  });
});
