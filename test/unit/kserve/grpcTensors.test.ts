import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TensorCodecError } from '../../../src/core/kserve/codecError';
import {
  decodeGrpcInputs,
  decodeGrpcOutputs,
  encodeGrpcInputs,
  encodeGrpcOutputs,
  paramsFromGrpc,
  paramsToGrpc,
} from '../../../src/core/kserve/grpcTensors';
import type { Tensor } from '../../../src/core/kserve/tensor';

const bad = (re: RegExp) => (e: unknown) => e instanceof TensorCodecError && re.test(e.message);

describe('gRPC raw and typed tensor contents', () => {
  it('encodes raw_input_contents little-endian, one buffer per input in order', () => {
    const tensors: Tensor[] = [
      { name: 'a', datatype: 'INT32', shape: [2], values: new Int32Array([1, -2]) },
      { name: 's', datatype: 'BYTES', shape: [2], values: [Buffer.from('hello'), Buffer.from('world')] },
    ];
    const enc = encodeGrpcInputs(tensors);
    assert.deepEqual(
      enc.inputs.map((t) => [t.name, t.datatype, t.shape]),
      [
        ['a', 'INT32', [2]],
        ['s', 'BYTES', [2]],
      ],
    );
    assert.equal(Buffer.from(enc.raw_input_contents![0]).toString('hex'), '01000000feffffff');
    assert.equal(Buffer.from(enc.raw_input_contents![1]).toString('hex'), '0500000068656c6c6f05000000776f726c64');
    const back = decodeGrpcInputs(enc);
    assert.deepEqual([...(back[0].values as Int32Array)], [1, -2]);
    assert.deepEqual(
      (back[1].values as Uint8Array[]).map((b) => Buffer.from(b).toString()),
      ['hello', 'world'],
    );
  });

  it('decodes typed contents of each field kind', () => {
    const tensors = decodeGrpcOutputs({
      outputs: [
        { name: 'f', datatype: 'FP32', shape: [2], contents: { fp32_contents: [0.5, 2] } },
        { name: 'b', datatype: 'BOOL', shape: [2], contents: { bool_contents: [true, false] } },
        { name: 'u', datatype: 'UINT8', shape: [1], contents: { uint_contents: [200] } },
        { name: 'l', datatype: 'INT64', shape: [1], contents: { int64_contents: [-7] } },
        { name: 's', datatype: 'BYTES', shape: [1], contents: { bytes_contents: [Buffer.from('x')] } },
      ],
    });
    assert.deepEqual([...(tensors[0].values as Float32Array)], [0.5, 2]);
    assert.deepEqual([...(tensors[1].values as Uint8Array)], [1, 0]);
    assert.deepEqual([...(tensors[2].values as Uint8Array)], [200]);
    assert.deepEqual([...(tensors[3].values as BigInt64Array)], [-7n]);
    assert.equal(Buffer.from((tensors[4].values as Uint8Array[])[0]).toString(), 'x');
  });

  it('typed encoding round-trips, and FP16 has no typed field', () => {
    const t: Tensor = { name: 'b', datatype: 'BOOL', shape: [3], values: new Uint8Array([1, 0, 1]) };
    const enc = encodeGrpcOutputs([t], false);
    assert.deepEqual(enc.outputs[0].contents, { bool_contents: [true, false, true] });
    assert.deepEqual(enc.raw_output_contents, []);
    assert.deepEqual([...(decodeGrpcOutputs(enc)[0].values as Uint8Array)], [1, 0, 1]);
    assert.throws(
      () => encodeGrpcOutputs([{ name: 'h', datatype: 'FP16', shape: [1], values: new Uint16Array([0x3c00]) }], false),
      bad(/FP16 has no typed contents field/),
    );
    assert.throws(
      () => decodeGrpcInputs({ inputs: [{ name: 'h', datatype: 'FP16', shape: [1], contents: null }] }),
      bad(/input 'h': FP16 has no typed contents field; send it as raw contents/),
    );
  });

  it('rejects a raw_input_contents count that differs from the inputs', () => {
    const req = {
      inputs: [
        { name: 'a', datatype: 'INT32', shape: [1] },
        { name: 'b', datatype: 'INT32', shape: [1] },
      ],
      raw_input_contents: [Buffer.alloc(4)],
    };
    assert.throws(() => decodeGrpcInputs(req), bad(/raw_input_contents has 1 entry for 2 input\(s\)/));
  });

  it('rejects typed contents mixed with raw contents', () => {
    const req = {
      inputs: [{ name: 'a', datatype: 'INT32', shape: [1], contents: { int_contents: [1] } }],
      raw_input_contents: [Buffer.alloc(4)],
    };
    assert.throws(
      () => decodeGrpcInputs(req),
      bad(/input 'a': typed contents must not be set when raw_input_contents is used/),
    );
  });

  it('rejects raw bytes of the wrong size and typed contents of the wrong count', () => {
    assert.throws(
      () =>
        decodeGrpcInputs({
          inputs: [{ name: 'a', datatype: 'FP32', shape: [1, 3] }],
          raw_input_contents: [Buffer.alloc(8)],
        }),
      bad(/8 bytes of FP32 data for shape \[1,3\], expected 12/),
    );
    assert.throws(
      () =>
        decodeGrpcInputs({ inputs: [{ name: 'a', datatype: 'FP32', shape: [3], contents: { fp32_contents: [1] } }] }),
      bad(/needs 3 element\(s\), 'data' has 1/),
    );
    assert.throws(
      () =>
        decodeGrpcInputs({
          inputs: [{ name: 's', datatype: 'BYTES', shape: [2], contents: { bytes_contents: [Buffer.from('x')] } }],
        }),
      bad(/bytes_contents has 1/),
    );
  });

  it('maps parameters both ways', () => {
    const grpc = paramsToGrpc({ a: true, b: 3, c: 'x', d: 0.5 });
    assert.deepEqual(grpc, {
      a: { bool_param: true },
      b: { int64_param: 3 },
      c: { string_param: 'x' },
      d: { double_param: 0.5 },
    });
    assert.deepEqual(
      paramsFromGrpc({
        a: { bool_param: false, parameter_choice: 'bool_param' },
        n: { uint64_param: 9, parameter_choice: 'uint64_param' },
      }),
      { a: false, n: 9 },
    );
    assert.deepEqual(paramsFromGrpc(grpc), { a: true, b: 3, c: 'x', d: 0.5 });
  });
});
