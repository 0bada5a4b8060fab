import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configuredServer, discoveredServer, embeddedServer } from '../../../src/core/servers/view/identities';
import type { ServerSnapshot } from '../../../src/core/servers/snapshot';
import { fromSnapshot } from '../../../src/core/servers/view/viewState';

describe('who each tree server is and how it is probed', () => {
  it('maps a settings entry to its endpoints and probe config', () => {
    const s = configuredServer({
      id: 'ts',
      name: 'TS',
      url: 'http://h:8080',
      kind: 'torchserve',
      managementUrl: 'http://h:8081',
      grpcAddress: 'h:7070',
    });
    assert.equal(s.identity.key, 'cfg:ts');
    assert.equal(s.identity.kind, 'torchserve');
    assert.deepEqual(
      s.identity.endpoints.map((e) => e.label),
      ['HTTP', 'Management', 'gRPC'],
    );
    assert.equal(s.config.managementUrl, 'http://h:8081');
    assert.equal(configuredServer({ id: 'a', name: 'A', url: 'http://h:1', kind: 'auto' }).identity.kind, undefined);
  });

  it('gives an embedded personality its side ports explicitly (free ports are not consecutive)', () => {
    const s = embeddedServer(
      {
        name: 'triton',
        title: 'Triton',
        endpoints: {
          triton: 'http://127.0.0.1:4001',
          tritonGrpc: '127.0.0.1:5002',
          tritonMetrics: 'http://127.0.0.1:6003',
        },
      },
      ['resnet50'],
    )!;
    assert.equal(s.identity.key, 'emb:triton');
    assert.deepEqual(s.identity.endpoints, [
      { label: 'HTTP', address: 'http://127.0.0.1:4001' },
      { label: 'gRPC', address: '127.0.0.1:5002' },
      { label: 'Metrics', address: 'http://127.0.0.1:6003' },
    ]);
    assert.equal(s.config.metricsUrl, 'http://127.0.0.1:6003/metrics');
    assert.equal(s.config.grpcAddress, '127.0.0.1:5002');
    assert.equal(s.config.models, undefined, 'only TF Serving needs model names');
    const tf = embeddedServer(
      { name: 'tfserving', title: 'TF Serving', endpoints: { tfserving: 'http://127.0.0.1:1' } },
      ['resnet50'],
    )!;
    assert.deepEqual(tf.config.models, ['resnet50']);
    assert.equal(embeddedServer({ name: 'nonsense', title: 'x', endpoints: { nonsense: 'http://h' } }), undefined);
  });

  it('names a discovered server by kind and port', () => {
    const d = discoveredServer(11434, 'http://127.0.0.1:11434', 'ollama', 'Ollama');
    assert.equal(d.identity.key, 'disc:11434');
    assert.equal(d.identity.name, 'Ollama on port 11434');
    assert.equal(d.config.kind, 'ollama');
  });

  it('turns a prober snapshot into the tree state, with gRPC health on the gRPC endpoint', () => {
    const who = configuredServer({
      id: 't',
      name: 'T',
      url: 'http://h:8000',
      kind: 'triton',
      grpcAddress: 'h:8001',
    }).identity;
    const snap: ServerSnapshot = {
      id: 't',
      name: 'T',
      url: 'http://h:8000',
      status: 'live-not-ready',
      kind: 'triton',
      version: '2.59.0',
      live: true,
      ready: false,
      healthDetail: 'model loading',
      error: 'model loading',
      models: [],
      gauges: {},
      metricsAvailable: false,
      metricsNote: 'HTTP 404',
      grpc: { live: true, ready: false },
      probedAt: 5,
      durationMs: 12,
    };
    const st = fromSnapshot(who, snap);
    assert.equal(st.status, 'live-not-ready');
    assert.equal(st.detail, undefined, 'the health detail is not repeated when it is the error');
    assert.equal(st.endpoints.find((e) => e.label === 'gRPC')?.state, 'live, not ready');
    const failed = fromSnapshot(who, { ...snap, grpc: { error: 'UNAVAILABLE: connection refused' } });
    assert.equal(failed.endpoints.find((e) => e.label === 'gRPC')?.state, 'UNAVAILABLE: connection refused');
  });
});
