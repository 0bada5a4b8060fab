/**
 * The embedded Triton's gRPC port with @grpc/grpc-js: first through a client
 * built directly from our .proto with @grpc/proto-loader (no project code on
 * the client side), then through our own client wrapper.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { ImageModel } from '../../../../src/core/embedded/models/imageModel';
import { decodeGrpcOutputs, encodeGrpcInputs } from '../../../../src/core/kserve/grpcTensors';
import { createInferenceClient, type InferenceClient } from '../../../../src/core/proto/grpcInference';
import { GrpcCallError } from '../../../../src/core/proto/grpcErrors';
import type { ModelInferRequest, ModelStreamInferResponse } from '../../../../src/core/proto/inferenceTypes';
import { EmbeddingModel } from '../../../../src/core/embedded/models/embeddingModel';
import { pixels, tensorServer } from './helpers';

const server = tensorServer(['triton']);
let address = '';
let client: InferenceClient;

before(async () => {
  address = (await server.start()).tritonGrpc;
  client = createInferenceClient(address, { deadlineMs: 10_000 });
});
after(async () => {
  client.close();
  await server.stop();
});

type Callback = (e: grpc.ServiceError | null, r: Record<string, unknown>) => void;
type PlainClient = grpc.Client &
  Record<string, (req: unknown, cb: Callback) => void> & {
    ModelStreamInfer(): grpc.ClientDuplexStream<unknown, Record<string, unknown>>;
  };

/** A client straight from the .proto file, with proto-loader's default options (camelCase off, Longs as strings). */
function plainClient(): PlainClient {
  const def = protoLoader.loadSync(path.resolve('src/core/proto/grpc_service.proto'), {
    keepCase: true,
    longs: String,
    defaults: true,
  });
  const pkg = grpc.loadPackageDefinition(def) as unknown as {
    inference: { GRPCInferenceService: new (a: string, c: grpc.ChannelCredentials) => PlainClient };
  };
  return new pkg.inference.GRPCInferenceService(address, grpc.credentials.createInsecure());
}

const call = <T>(c: PlainClient, method: string, req: unknown) =>
  new Promise<T>((resolve, reject) => c[method](req, (e, r) => (e ? reject(e) : resolve(r as T))));

