// A ModelStreamInfer message as the request panel's messages view shows it: each response's own tensors decoded.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeGrpcOutputs } from '../../../../src/core/kserve/grpcTensors';
import { grpcStreamJson } from '../../../../src/core/request/views/kserveViews';

describe('gRPC stream messages', () => {
  it('show the decoded values of raw output contents (BYTES as text, INT32 as numbers) and keep the parameters', () => {
    const res = {
      model_name: 'words',
      model_version: '1',
      id: 'r1',
      parameters: { triton_final_response: { bool_param: false } },
      ...encodeGrpcOutputs([
        { name: 'word', datatype: 'BYTES', shape: [1], values: [Buffer.from(' real')] },
        { name: 'index', datatype: 'INT32', shape: [1], values: new Int32Array([1]) },
      ]),
    };
    assert.ok(res.raw_output_contents?.length, 'the encoder used raw contents, as Triton replies');
    const shown = JSON.parse(grpcStreamJson({ error_message: '', infer_response: res })) as {
      infer_response: Record<string, unknown> & { outputs: Array<Record<string, unknown>> };
    };
    assert.deepEqual(shown.infer_response.outputs, [
      { name: 'word', datatype: 'BYTES', shape: [1], data: [' real'] },
      { name: 'index', datatype: 'INT32', shape: [1], data: [1] },
    ]);
    assert.equal(shown.infer_response.raw_output_contents, undefined);
    assert.deepEqual(shown.infer_response.parameters, { triton_final_response: { bool_param: false } });
    // An in-band error or an empty final response has nothing to decode: shown as sent.
    const err = JSON.parse(grpcStreamJson({ error_message: 'boom', infer_response: null })) as Record<string, unknown>;
    assert.deepEqual(err, { error_message: 'boom', infer_response: null });
  });
});
