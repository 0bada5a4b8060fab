/**
 * A KServe v2 server added by its HTTP URL alone: its gRPC address is taken to be the HTTP port + 1 (Triton
 * 8000/8001, KServe and MLServer 8080/8081) once gRPC answers there, so the request panel's gRPC transport and Copy
 * as grpcurl work without editing the server; when nothing answers, the tree says so and requests stay on REST.
 * Against the embedded Triton on consecutive ports (HTTP P, gRPC P + 1), and the same Triton behind an HTTP proxy
 * whose next port is closed.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { closeHttpPools } from '../../../src/core/http/client';
import { copyAs } from '../../../src/core/request/copyAs/copyAs';
import { buildWire } from '../../../src/core/request/build/build';
import { tritonOptionalInputs, withoutOptionalInputs } from '../../../src/core/request/build/optionalInputs';
import { defaultDraft } from '../../../src/core/request/build/templates';
import { requestServerOf } from '../../../src/core/request/requestServers';
import { executeWire } from '../../../src/core/request/transport/execute';
import { derivedGrpcAddress } from '../../../src/core/servers/adapters/oipGrpc';
import { formatProbeReport, probeReport } from '../../../src/core/servers/probeReport';
import { probeServer } from '../../../src/core/servers/probeServer';
import type { ServerSnapshot } from '../../../src/core/servers/snapshot';
import { createAdapter } from '../../../src/core/servers/registry';
import { configuredServer } from '../../../src/core/servers/view/identities';
import { serverNode } from '../../../src/core/servers/view/serverNodes';
import { walk } from '../../../src/core/servers/view/viewNode';
import { fromSnapshot } from '../../../src/core/servers/view/viewState';
import type { RequestResult } from '../../../src/shared/request';
import { recordingProxy, startEmbedded } from '../request/helpers';

const canListen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

/** A port P with P + 1 and P + 2 free as well (the embedded Triton's HTTP, gRPC and metrics ports). */
async function freeBlock(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const p = (s.address() as AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    if (p < 65000 && (await canListen(p)) && (await canListen(p + 1)) && (await canListen(p + 2))) return p;
  }
  throw new Error('no block of 3 free ports');
}

/** The Servers view's state, tree and request server for a server added by URL only (kind detected). */
async function addedByUrl(url: string) {
  const tree = configuredServer({ id: 'added', name: 'added', url });
  const snap = await probeServer(tree.config, { timeoutMs: 3000 });
  const state = fromSnapshot(tree.identity, snap);
  const endpoints = [...walk([serverNode(state)])]
    .filter(({ node }) => node.role === 'endpoint')
    .map(({ node }) => `${node.label}: ${node.description}`);
  return { snap, state, endpoints, rs: requestServerOf(tree, state) };
}

/** resnet50's metadata as the panel's first draft uses it (without Triton's optional "image" input). */
async function firstDraftMeta(url: string) {
  const meta = await createAdapter('triton', { id: 't', name: 't', url }).modelMetadata('resnet50');
  return withoutOptionalInputs(meta, await tritonOptionalInputs(url, 'resnet50'));
}

/** The CLI's `probe` text for a snapshot (detection recognized Triton). */
const report = (snap: ServerSnapshot) =>
  formatProbeReport(snap.url, probeReport({ kind: 'triton', outcome: 'recognized', evidence: '', seen: {} }, snap));

const tensorsOf = (r: RequestResult) => {
  const v = r.views.find((x) => x.type === 'tensors');
  assert.ok(v && v.type === 'tensors', `${r.error?.message ?? ''} views ${r.views.map((x) => x.type).join(',')}`);
  return v.tensors.map((t) => [t.name, t.shape, t.rows]);
};

describe('derivedGrpcAddress: the HTTP port + 1, only for a plain http://host:port URL', () => {
  it('values', () => {
    assert.deepEqual(
      [
        'http://127.0.0.1:8000',
        'http://triton.local:8080/',
        'http://[::1]:8000',
        'https://triton.local:8000',
        'http://triton.local',
        'http://gw:80/triton',
        'http://h:65535',
        'not a url',
      ].map(derivedGrpcAddress),
      ['127.0.0.1:8001', 'triton.local:8081', '[::1]:8001', undefined, undefined, undefined, undefined, undefined],
    );
  });
});

