import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { GrpcStatusError } from '../../../src/core/proto/grpcErrors';
import {
  addInferenceService,
  bindGrpcServer,
  type InferenceServiceHandlers,
} from '../../../src/core/proto/inferenceServer';
import { probeServer } from '../../../src/core/servers/probeServer';
import { createAdapter } from '../../../src/core/servers/registry';
import { closedPort, configFor, replay } from './helpers';

const unimplemented = () => {
  throw new GrpcStatusError(grpc.status.UNIMPLEMENTED, 'not in this test server');
};
let ready = true;
let seenAuth: string | undefined;
const handlers: InferenceServiceHandlers = {
  serverLive: () => ({ live: true }),
  serverReady: (_r, ctx) => {
    seenAuth = ctx.metadata.authorization;
    return { ready };
  },
  modelReady: () => ({ ready }),
  serverMetadata: () => ({ name: 'kserve', version: '0.15.2', extensions: ['model_repository_extension'] }),
  modelMetadata: (req) => {
    if (req.name !== 'sklearn-iris')
      throw new GrpcStatusError(grpc.status.NOT_FOUND, `Model with name ${req.name} does not exist.`);
    return {
      name: 'sklearn-iris',
      versions: [],
      platform: '',
      inputs: [{ name: 'input-0', datatype: 'FP64', shape: [-1, 4] }],
      outputs: [{ name: 'output-0', datatype: 'INT64', shape: [-1] }],
      properties: { framework: 'sklearn' },
    };
  },
  modelInfer: unimplemented,
  modelStatistics: unimplemented,
  repositoryIndex: unimplemented,
  modelStreamInfer: () => ({
    [Symbol.asyncIterator]: () => ({
      next: () => Promise.reject(new GrpcStatusError(grpc.status.UNIMPLEMENTED, 'not in this test server')),
    }),
  }),
};

const server = new grpc.Server();
let address = '';

before(async () => {
  addInferenceService(server, handlers);
  address = `127.0.0.1:${await bindGrpcServer(server, '127.0.0.1', 0)}`;
});

after(() => server.forceShutdown());

test('KServe v2 gRPC: health and server metadata through the shared client, with the bearer key as metadata', async () => {
  const a = createAdapter('kserve', {
    id: 'k',
    name: 'k',
    url: 'http://127.0.0.1:1',
    grpcAddress: address,
    apiKey: 'tok-1',
  });
  const g = a.grpc?.();
  assert.ok(g);
  ready = true;
  assert.deepEqual(await g.health(), { live: true, ready: true, detail: undefined });
  assert.equal(seenAuth, 'Bearer tok-1');
  ready = false;
  assert.deepEqual(await g.health(), { live: true, ready: false, detail: `gRPC ServerReady → false (${address})` });
  assert.deepEqual(await g.serverMetadata(), {
    name: 'kserve',
    version: '0.15.2',
    extensions: ['model_repository_extension'],
  });
});

test('KServe v2 gRPC: model metadata with shapes and properties; an unknown model is a NOT_FOUND error', async () => {
  const g = createAdapter('kserve', { id: 'k', name: 'k', url: 'http://127.0.0.1:1', grpcAddress: address }).grpc!()!;
  const m = await g.modelMetadata('sklearn-iris');
  assert.deepEqual(m.inputs, [{ name: 'input-0', datatype: 'FP64', shape: [-1, 4] }]);
  assert.deepEqual(m.properties, { framework: 'sklearn' });
  await assert.rejects(g.modelMetadata('ghost'), /NOT_FOUND.*Model with name ghost does not exist/);
});

test('the prober adds gRPC health when a gRPC address is configured, and reports a dead gRPC port without failing the server', async () => {
  ready = true;
  const r = await replay('kserve', 'ready');
  const ok = await probeServer(configFor(r, { grpcAddress: address }));
  assert.equal(ok.status, 'ready');
  assert.deepEqual(ok.grpc, { live: true, ready: true });
  const dead = await probeServer(configFor(r, { grpcAddress: `127.0.0.1:${await closedPort()}` }));
  assert.equal(dead.status, 'ready');
  assert.ok(dead.grpc && 'error' in dead.grpc && /refused|connect/i.test(dead.grpc.error), JSON.stringify(dead.grpc));
  // HTTP-only kinds have no gRPC side.
  assert.equal(createAdapter('vllm', configFor(r)).grpc, undefined);
});