describe('Triton gRPC with a plain @grpc/grpc-js client', () => {
  it('ModelInfer with raw_input_contents returns raw_output_contents (FP32 little-endian)', async () => {
    const c = plainClient();
    try {
      const px = pixels(2, 3);
      const res = await call<{
        model_name: string;
        model_version: string;
        id: string;
        outputs: Array<{ name: string; datatype: string; shape: string[] }>;
        raw_output_contents: Buffer[];
      }>(c, 'ModelInfer', {
        model_name: 'resnet50',
        id: 'g1',
        inputs: [{ name: 'input', datatype: 'FP32', shape: [2, 3, 224, 224] }],
        raw_input_contents: [Buffer.from(px.buffer)],
      });
      assert.equal(res.model_name, 'resnet50');
      assert.equal(res.model_version, '1');
      assert.equal(res.id, 'g1');
      assert.deepEqual(
        res.outputs.map((o) => [o.name, o.datatype, o.shape]),
        [['output', 'FP32', ['2', '1000']]],
      );
      assert.equal(res.raw_output_contents.length, 1);
      const raw = res.raw_output_contents[0];
      assert.equal(raw.length, 2 * 1000 * 4);
      const expected = new ImageModel('resnet50', 42, 0).classifyTensor(px, 2);
      for (const i of [0, 1, 999, 1000, 1999]) assert.equal(raw.readFloatLE(i * 4), expected[i]);
    } finally {
      c.close();
    }
  });

  it('ModelStreamInfer answers every request on the stream, with triton_final_response', async () => {
    const c = plainClient();
    try {
      const stream = c.ModelStreamInfer();
      const got: Array<Record<string, unknown>> = [];
      const done = new Promise<void>((resolve, reject) => {
        stream.on('data', (d: Record<string, unknown>) => got.push(d));
        stream.on('end', resolve);
        stream.on('error', reject);
      });
      for (const [i, text] of ['alpha', 'beta', 'gamma'].entries()) {
        stream.write({
          model_name: 'mini-embed',
          id: `s${i}`,
          inputs: [{ name: 'text', datatype: 'BYTES', shape: [1] }],
          raw_input_contents: [Buffer.concat([Buffer.from([text.length, 0, 0, 0]), Buffer.from(text)])],
        });
      }
      stream.write({ model_name: 'nope', id: 'bad', inputs: [] });
      stream.end();
      await done;
      assert.equal(got.length, 4);
      const errors = got.filter((g) => g.error_message);
      assert.deepEqual(
        errors.map((e) => e.error_message),
        ["Request for unknown model: 'nope' is not found"],
      );
      const ok = got
        .filter((g) => !g.error_message)
        .map(
          (g) =>
            g.infer_response as {
              id: string;
              raw_output_contents: Buffer[];
              parameters: Record<string, { bool_param: boolean }>;
            },
        );
      assert.deepEqual(ok.map((r) => r.id).sort(), ['s0', 's1', 's2']);
      const embed = new EmbeddingModel('mini-embed', 42, 0, undefined, 16);
      for (const r of ok) {
        assert.equal(r.parameters.triton_final_response.bool_param, true);
        const text = ['alpha', 'beta', 'gamma'][Number(r.id.slice(1))];
        assert.equal(r.raw_output_contents[0].readFloatLE(0), embed.embed(text)[0]);
      }
    } finally {
      c.close();
    }
  });

  it('health, metadata and unknown-model status codes', async () => {
    const c = plainClient();
    try {
      assert.deepEqual(await call(c, 'ServerLive', {}), { live: true });
      assert.deepEqual(await call(c, 'ServerReady', {}), { ready: true });
      assert.deepEqual(await call(c, 'ModelReady', { name: 'resnet50' }), { ready: true });
      const md = await call<{ name: string; extensions: string[] }>(c, 'ServerMetadata', {});
      assert.equal(md.name, 'triton');
      const mm = await call<{ platform: string; inputs: Array<{ name: string; shape: string[] }> }>(
        c,
        'ModelMetadata',
        { name: 'resnet50' },
      );
      assert.equal(mm.platform, 'simulated');
      assert.deepEqual(mm.inputs[0].shape, ['-1', '3', '224', '224']);
      // Triton 2.51 (seen on the real one): NOT_FOUND for an unknown model, and ModelReady answers ready: false.
      for (const rpc of ['ModelMetadata', 'ModelInfer'])
        await assert.rejects(
          call(c, rpc, rpc === 'ModelInfer' ? { model_name: 'nope', inputs: [] } : { name: 'nope' }),
          (e: grpc.ServiceError) =>
            e.code === grpc.status.NOT_FOUND && e.details === "Request for unknown model: 'nope' is not found",
        );
      await assert.rejects(
        call(c, 'ModelMetadata', { name: 'resnet50', version: '7' }),
        (e: grpc.ServiceError) =>
          e.code === grpc.status.NOT_FOUND &&
          e.details === "Request for unknown model: 'resnet50' version 7 is not found",
      );
      assert.deepEqual(await call(c, 'ModelReady', { name: 'nope' }), { ready: false });
    } finally {
      c.close();
    }
  });
});

