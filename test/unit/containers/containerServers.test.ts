import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseContainerList } from '../../../src/core/docker/engine/engineParse';
import { labelKeys } from '../../../src/core/docker/launch/labels';
import type { ContainerSummary } from '../../../src/core/docker/types';
import {
  containerKey,
  isStateEvent,
  mapContainer,
  portWords,
  presetOf,
  publishedPorts,
} from '../../../src/core/containers/containerServers';
import { fixtureJson } from '../docker/fixtures';

const local = { isLocal: true, advertisedHost: '127.0.0.1' };

function summary(over: Partial<ContainerSummary> = {}): ContainerSummary {
  return {
    id: 'c0ffee0123456789',
    name: 'inference-lab-vllm-8000',
    image: 'vllm/vllm-openai:latest',
    state: 'running',
    status: 'Up 2 minutes',
    created: new Date(0),
    labels: {
      [labelKeys.managed]: 'true',
      [labelKeys.preset]: 'vllm',
      [labelKeys.serverKind]: 'vllm',
      [labelKeys.gpus]: 'all',
      [labelKeys.httpPort]: '8000',
    },
    ports: [{ containerPort: 8000, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 8000 }],
    managed: true,
    presetId: 'vllm',
    serverKind: 'vllm',
    gpus: 'all',
    ...over,
  };
}

describe('containers as servers of the tree', () => {
  it('maps our running container to a probed server on its published HTTP port', () => {
    const m = mapContainer(summary(), local);
    assert.equal(m.server?.identity.key, 'ctr:inference-lab-vllm-8000');
    assert.equal(m.server?.config.url, 'http://127.0.0.1:8000');
    assert.equal(m.server?.config.kind, 'vllm');
    assert.equal(m.server?.config.id, 'container.inference-lab-vllm-8000');
    assert.deepEqual(m.facts.ports, ['127.0.0.1:8000→8000']);
    assert.equal(m.facts.gpus, 'all');
    assert.equal(m.facts.serverKey, containerKey('inference-lab-vllm-8000'));
  });

  it('serves nothing when the container is stopped or its HTTP port is not published', () => {
    assert.equal(mapContainer(summary({ state: 'exited' }), local).server, undefined);
    const unpublished = mapContainer(summary({ ports: [{ containerPort: 8000, protocol: 'tcp' }] }), local);
    assert.equal(unpublished.server, undefined);
    assert.equal(unpublished.facts.serverKey, undefined);
    assert.deepEqual(unpublished.facts.ports, []);
  });

  it('recognises a Triton container started elsewhere by its image: side ports, metrics URL and KServe gRPC address', () => {
    const triton = summary({
      name: 'triton',
      image: 'nvcr.io/nvidia/tritonserver:24.08-py3',
      labels: {},
      managed: false,
      presetId: undefined,
      serverKind: 'triton',
      gpus: undefined,
      ports: [
        { containerPort: 8000, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 9000 },
        { containerPort: 8000, protocol: 'tcp', hostIp: '::', hostPort: 9000 },
        { containerPort: 8001, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 9001 },
        { containerPort: 8002, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 9002 },
      ],
    });
    const m = mapContainer(triton, { ...local, gpus: '0,1' });
    assert.equal(m.server?.config.url, 'http://127.0.0.1:9000');
    assert.equal(m.server?.config.grpcAddress, '127.0.0.1:9001');
    assert.equal(m.server?.config.metricsUrl, 'http://127.0.0.1:9002/metrics');
    assert.deepEqual(
      m.server?.identity.endpoints.map((e) => e.label),
      ['HTTP', 'gRPC', 'Metrics'],
    );
    assert.deepEqual(
      m.facts.ports,
      ['0.0.0.0:9000→8000', '0.0.0.0:9001→8001', '0.0.0.0:9002→8002'],
      'IPv6 duplicate bindings collapse',
    );
    assert.equal(m.facts.gpus, '0,1', 'the GPU request read by inspect');
    assert.equal(m.facts.managed, false);
  });

  it('uses the engine host name for a remote engine, and gives no gRPC address to servers whose gRPC is not KServe', () => {
    const ts = summary({
      name: 'ts',
      image: 'pytorch/torchserve:latest-cpu',
      labels: {},
      managed: false,
      presetId: undefined,
      serverKind: 'torchserve',
      ports: [8080, 8081, 8082, 7070].map((p) => ({
        containerPort: p,
        protocol: 'tcp' as const,
        hostIp: '0.0.0.0',
        hostPort: p,
      })),
    });
    const m = mapContainer(ts, { isLocal: false, advertisedHost: 'gpu-box' });
    assert.equal(m.server?.config.url, 'http://gpu-box:8080');
    assert.equal(m.server?.config.managementUrl, 'http://gpu-box:8081');
    assert.equal(m.server?.config.metricsUrl, 'http://gpu-box:8082/metrics');
    assert.equal(m.server?.config.grpcAddress, undefined);
  });

  it('checks the TF Serving model the launch named (it cannot list its models)', () => {
    const tf = summary({
      name: 'tf',
      image: 'tensorflow/serving:latest',
      serverKind: 'tfserving',
      presetId: 'tfserving',
      labels: {
        [labelKeys.managed]: 'true',
        [labelKeys.preset]: 'tfserving',
        [labelKeys.httpPort]: '8501',
        [labelKeys.launchOptions]: JSON.stringify({ params: { modelName: 'resnet' } }),
      },
      ports: [{ containerPort: 8501, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 8501 }],
    });
    assert.deepEqual(mapContainer(tf, local).server?.config.models, ['resnet']);
  });

  it('finds a workspace preset named by the label before the built-ins, and the built-in by image otherwise', () => {
    const ws = { id: 'my-vllm', image: 'x/y' } as never;
    assert.equal(presetOf({ managed: true, presetId: 'my-vllm', image: 'x/y:1' }, [ws]), ws);
    assert.equal(presetOf({ managed: false, image: 'docker.io/ollama/ollama:0.5' })?.id, 'ollama');
    assert.equal(presetOf({ managed: false, image: 'nginx:latest' }), undefined);
  });

  it('maps a container as the engine lists it (recorded fixture)', () => {
    const [c] = parseContainerList(fixtureJson('containers-list.json'));
    const m = mapContainer(c, local);
    assert.equal(m.facts.name, 'il-fixture');
    assert.match(m.server?.config.url ?? '', /^http:\/\/127\.0\.0\.1:18555$/);
  });

  it('keeps only published TCP ports and reacts to state events only', () => {
    assert.deepEqual(
      publishedPorts([
        { containerPort: 1, protocol: 'udp', hostPort: 5 },
        { containerPort: 2, protocol: 'tcp' },
      ]),
      [],
    );
    assert.deepEqual(portWords([{ containerPort: 80, protocol: 'tcp', hostPort: 8080 }]), ['0.0.0.0:8080→80']);
    for (const a of ['start', 'die', 'destroy', 'health_status: healthy']) assert.ok(isStateEvent(a), a);
    for (const a of ['exec_start: sh', 'attach', 'resize', 'top']) assert.ok(!isStateEvent(a), a);
  });
});
