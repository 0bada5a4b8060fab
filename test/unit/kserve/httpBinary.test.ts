import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TensorCodecError } from '../../../src/core/kserve/codecError';
import {
  decodeInferRequest,
  decodeInferResponse,
  encodeInferRequest,
  encodeInferResponse,
  wantsBinaryOutput,
} from '../../../src/core/kserve/inferHttp';
import type { Tensor } from '../../../src/core/kserve/tensor';

const bad = (re: RegExp) => (e: unknown) => e instanceof TensorCodecError && re.test(e.message);

/** A binary-extension body: JSON header, then the bytes. */
function body(header: object, ...chunks: Buffer[]): { buf: Buffer; len: number } {
  const json = Buffer.from(JSON.stringify(header));
  return { buf: Buffer.concat([json, ...chunks]), len: json.length };
}

const fp32 = (...v: number[]) => Buffer.from(new Float32Array(v).buffer);

describe('HTTP binary tensor extension', () => {
  it('decodes a request mixing a binary FP32 input, a binary BYTES input and a JSON input', () => {
    const bytes = Buffer.from('0500000068656c6c6f05000000776f726c64', 'hex');
    const { buf, len } = body(
      {
        id: '7',
        inputs: [
          { name: 'a', datatype: 'FP32', shape: [1, 2], parameters: { binary_data_size: 8 } },
          { name: 's', datatype: 'BYTES', shape: [2], parameters: { binary_data_size: 18 } },
          { name: 'j', datatype: 'INT32', shape: [1], data: [9] },
        ],
        outputs: [{ name: 'o', parameters: { binary_data: true } }],
      },
      fp32(1.5, -2),
      bytes,
    );
    const req = decodeInferRequest(buf, String(len));
    assert.equal(req.id, '7');
    assert.deepEqual([...(req.inputs[0].values as Float32Array)], [1.5, -2]);
    assert.equal(req.inputs[0].parameters, undefined, 'binary_data_size is a transport detail, not kept');
    assert.deepEqual(
      (req.inputs[1].values as Uint8Array[]).map((b) => Buffer.from(b).toString()),
      ['hello', 'world'],
    );
    assert.deepEqual([...(req.inputs[2].values as Int32Array)], [9]);
    assert.equal(wantsBinaryOutput(req, 'o'), true);
    assert.equal(wantsBinaryOutput(req, 'other'), false);
  });

  it('decodes an unaligned FP32 payload (copying it)', () => {
    const { buf, len } = body(
      { inputs: [{ name: 'a', datatype: 'FP32', shape: [2], parameters: { binary_data_size: 8 } }] },
      fp32(3, 4),
    );
    assert.notEqual(len % 4, 0);
    assert.deepEqual([...(decodeInferRequest(buf, len).inputs[0].values as Float32Array)], [3, 4]);
  });

  it('rejects a header length beyond the body', () => {
    const { buf } = body({ inputs: [] });
    assert.throws(
      () => decodeInferRequest(buf, String(buf.length + 1)),
      bad(new RegExp(`Inference-Header-Content-Length is ${buf.length + 1} but the body has only ${buf.length} byte`)),
    );
    assert.throws(() => decodeInferRequest(buf, 'abc'), bad(/must be a non-negative integer, got 'abc'/));
  });

  it('rejects truncated binary data', () => {
    const { buf, len } = body(
      { inputs: [{ name: 'a', datatype: 'FP32', shape: [2], parameters: { binary_data_size: 8 } }] },
      fp32(1).subarray(0, 4),
    );
    assert.throws(
      () => decodeInferRequest(buf, len),
      bad(/input 'a': binary_data_size 8 goes past the end of the binary data \(4 byte\(s\) left\)/),
    );
  });

  it('rejects a binary size that does not fit the datatype and shape', () => {
    const { buf, len } = body(
      { inputs: [{ name: 'a', datatype: 'FP32', shape: [2], parameters: { binary_data_size: 6 } }] },
      Buffer.alloc(6),
    );
    assert.throws(
      () => decodeInferRequest(buf, len),
      bad(/input 'a': 6 bytes of FP32 data for shape \[2\], expected 8 \(2 × 4 bytes\)/),
    );
  });

  it('rejects unclaimed trailing bytes, both data and binary, and bad JSON', () => {
    const extra = body(
      { inputs: [{ name: 'a', datatype: 'INT32', shape: [1], parameters: { binary_data_size: 4 } }] },
      Buffer.alloc(6),
    );
    assert.throws(
      () => decodeInferRequest(extra.buf, extra.len),
      bad(/2 byte\(s\) of binary data after the last input/),
    );
    const both = body(
      { inputs: [{ name: 'a', datatype: 'INT32', shape: [1], data: [1], parameters: { binary_data_size: 4 } }] },
      Buffer.alloc(4),
    );
    assert.throws(() => decodeInferRequest(both.buf, both.len), bad(/both 'data' and binary_data_size/));
    assert.throws(
      () => decodeInferRequest(Buffer.from('{"inputs":['), undefined),
      bad(/failed to parse the request JSON/),
    );
    assert.throws(() => decodeInferRequest(Buffer.from('{}'), undefined), bad(/no 'inputs'/));
  });

  it('treats Inference-Header-Content-Length 0 as a raw binary request', () => {
    const raw = Buffer.from([0xff, 0xd8, 0xff]);
    const req = decodeInferRequest(raw, '0');
    assert.deepEqual(req.inputs, []);
    assert.equal(req.rawInput?.toString('hex'), 'ffd8ff');
  });

  it('encodes a response byte for byte: Triton key order, JSON header, then raw little-endian bytes', () => {
    const outputs: Tensor[] = [
      { name: 'prob', datatype: 'FP32', shape: [1, 2], values: new Float32Array([1, 0.5]) },
      { name: 'label', datatype: 'BYTES', shape: [1], values: [Buffer.from('cat')] },
    ];
    const enc = encodeInferResponse({ id: '42', model_name: 'm', model_version: '1', outputs }, (n) => n === 'prob');
    const json =
      '{"id":"42","model_name":"m","model_version":"1","outputs":[{"name":"prob","datatype":"FP32","shape":[1,2],"parameters":{"binary_data_size":8}},{"name":"label","datatype":"BYTES","shape":[1],"data":["cat"]}]}';
    assert.equal(enc.headerLength, Buffer.byteLength(json));
    assert.equal(enc.contentType, 'application/octet-stream');
    assert.equal(enc.body.toString('hex'), Buffer.from(json).toString('hex') + '0000803f' + '0000003f');
  });

  it('encodes an all-JSON response as plain JSON without a header length', () => {
    const enc = encodeInferResponse({
      model_name: 'm',
      model_version: '1',
      outputs: [{ name: 'o', datatype: 'INT32', shape: [2], values: new Int32Array([1, -1]) }],
    });
    assert.equal(enc.headerLength, undefined);
    assert.equal(enc.contentType, 'application/json');
    assert.equal(
      enc.body.toString(),
      '{"model_name":"m","model_version":"1","outputs":[{"name":"o","datatype":"INT32","shape":[2],"data":[1,-1]}]}',
    );
  });

  it('round-trips a client request and a server response through both encoders', () => {
    const input: Tensor = { name: 'x', datatype: 'UINT16', shape: [3], values: new Uint16Array([1, 2, 65535]) };
    const enc = encodeInferRequest({ id: 'r', inputs: [input] }, { binaryInputs: true, binaryOutputs: true });
    const req = decodeInferRequest(enc.body, enc.headerLength);
    assert.deepEqual([...(req.inputs[0].values as Uint16Array)], [1, 2, 65535]);
    assert.equal(wantsBinaryOutput(req, 'anything'), true);
    const res = encodeInferResponse({ model_name: 'm', outputs: req.inputs }, () => true);
    const back = decodeInferResponse(res.body, res.headerLength);
    assert.deepEqual([...(back.outputs[0].values as Uint16Array)], [1, 2, 65535]);
  });
});
