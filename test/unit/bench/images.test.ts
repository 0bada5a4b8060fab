import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import {
  addInferenceService,
  bindGrpcServer,
  type InferenceServiceHandlers,
} from '../../../src/core/proto/inferenceServer';
import type { ModelInferRequest } from '../../../src/core/proto/inferenceTypes';
import type { RawRecord } from '../../../src/core/bench/record';
import { readRecordsFile } from '../../../src/core/bench/recordsFile';
import { runBenchmark } from '../../../src/core/bench/runBenchmark';
import type { BenchSpec } from '../../../src/core/bench/spec';
import { startServer, type FakeServer } from './fakeServers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-img-'));
const meta = {
  name: 'resnet',
  versions: ['1'],
  platform: 'onnxruntime_onnx',
  inputs: [{ name: 'input__0', datatype: 'FP32', shape: [-1, 3, 4, 4] }],
  outputs: [{ name: 'probs', datatype: 'FP32', shape: [-1, 10] }],
};

interface Seen {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Just enough Triton (wire reference §3) for detection, metadata and infer, plus TF Serving and TorchServe paths. */
async function fakeTriton(seen: Seen[]): Promise<FakeServer> {
  return startServer((req, res, body) => {
    const send = (status: number, v: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(v));
    };
    if (req.method === 'GET' && req.url === '/v2')
      return send(200, { name: 'triton', version: '2.50.0', extensions: ['binary_tensor_data'] });
    if (req.method === 'GET' && req.url === '/v2/models/resnet') return send(200, meta);
    if (req.method === 'POST' && req.url === '/v2/repository/index')
      return send(200, [{ name: 'resnet', version: '1', state: 'READY' }]);
    if (req.method === 'POST') {
      seen.push({ path: req.url ?? '', headers: req.headers, body });
      return send(200, {
        model_name: 'resnet',
        outputs: [{ name: 'probs', datatype: 'FP32', shape: [1, 10], data: [] }],
        predictions: [[0.1]],
      });
    }
    send(404, { error: 'Not Found' });
  });
}

