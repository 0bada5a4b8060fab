/**
 * The embedded Triton's decoupled model "words", on the embedded server alone, with the values the real PyTriton
 * "words" model (test/real/models/pytriton_server.py, Triton 2.51) gave on the wire:
 * - config: max_batch_size 0, dims [1], no dynamic batcher, `model_transaction_policy: {decoupled: true}`;
 * - ModelStreamInfer: one response per word ("word" BYTES [1] with the space before it, "index" INT32 [1]), each
 *   with `triton_final_response: false`; no final response unless the request asks for the empty one, which then
 *   carries the model name and id only; an in-band error's response carries the request id only;
 * - REST infer 501 (text/plain) and unary ModelInfer UNIMPLEMENTED, neither counted as a failure;
 * - each response timed as a token of the text latency model (prefill, then a decode step per word).
 * Then the Servers tree's node for it and the request panel's first draft from that node (a gRPC stream).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { performance } from 'node:perf_hooks';
import { buildWire } from '../../../../src/core/request/build/build';
import { loadMetadata, draftFor } from '../../../../src/core/request/drafts';
import { requestServerOf, targetFromArg, type RequestServers } from '../../../../src/core/request/requestServers';
import { executeWire } from '../../../../src/core/request/transport/execute';
import { createAdapter } from '../../../../src/core/servers/registry';
import { probeServer } from '../../../../src/core/servers/probeServer';
import { configuredServer } from '../../../../src/core/servers/view/identities';
import { serverNode } from '../../../../src/core/servers/view/serverNodes';
import { fromSnapshot } from '../../../../src/core/servers/view/viewState';
import { walk } from '../../../../src/core/servers/view/viewNode';
import { json, rawRequest, tensorServer } from './helpers';

/** Exact text timing (no jitter), slow enough to see each step. */
const TEXT = { prefillBaseMs: 40, prefillPerTokenMs: 0, decodePerTokenMs: 30, jitter: 0 };
const server = tensorServer(['triton'], {
  models: [
    { name: 'mini-embed', kind: 'embedding', dimensions: 16, latency: { batchBaseMs: 1, perItemMs: 0, jitter: 0 } },
    { name: 'tiny-llm', kind: 'text-generation', latency: TEXT },
  ],
  faults: { slowStartMs: 0 },
});
let base = '';
let metricsBase = '';
let address = '';

before(async () => {
  const e = await server.start();
  [base, metricsBase, address] = [e.triton, e.tritonMetrics, e.tritonGrpc];
});
after(() => server.stop());

type Msg = Record<string, unknown>;
type Stub = grpc.Client & {
  ModelStreamInfer(): grpc.ClientDuplexStream<unknown, Msg>;
  ModelInfer(req: unknown, cb: (e: grpc.ServiceError | null, r: Msg) => void): void;
};

/** A client from the .proto with `defaults: false`: a field the server left out is absent from the decoded object. */
function stub(): Stub {
  const def = protoLoader.loadSync(path.resolve('src/core/proto/grpc_service.proto'), {
    keepCase: true,
    longs: Number,
    defaults: false,
    oneofs: false,
  });
  const pkg = grpc.loadPackageDefinition(def) as unknown as {
    inference: { GRPCInferenceService: new (a: string, c: grpc.ChannelCredentials) => Stub };
  };
  return new pkg.inference.GRPCInferenceService(address, grpc.credentials.createInsecure());
}

const request = (text: string, extra: Msg = {}) => ({
  model_name: 'words',
  inputs: [{ name: 'text', datatype: 'BYTES', shape: [1], contents: { bytes_contents: [Buffer.from(text)] } }],
  ...extra,
});

/** Every response of one ModelStreamInfer request, with its arrival time (ms after sending). */
async function stream(req: Msg): Promise<Array<{ at: number; msg: Msg }>> {
  const c = stub();
  try {
    const s = c.ModelStreamInfer();
    const got: Array<{ at: number; msg: Msg }> = [];
    const t0 = performance.now();
    const done = new Promise<void>((resolve, reject) => {
      s.on('data', (msg: Msg) => got.push({ at: performance.now() - t0, msg }));
      s.on('end', resolve);
      s.on('error', reject);
    });
    s.write(req);
    s.end();
    await done;
    return got;
  } finally {
    c.close();
  }
}

/** A streamed response's outputs by name: [datatype, shape, value] (BYTES with its 4-byte length, INT32 LE). */
function outputsOf(msg: Msg): Record<string, [string, number[], string | number]> {
  const r = msg.infer_response as { outputs: Array<Msg>; raw_output_contents: Buffer[] };
  return Object.fromEntries(
    r.outputs.map((o, i) => {
      const raw = r.raw_output_contents[i];
      const value = o.datatype === 'BYTES' ? raw.subarray(4, 4 + raw.readUInt32LE(0)).toString() : raw.readInt32LE(0);
      return [o.name as string, [o.datatype as string, o.shape as number[], value]];
    }),
  );
}

