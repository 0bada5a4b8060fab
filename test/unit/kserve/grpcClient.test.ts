/**
 * The shared gRPC client's edges: address parsing, refused connections,
 * deadlines, client-wide cancellation and server-chosen statuses, against
 * a throwaway grpc-js server registered with our helper.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { InferenceError } from '../../../src/core/http/errors';
import { createInferenceClient, parseGrpcAddress } from '../../../src/core/proto/grpcInference';
import { GrpcCallError, GrpcStatusError } from '../../../src/core/proto/grpcErrors';
import {
  addInferenceService,
  bindGrpcServer,
  type InferenceServiceHandlers,
} from '../../../src/core/proto/inferenceServer';

const server = new grpc.Server();
let address = '';
const slow = () => new Promise<never>(() => {});
const handlers: InferenceServiceHandlers = {
  serverLive: () => ({ live: true }),
  serverReady: slow,
  modelReady: () => {
    throw new GrpcStatusError(grpc.status.NOT_FOUND, 'no such model');
  },
  serverMetadata: () => {
    throw new Error('boom');
  },
  modelMetadata: slow,
  modelInfer: slow,
  modelStatistics: () => ({ model_stats: [] }),
  repositoryIndex: () => ({ models: [] }),
  async *modelStreamInfer() {},
};

before(async () => {
  addInferenceService(server, handlers);
  address = `127.0.0.1:${await bindGrpcServer(server, '127.0.0.1', 0)}`;
});
after(() => server.forceShutdown());

describe('gRPC inference client', () => {
  it('parses host:port, grpc:// and grpcs:// addresses and rejects others clearly', () => {
    assert.deepEqual(parseGrpcAddress('127.0.0.1:8001'), { target: '127.0.0.1:8001', tls: false });
    assert.deepEqual(parseGrpcAddress('grpcs://triton.local:443/'), { target: 'triton.local:443', tls: true });
    assert.deepEqual(parseGrpcAddress('http://[::1]:8001'), { target: '[::1]:8001', tls: false });
    for (const bad of ['localhost', 'http://x:99999', 'a b:1', '']) {
      assert.throws(
        () => parseGrpcAddress(bad),
        (e: unknown) => e instanceof InferenceError && e.kind === 'invalid-url' && /Expected host:port/.test(e.message),
      );
    }
  });

  it('maps server statuses: a chosen code keeps its details, a thrown error is INTERNAL', async () => {
    const c = createInferenceClient(address);
    try {
      assert.deepEqual(await c.serverLive(), { live: true });
      await assert.rejects(
        c.modelReady({ name: 'x' }),
        (e: unknown) =>
          e instanceof GrpcCallError &&
          e.code === grpc.status.NOT_FOUND &&
          e.kind === 'http' &&
          e.serverMessage === 'no such model',
      );
      await assert.rejects(
        c.serverMetadata(),
        (e: unknown) => e instanceof GrpcCallError && e.code === grpc.status.INTERNAL && /boom/.test(e.message),
      );
    } finally {
      c.close();
    }
  });

  it('a deadline gives kind "timeout"; aborting the client-wide signal cancels calls in flight', async () => {
    const c = createInferenceClient(address, { deadlineMs: 100 });
    await assert.rejects(c.serverReady(), (e: unknown) => e instanceof GrpcCallError && e.kind === 'timeout');
    c.close();
    const ctrl = new AbortController();
    const d = createInferenceClient(address, { signal: ctrl.signal });
    const p = d.modelMetadata({ name: 'm' });
    setTimeout(() => ctrl.abort(), 50);
    await assert.rejects(p, (e: unknown) => e instanceof GrpcCallError && e.kind === 'cancelled');
    await assert.rejects(
      d.modelInfer({ model_name: 'm', inputs: [] }),
      (e: unknown) => e instanceof GrpcCallError && e.kind === 'cancelled',
    );
  });

  it('a closed port is "connection-refused" with a hint, not a stack trace', async () => {
    const probe = new grpc.Server();
    const port = await bindGrpcServer(probe, '127.0.0.1', 0);
    probe.forceShutdown();
    const c = createInferenceClient(`127.0.0.1:${port}`, { deadlineMs: 5000 });
    try {
      await assert.rejects(
        c.serverLive(),
        (e: unknown) =>
          e instanceof GrpcCallError && e.kind === 'connection-refused' && /is the server running/.test(e.message),
      );
    } finally {
      c.close();
    }
  });
});