describe('Triton gRPC through createInferenceClient', () => {
  it('typed contents in, raw contents out; decoded with the shared codecs', async () => {
    const req: ModelInferRequest = {
      model_name: 'mini-embed',
      ...encodeGrpcInputs(
        [{ name: 'text', datatype: 'BYTES', shape: [2, 1], values: [Buffer.from('a b'), Buffer.from('c d')] }],
        false,
      ),
    };
    const res = await client.modelInfer(req);
    assert.equal(res.raw_output_contents!.length, 1);
    const [out] = decodeGrpcOutputs(res);
    assert.deepEqual(out.shape, [2, 16]);
    assert.equal(out.values.length, 32);
  });

  it('returns INVALID_ARGUMENT for bad tensors, as a GrpcCallError with the server message', async () => {
    const req: ModelInferRequest = {
      model_name: 'resnet50',
      inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 3, 224, 224] }],
      raw_input_contents: [Buffer.alloc(12)],
    };
    await assert.rejects(
      client.modelInfer(req),
      (e: unknown) =>
        e instanceof GrpcCallError &&
        e.code === grpc.status.INVALID_ARGUMENT &&
        /12 bytes of FP32 data for shape \[1,3,224,224\], expected 602112/.test(e.message),
    );
  });

  it('streams with our wrapper; in-band errors are yielded, not thrown', async () => {
    async function* requests(): AsyncGenerator<ModelInferRequest> {
      yield {
        model_name: 'mini-embed',
        id: 'x',
        ...encodeGrpcInputs([{ name: 'text', datatype: 'BYTES', shape: [1], values: [Buffer.from('x')] }]),
      };
      yield {
        model_name: 'mini-embed',
        id: 'y',
        inputs: [{ name: 'text', datatype: 'INT32', shape: [1] }],
        raw_input_contents: [Buffer.alloc(4)],
      };
    }
    const got: ModelStreamInferResponse[] = [];
    for await (const r of client.modelStreamInfer(requests())) got.push(r);
    assert.equal(got.length, 2);
    assert.match(
      got.find((g) => g.error_message)!.error_message!,
      /data-type is 'INT32', but model 'mini-embed' expects 'BYTES'/,
    );
    assert.equal(got.find((g) => !g.error_message)!.infer_response!.id, 'x');
  });

  it('a model that is not decoupled sends one final response, even when asked for the empty final one', async () => {
    // Triton 2.51 (the real tier's PyTriton "text" model, asked with triton_enable_empty_final_response: true) sent
    // one response with its outputs and triton_final_response true, and nothing after it.
    const req: ModelInferRequest = {
      model_name: 'mini-embed',
      parameters: { triton_enable_empty_final_response: { bool_param: true } },
      ...encodeGrpcInputs([{ name: 'text', datatype: 'BYTES', shape: [1], values: [Buffer.from('x')] }]),
    };
    const got: ModelStreamInferResponse[] = [];
    for await (const r of client.modelStreamInfer([req])) got.push(r);
    assert.deepEqual(
      got.map((g) => [
        g.infer_response!.outputs.length > 0,
        g.infer_response!.parameters!.triton_final_response.bool_param,
      ]),
      [[true, true]],
    );
  });

  it('statistics, repository index and the standard health service', async () => {
    const stats = await client.modelStatistics({ name: 'mini-embed' });
    assert.equal(stats.model_stats[0].name, 'mini-embed');
    assert.ok(stats.model_stats[0].inference_stats.success.count >= 3);
    // The requests refused by validation earlier in this file are not failures, as in Triton 2.51.
    assert.equal(stats.model_stats[0].inference_stats.fail.count, 0);
    const index = await client.repositoryIndex({});
    assert.deepEqual(
      index.models.map((m) => [m.name, m.state]),
      [
        ['resnet50', 'READY'],
        ['mini-embed', 'READY'],
        ['words', 'READY'],
      ],
    );
    const def = protoLoader.loadSync(path.resolve('src/core/proto/health.proto'), { keepCase: true, enums: String });
    const Health = (
      grpc.loadPackageDefinition(def) as unknown as {
        grpc: { health: { v1: { Health: new (a: string, c: grpc.ChannelCredentials) => PlainClient } } };
      }
    ).grpc.health.v1.Health;
    const h = new Health(address, grpc.credentials.createInsecure());
    try {
      assert.deepEqual(await call(h, 'Check', { service: '' }), { status: 'SERVING' });
      await assert.rejects(
        call(h, 'Check', { service: 'other' }),
        (e: grpc.ServiceError) => e.code === grpc.status.NOT_FOUND,
      );
    } finally {
      h.close();
    }
  });

  it('cancelling a call through its AbortSignal rejects with kind "cancelled"', async () => {
    const ctrl = new AbortController();
    const p = client.modelInfer(
      {
        model_name: 'resnet50',
        ...encodeGrpcInputs([{ name: 'image', datatype: 'BYTES', shape: [1], values: [Buffer.from('x')] }]),
      },
      { signal: ctrl.signal },
    );
    ctrl.abort();
    await assert.rejects(p, (e: unknown) => e instanceof GrpcCallError && e.kind === 'cancelled');
  });
});

describe('Triton gRPC stream lifecycle', () => {
  it('a stream cancelled mid-way ends with kind "cancelled" and keeps what already arrived', async () => {
    const s = client.openModelStream();
    const req = (id: string): ModelInferRequest => ({
      model_name: 'mini-embed',
      id,
      ...encodeGrpcInputs([{ name: 'text', datatype: 'BYTES', shape: [1], values: [Buffer.from(id)] }]),
    });
    await s.send(req('first'));
    const got: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const r of s.responses) {
          got.push(r.infer_response!.id!);
          s.cancel();
        }
      })(),
      (e: unknown) => e instanceof GrpcCallError && e.kind === 'cancelled',
    );
    assert.deepEqual(got, ['first']);
    // The server is still healthy afterwards.
    assert.deepEqual(await client.serverLive(), { live: true });
  });
});