describe('Triton added by its HTTP URL: gRPC at the HTTP port + 1', () => {
  let emb: Awaited<ReturnType<typeof startEmbedded>>;
  let port: number;
  before(async () => {
    port = await freeBlock();
    emb = await startEmbedded(['triton'], { personalities: { triton: { port } } });
    assert.deepEqual(
      [emb.endpoints.triton, emb.endpoints.tritonGrpc],
      [`http://127.0.0.1:${port}`, `127.0.0.1:${port + 1}`],
    );
  });
  after(async () => {
    await emb.stop();
    await closeHttpPools();
  });

  it('the probe confirms gRPC there; the tree and the CLI report show it; the request panel sends over it', async () => {
    const { snap, state, endpoints, rs } = await addedByUrl(`http://127.0.0.1:${port}`);
    const address = `127.0.0.1:${port + 1}`;
    assert.deepEqual(
      [snap.kind, snap.grpcDerived, snap.grpc],
      ['triton', { address, answered: true, note: 'found at the HTTP port + 1' }, { live: true, ready: true }],
    );
    assert.equal(state.grpcAddress, address);
    assert.deepEqual(endpoints, [
      `HTTP: http://127.0.0.1:${port}`,
      `gRPC: ${address} · live, ready · found at the HTTP port + 1`,
    ]);
    assert.match(report(snap), new RegExp(`gRPC: ${address}, found at the HTTP port \\+ 1: live, ready`));
    // New Request on the server's resnet50: the same first draft over REST and over gRPC gives the same tensors.
    const target = { ...rs.target, model: 'resnet50' };
    assert.equal(target.grpcAddress, address);
    const draft = defaultDraft('kserve-infer', target, await firstDraftMeta(target.baseUrl));
    const ctx = { hasApiKey: false, readFile: async () => Buffer.alloc(0) };
    const rest = await executeWire(await buildWire(draft, target, ctx));
    const grpcWire = await buildWire({ ...draft, kserveTransport: 'grpc' }, target, ctx);
    assert.deepEqual([grpcWire.transport, 'address' in grpcWire && grpcWire.address], ['grpc', address]);
    const grpc = await executeWire(grpcWire);
    assert.equal(grpc.ok, true, grpc.error?.message);
    assert.deepEqual(tensorsOf(grpc), tensorsOf(rest));
    // Copy as grpcurl dials the same address.
    const copied = copyAs('grpcurl', grpcWire, { protoDir: 'src/core/proto' });
    assert.equal(copied.trim().split('\n').at(-1)?.trim(), `${address} inference.GRPCInferenceService/ModelInfer`);
    assert.ok(copied.includes('| grpcurl -plaintext'), 'grpcurl without TLS');
  });

  it('a configured gRPC address wins: nothing is derived', async () => {
    const tree = configuredServer({
      id: 'c',
      name: 'c',
      url: `http://127.0.0.1:${port}`,
      grpcAddress: emb.endpoints.tritonGrpc,
    });
    const snap = await probeServer(tree.config, { timeoutMs: 3000 });
    assert.deepEqual([snap.grpcDerived, snap.grpc], [undefined, { live: true, ready: true }]);
  });
});

describe('Triton added by a URL whose next port has no gRPC: REST only, said in the tree', () => {
  let emb: Awaited<ReturnType<typeof startEmbedded>>;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  let port: number;
  before(async () => {
    emb = await startEmbedded(['triton']);
    port = await freeBlock();
    proxy = await recordingProxy(emb.endpoints.triton, port);
  });
  after(async () => {
    await proxy.close();
    await emb.stop();
    await closeHttpPools();
  });

  it('the probe finds no gRPC at the HTTP port + 1: the server is ready, the endpoint says why, gRPC drafts refuse', async () => {
    const { snap, state, endpoints, rs } = await addedByUrl(`http://127.0.0.1:${port}`);
    const address = `127.0.0.1:${port + 1}`;
    assert.deepEqual([snap.kind, snap.status, snap.grpc], ['triton', 'ready', undefined]);
    assert.equal(snap.grpcDerived?.address, address);
    assert.equal(snap.grpcDerived?.answered, false);
    assert.match(
      snap.grpcDerived?.note ?? '',
      /^no gRPC answer at the HTTP port \+ 1 \(.+\): requests use REST; if gRPC listens elsewhere, set its address with Edit Server…$/,
    );
    assert.equal(state.grpcAddress, undefined);
    assert.deepEqual(endpoints, [`HTTP: http://127.0.0.1:${port}`, `gRPC: ${address} · ${snap.grpcDerived?.note}`]);
    assert.match(report(snap), new RegExp(`gRPC: ${address}: no gRPC answer at the HTTP port`));
    assert.equal(rs.target.grpcAddress, undefined);
    const target = { ...rs.target, model: 'resnet50' };
    const draft = defaultDraft('kserve-infer', target, await firstDraftMeta(target.baseUrl));
    const ctx = { hasApiKey: false, readFile: async () => Buffer.alloc(0) };
    assert.equal((await executeWire(await buildWire(draft, target, ctx))).ok, true, 'REST still works');
    await assert.rejects(buildWire({ ...draft, kserveTransport: 'grpc' }, target, ctx), /has no gRPC address/);
  });
});
