import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TensorCodecError } from '../../../src/core/kserve/codecError';
import { tensorDataToJson, tensorFromJson } from '../../../src/core/kserve/jsonTensor';

const bad = (re: RegExp) => (e: unknown) => e instanceof TensorCodecError && re.test(e.message);

describe('JSON tensors', () => {
  it('decodes the OIP spec example input as UINT32', () => {
    const t = tensorFromJson({ name: 'input0', shape: [2, 2], datatype: 'UINT32', data: [1, 2, 3, 4] });
    assert.ok(t.values instanceof Uint32Array);
    assert.deepEqual([...(t.values as Uint32Array)], [1, 2, 3, 4]);
    assert.deepEqual(t.shape, [2, 2]);
  });

  it('accepts nested row-major data and flattens it', () => {
    const t = tensorFromJson({
      name: 'x',
      shape: [2, 2],
      datatype: 'FP32',
      data: [
        [1.5, 2],
        [3, 4],
      ],
    });
    assert.deepEqual([...(t.values as Float32Array)], [1.5, 2, 3, 4]);
  });

  it('rejects an element count that does not match the shape', () => {
    assert.throws(
      () => tensorFromJson({ name: 'x', shape: [2, 2], datatype: 'FP32', data: [1, 2, 3] }),
      bad(/input 'x': shape \[2,2\] needs 4 element\(s\), 'data' has 3/),
    );
  });

  it('checks each value against its datatype', () => {
    assert.throws(
      () => tensorFromJson({ name: 'x', shape: [1], datatype: 'UINT8', data: [256] }),
      bad(/element 0 \(256\) is not a valid UINT8/),
    );
    assert.throws(
      () => tensorFromJson({ name: 'x', shape: [1], datatype: 'INT8', data: [-129] }),
      bad(/not a valid INT8/),
    );
    assert.throws(
      () => tensorFromJson({ name: 'x', shape: [1], datatype: 'INT32', data: [1.5] }),
      bad(/not a valid INT32/),
    );
    assert.throws(
      () => tensorFromJson({ name: 'x', shape: [1], datatype: 'BOOL', data: [1] }),
      bad(/not a valid BOOL/),
    );
    assert.throws(
      () => tensorFromJson({ name: 'x', shape: [1], datatype: 'BYTES', data: [1] }),
      bad(/not a valid BYTES/),
    );
    assert.throws(
      () => tensorFromJson({ name: 'x', shape: [1], datatype: 'FP32', data: ['1'] }),
      bad(/not a valid FP32/),
    );
  });

  it('rejects unknown datatypes, bad shapes and missing fields', () => {
    assert.throws(
      () => tensorFromJson({ name: 'x', shape: [1], datatype: 'FLOAT', data: [1] }),
      bad(/unsupported datatype 'FLOAT'/),
    );
    assert.throws(
      () => tensorFromJson({ name: 'x', shape: [-1], datatype: 'FP32', data: [1] }),
      bad(/invalid dimension -1/),
    );
    assert.throws(
      () => tensorFromJson({ name: 'x', shape: '1', datatype: 'FP32', data: [1] }),
      bad(/shape must be an array/),
    );
    assert.throws(() => tensorFromJson({ shape: [1], datatype: 'FP32', data: [1] }), bad(/missing its 'name'/));
    assert.throws(() => tensorFromJson({ name: 'x', shape: [1], datatype: 'FP32' }), bad(/no 'data'/));
    assert.throws(() => tensorFromJson([1]), bad(/must be a JSON object/));
  });

  it('keeps BYTES as UTF-8 and 64-bit integers as bigint', () => {
    const s = tensorFromJson({ name: 's', shape: [2], datatype: 'BYTES', data: ['héllo', ''] });
    assert.deepEqual(
      (s.values as Uint8Array[]).map((b) => Buffer.from(b).toString('hex')),
      ['68c3a96c6c6f', ''],
    );
    const i = tensorFromJson({ name: 'i', shape: [2], datatype: 'INT64', data: [-5, 2 ** 40] });
    assert.deepEqual([...(i.values as BigInt64Array)], [-5n, 2n ** 40n]);
    assert.deepEqual(tensorDataToJson(i), [-5, 2 ** 40]);
    assert.deepEqual(tensorDataToJson(s), ['héllo', '']);
  });

  it('rounds JSON numbers of FP16 tensors to half precision', () => {
    const h = tensorFromJson({ name: 'h', shape: [3], datatype: 'FP16', data: [1, -2, 0.1] });
    assert.deepEqual([...(h.values as Uint16Array)], [0x3c00, 0xc000, 0x2e66]);
    assert.deepEqual(tensorDataToJson(h), [1, -2, 0.0999755859375]);
  });

  it('emits BOOL as booleans and keeps tensor parameters', () => {
    const b = tensorFromJson({
      name: 'b',
      shape: [2],
      datatype: 'BOOL',
      data: [true, false],
      parameters: { content_type: 'bool' },
    });
    assert.deepEqual([...(b.values as Uint8Array)], [1, 0]);
    assert.deepEqual(tensorDataToJson(b), [true, false]);
    assert.deepEqual(b.parameters, { content_type: 'bool' });
    assert.throws(
      () => tensorFromJson({ name: 'b', shape: [1], datatype: 'BOOL', data: [true], parameters: { x: [1] } }),
      bad(/parameter 'x' must be a string, number or bool/),
    );
  });
});