const counters = async () => {
  const text = (await rawRequest(`${metricsBase}/metrics`)).body.toString();
  const read = (family: string, labels = 'model="words",version="1"') =>
    Number(new RegExp(`^${family}\\{${labels}\\} (\\S+)$`, 'm').exec(text)?.[1]);
  return {
    success: read('nv_inference_request_success'),
    failure: read('nv_inference_request_failure', 'model="words",reason="OTHER",version="1"'),
    count: read('nv_inference_count'),
    exec: read('nv_inference_exec_count'),
  };
};

describe('embedded Triton: the decoupled model "words"', () => {
  it('config, metadata and readiness as Triton gives them for a decoupled model without batching', async () => {
    const config = json(await rawRequest(`${base}/v2/models/words/config`)) as Msg;
    assert.deepEqual(config.model_transaction_policy, { decoupled: true });
    assert.equal(config.max_batch_size, 0);
    assert.equal('dynamic_batching' in config, false);
    assert.deepEqual(
      (config.input as Msg[]).map((i) => [i.name, i.data_type, i.dims, 'reshape' in i]),
      [['text', 'TYPE_STRING', [1], false]],
    );
    assert.deepEqual(
      (config.output as Msg[]).map((o) => [o.name, o.data_type, o.dims]),
      [
        ['word', 'TYPE_STRING', [1]],
        ['index', 'TYPE_INT32', [1]],
      ],
    );
    // The other models say nothing of a transaction policy (as Triton's config of a non-decoupled model).
    assert.equal(
      'model_transaction_policy' in (json(await rawRequest(`${base}/v2/models/mini-embed/config`)) as Msg),
      false,
    );
    assert.deepEqual(json(await rawRequest(`${base}/v2/models/words`)), {
      name: 'words',
      versions: ['1'],
      platform: 'simulated',
      inputs: [{ name: 'text', datatype: 'BYTES', shape: [1] }],
      outputs: [
        { name: 'word', datatype: 'BYTES', shape: [1] },
        { name: 'index', datatype: 'INT32', shape: [1] },
      ],
    });
    assert.equal((await rawRequest(`${base}/v2/models/words/ready`)).status, 200);
  });

  it('REST infer answers 501 and unary ModelInfer UNIMPLEMENTED, with the server messages; neither counts', async () => {
    const before = await counters();
    // Refused before the body is read: even a body that is not JSON gets the 501.
    for (const body of ['{"inputs":[{"name":"text","datatype":"BYTES","shape":[1],"data":["a b"]}]}', 'garbage']) {
      const r = await rawRequest(`${base}/v2/models/words/infer`, { method: 'POST', body });
      assert.equal(r.status, 501);
      assert.equal(r.headers['content-type'], 'text/plain');
      assert.equal(
        r.body.toString(),
        '{"error":"HTTP end point doesn\'t support models with decoupled transaction policy"}',
      );
    }
    const c = stub();
    try {
      const err = await new Promise<grpc.ServiceError | null>((resolve) =>
        c.ModelInfer(request('a b'), (e) => resolve(e)),
      );
      assert.equal(err?.code, grpc.status.UNIMPLEMENTED);
      assert.equal(err?.details, "ModelInfer RPC doesn't support models with decoupled transaction policy");
    } finally {
      c.close();
    }
    assert.deepEqual(await counters(), before);
  });

  it('ModelStreamInfer: one response per word with its index, none final, each a decode step after the prefill', async () => {
    const before = await counters();
    const got = await stream(request('hello real triton streaming', { id: 'r1' }));
    assert.deepEqual(
      got.map((g) => outputsOf(g.msg)),
      ['hello', ' real', ' triton', ' streaming'].map((w, i) => ({
        word: ['BYTES', [1], w],
        index: ['INT32', [1], i],
      })),
    );
    for (const { msg } of got) {
      const r = msg.infer_response as Msg;
      assert.equal('error_message' in msg, false, 'no error_message field at all');
      assert.deepEqual([r.model_name, r.model_version, r.id], ['words', '1', 'r1']);
      assert.deepEqual(r.parameters, { triton_final_response: { bool_param: false } });
    }
    // Prefill 40 ms, then 30 ms per word: response i is due 40 + 30 i ms after the request reached the server (timers
    // never fire early by more than 0.5 ms; load only delays them).
    got.forEach((g, i) =>
      assert.ok(g.at >= 40 + 30 * i - 0.5, `response ${i} at ${got.map((x) => x.at.toFixed(1)).join(', ')} ms`),
    );
    const after = await counters();
    assert.deepEqual(
      [after.success - before.success, after.count - before.count, after.exec - before.exec, after.failure],
      [1, 1, 1, before.failure],
    );
    const stats = (json(await rawRequest(`${base}/v2/models/words/stats`)) as { model_stats: Msg[] }).model_stats[0];
    const inference = stats.inference_stats as Record<string, { count: number; ns: number }>;
    // Compute is the prefill and three decode steps: at least 40 + 3 × 30 ms.
    assert.ok(inference.compute_infer.ns >= 129e6, `compute_infer ${inference.compute_infer.ns} ns`);
  });

  it('triton_enable_empty_final_response adds one empty final response: model name and id only', async () => {
    const got = await stream(
      request('a b', { id: 'r2', parameters: { triton_enable_empty_final_response: { bool_param: true } } }),
    );
    assert.equal(got.length, 3);
    assert.deepEqual(
      got.slice(0, 2).map((g) => outputsOf(g.msg).word[2]),
      ['a', ' b'],
    );
    assert.deepEqual(got[2].msg, {
      infer_response: {
        model_name: 'words',
        id: 'r2',
        parameters: { triton_final_response: { bool_param: true } },
      },
    });
  });

  it('requested outputs only; an unknown one is an in-band error whose response carries the id only', async () => {
    const only = await stream(request('x y', { id: 'r3', outputs: [{ name: 'index' }] }));
    assert.deepEqual(
      only.map((g) => outputsOf(g.msg)),
      [{ index: ['INT32', [1], 0] }, { index: ['INT32', [1], 1] }],
    );
    const bad = await stream(request('x y', { id: 'r4', outputs: [{ name: 'nope' }] }));
    assert.deepEqual(
      bad.map((g) => g.msg),
      [
        {
          error_message: "unexpected inference output 'nope' for model 'words'",
          infer_response: { id: 'r4' },
        },
      ],
    );
    const shape = await stream({ ...request('x'), inputs: [{ ...request('x').inputs[0], shape: [1, 1] }] });
    assert.equal(
      shape[0].msg.error_message,
      "[request id: <id_unknown>] unexpected shape for input 'text' for model 'words'. Expected [1], got [1,1]. ",
    );
  });

  it('the Servers tree lists it; New Request on its node drafts a gRPC stream that shows every word', async () => {
    const { identity, config } = configuredServer({ id: 'e', name: 'embedded', url: base, grpcAddress: address });
    const state = fromSnapshot(identity, await probeServer(config, { timeoutMs: 10_000 }));
    const root = serverNode(state);
    const models = [...walk([root])].filter(({ node }) => node.role === 'model').map(({ node }) => node);
    assert.deepEqual(
      models.map((n) => `${n.label} = ${n.description}`),
      ['mini-embed = ready · v1', 'words = ready · v1'],
    );
    // The panel as the host opens it from the node: the node's id resolved to a target, then the model's metadata.
    const adapter = createAdapter('triton', config);
    const rs = requestServerOf({ identity, config }, state);
    const servers: RequestServers = {
      list: () => [rs],
      find: (k) => (k === rs.key || k === rs.target.serverId ? rs : undefined),
      metadata: (_k, m) => adapter.modelMetadata(m),
      refresh: () => Promise.resolve(),
    };
    const target = targetFromArg({ id: models[1].id }, servers);
    assert.ok(target);
    assert.deepEqual([target.model, target.grpcAddress], ['words', address]);
    const { metadata } = await loadMetadata(servers, rs.key, target);
    assert.equal(metadata?.properties?.decoupled, true);
    const { draft } = draftFor(target, undefined, metadata);
    assert.equal(draft.kserveTransport, 'grpc-stream');
    const edited = { ...draft, tensors: draft.tensors?.map((t) => ({ ...t, data: '["one two three"]' })) };
    const result = await executeWire(
      await buildWire(edited, target, { hasApiKey: false, readFile: () => Promise.reject(new Error('no files')) }),
    );
    assert.equal(result.ok, true, result.error?.message);
    const messages = result.views.find((v) => v.type === 'messages');
    assert.equal(messages?.type === 'messages' && messages.items.length, 3);
    const generation = result.views.find((v) => v.type === 'generation');
    assert.equal(generation?.type === 'generation' && generation.text, 'one two three');
    assert.equal(result.stream?.tokenCount, 3);
  });
});

describe('embedded Triton: which servers have "words"', () => {
  it('none without a text-generation model (its timing), nor when `models` leaves it out', async () => {
    for (const config of [
      { models: [{ name: 'resnet50', kind: 'image-classification' as const }] },
      { personalities: { triton: { models: ['resnet50', 'tiny-llm'] } } },
    ]) {
      const s = tensorServer(['triton'], config);
      const e = await s.start();
      try {
        const index = json(await rawRequest(`${e.triton}/v2/repository/index`, { method: 'POST', body: '' }));
        assert.deepEqual(
          (index as Msg[]).map((m) => m.name),
          ['resnet50'],
        );
      } finally {
        await s.stop();
      }
    }
  });
});