async function run(spec: Omit<BenchSpec, 'load' | 'group'>): Promise<RawRecord[]> {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.jsonl`);
  await runBenchmark(
    { group: 'image-classification', load: { concurrency: [2] }, requests: 4, ...spec },
    { recordsPath: file },
  );
  const recs: RawRecord[] = [];
  for await (const l of readRecordsFile(file)) if (l.kind === 'record') recs.push(l.record);
  return recs;
}

describe('image-classification over HTTP', () => {
  const seen: Seen[] = [];
  let srv: FakeServer;
  before(async () => (srv = await fakeTriton(seen)));
  after(() => srv.close());

  it('kserve JSON: the model found and its shape read from metadata, the batch in the first dimension', async () => {
    seen.length = 0;
    const recs = await run({ url: srv.url, api: 'kserve', image: { batchSizes: [3] } });
    const j = JSON.parse(seen[0].body.toString('utf8')) as {
      inputs: Array<{ name: string; shape: number[]; datatype: string; data: number[] }>;
    };
    assert.equal(seen[0].path, '/v2/models/resnet/infer');
    assert.deepEqual(
      [j.inputs[0].name, j.inputs[0].shape, j.inputs[0].datatype, j.inputs[0].data.length],
      ['input__0', [3, 3, 4, 4], 'FP32', 3 * 48],
    );
    assert.ok(recs.every((r) => r.n === 3 && r.st === 200 && r.ek === undefined));
  });

  it('kserve binary: JSON header, Inference-Header-Content-Length and raw little-endian tensors', async () => {
    seen.length = 0;
    await run({ url: srv.url, api: 'kserve-binary', image: { batchSizes: [2] } });
    const s = seen[0];
    const headerLen = Number(s.headers['inference-header-content-length']);
    const header = JSON.parse(s.body.subarray(0, headerLen).toString('utf8')) as {
      inputs: Array<{ parameters: { binary_data_size: number } }>;
      outputs: Array<{ name: string; parameters: unknown }>;
    };
    assert.equal(header.inputs[0].parameters.binary_data_size, 2 * 48 * 4);
    assert.equal(s.body.length - headerLen, 2 * 48 * 4);
    assert.deepEqual(header.outputs, [{ name: 'probs', parameters: { binary_data: true } }]);
    const first = s.body.readFloatLE(headerLen);
    assert.ok(first >= 0 && first < 1);
  });

  it('TF Serving predict: nested instances of the item shape', async () => {
    seen.length = 0;
    await run({ url: srv.url, api: 'tfserving', model: 'resnet', image: { batchSizes: [2], shape: [2, 3] } });
    const j = JSON.parse(seen[0].body.toString('utf8')) as { instances: number[][][] };
    assert.equal(seen[0].path, '/v1/models/resnet:predict');
    assert.equal(j.instances.length, 2);
    assert.deepEqual([j.instances[0].length, j.instances[0][0].length], [2, 3]);
  });

  it('TorchServe: an encoded image as the body, one per request', async () => {
    seen.length = 0;
    await run({ url: srv.url, api: 'torchserve', model: 'resnet' });
    assert.equal(seen[0].path, '/predictions/resnet');
    assert.deepEqual([...seen[0].body.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'a PNG');
    await assert.rejects(
      run({ url: srv.url, api: 'torchserve', model: 'resnet', image: { batchSizes: [4] } }),
      /one image per request/,
    );
  });

  it('images from a folder go as BYTES elements with 4-byte lengths', async () => {
    seen.length = 0;
    const imgs = fs.mkdtempSync(path.join(dir, 'imgs-'));
    fs.writeFileSync(path.join(imgs, 'a.jpg'), Buffer.from('JPEGDATA-A'));
    fs.writeFileSync(path.join(imgs, 'b.png'), Buffer.from('PNGDATA-BB'));
    await run({
      url: srv.url,
      api: 'kserve-binary',
      image: { batchSizes: [2], imagesDir: imgs, datatype: 'BYTES', inputName: 'image' },
    });
    const s = seen[0];
    const bin = s.body.subarray(Number(s.headers['inference-header-content-length']));
    assert.equal(bin.readUInt32LE(0), 10);
    assert.equal(bin.subarray(4, 14).toString(), 'JPEGDATA-A');
    assert.equal(bin.subarray(18).toString(), 'PNGDATA-BB');
  });
});

describe('image-classification over gRPC', () => {
  it('ModelInfer with raw_input_contents, status recorded as gRPC OK', async () => {
    const got: ModelInferRequest[] = [];
    const unimplemented = () => {
      throw new Error('not used');
    };
    const handlers: InferenceServiceHandlers = {
      serverLive: () => ({ live: true }),
      serverReady: () => ({ ready: true }),
      modelReady: () => ({ ready: true }),
      serverMetadata: () => ({ name: 'triton', version: '2.50.0', extensions: [] }),
      modelMetadata: () => ({
        name: 'resnet',
        versions: ['1'],
        platform: 'onnx',
        inputs: [{ name: 'input__0', datatype: 'FP32', shape: [-1, 3, 4, 4] }],
        outputs: [{ name: 'probs', datatype: 'FP32', shape: [-1, 10] }],
      }),
      modelInfer: (req) => {
        got.push(req);
        return {
          model_name: 'resnet',
          outputs: [{ name: 'probs', datatype: 'FP32', shape: [1, 10] }],
          raw_output_contents: [Buffer.alloc(40)],
        };
      },
      modelStatistics: unimplemented,
      repositoryIndex: unimplemented,
      modelStreamInfer: unimplemented,
    };
    const server = new grpc.Server();
    addInferenceService(server, handlers);
    const port = await bindGrpcServer(server, '127.0.0.1', 0);
    try {
      const recs = await run({
        url: `grpc://127.0.0.1:${port}`,
        api: 'kserve-grpc',
        model: 'resnet',
        image: { batchSizes: [2] },
      });
      assert.equal(got[0].inputs[0].name, 'input__0');
      assert.deepEqual(got[0].inputs[0].shape.map(Number), [2, 3, 4, 4]);
      assert.equal(got[0].raw_input_contents![0].length, 2 * 48 * 4);
      assert.ok(recs.every((r) => r.st === 1000 && r.bi === 40 && r.n === 2));
    } finally {
      server.forceShutdown();
    }
  });
});
