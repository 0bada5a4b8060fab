import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  containerNode,
  containersGroup,
  gpuWords,
  type ContainerEntry,
  type ContainerFacts,
} from '../../../src/core/servers/view/containerNodes';
import { buildTree } from '../../../src/core/servers/view/treeModel';
import { input, readyServer } from '../serversview/fixtures';

function facts(over: Partial<ContainerFacts> = {}): ContainerFacts {
  return {
    id: '0123456789abcdef',
    name: 'inference-lab-vllm-8000',
    image: 'vllm/vllm-openai:latest',
    state: 'running',
    status: 'Up 5 minutes',
    managed: true,
    presetId: 'vllm',
    serverKind: 'vllm',
    gpus: 'all',
    ports: ['127.0.0.1:8000→8000'],
    serverKey: 'ctr:inference-lab-vllm-8000',
    ...over,
  };
}

const served = (over: Partial<ContainerEntry> = {}): ContainerEntry => ({
  facts: facts(),
  server: readyServer({
    key: 'ctr:inference-lab-vllm-8000',
    id: 'inference-lab-vllm-8000',
    origin: 'discovered',
    name: 'inference-lab-vllm-8000',
    url: 'http://127.0.0.1:8000',
  }),
  ...over,
});

describe('Containers group of the Servers tree', () => {
  it('shows a serving container with its server status, facts first, then the server children', () => {
    const n = containerNode(served());
    assert.equal(n.id, 'ctr:inference-lab-vllm-8000');
    assert.equal(n.role, 'container');
    assert.equal(n.contextValue, 'container.ours.running.vllm.ready');
    assert.equal(n.icon, 'pass-filled');
    assert.equal(n.description, 'ready · vllm/vllm-openai:latest · 127.0.0.1:8000 · all GPUs');
    assert.equal(n.copyText, 'http://127.0.0.1:8000');
    assert.deepEqual(
      n.children?.map((c) => c.id),
      ['status', 'image', 'ports', 'gpus']
        .map((k) => `ctr:inference-lab-vllm-8000/container:${k}`)
        .concat([
          'ctr:inference-lab-vllm-8000/model:tiny-llm',
          'ctr:inference-lab-vllm-8000/metrics',
          'ctr:inference-lab-vllm-8000/endpoints',
        ]),
    );
    assert.equal(n.children?.[1].description, 'vllm/vllm-openai:latest');
    assert.match(n.tooltip ?? '', /Launched by Inference Lab \(preset vllm\)/);
    assert.ok(n.stamp, 'the probe time rides on the stamp, outside the diff');
  });

  it('shows a stopped container by its state, without server children, and one started elsewhere as "other"', () => {
    const stopped = containerNode({
      facts: facts({ state: 'exited', status: 'Exited (0) 1 minute ago', serverKey: undefined }),
    });
    assert.equal(stopped.contextValue, 'container.ours.exited.vllm.none');
    assert.equal(stopped.icon, 'vm-outline');
    assert.equal(stopped.children?.length, 4);
    const other = containerNode({
      facts: facts({ managed: false, presetId: undefined, gpus: undefined, serverKey: undefined }),
    });
    assert.match(other.contextValue, /^container\.other\.running\./);
    assert.match(other.tooltip ?? '', /started outside Inference Lab/);
    assert.equal(other.children?.find((c) => c.id.endsWith('container:gpus'))?.description, 'GPUs unknown');
  });

  it('uses the server status look while probing or unreachable', () => {
    const probing = containerNode(served({ server: { ...served().server!, status: 'probing' } }));
    assert.equal(probing.icon, 'loading~spin');
    assert.equal(probing.contextValue, 'container.ours.running.vllm.probing');
    const down = containerNode(
      served({ server: { ...served().server!, status: 'unreachable', error: 'Connection refused' } }),
    );
    assert.match(down.tooltip ?? '', /\*\*Error:\*\* Connection refused/);
  });

  it('shows a container a launch still waits for as starting, without the probe result of a server that is loading', () => {
    const n = containerNode({ facts: facts({ launching: true }) });
    assert.equal(n.icon, 'loading~spin');
    assert.match(n.description ?? '', /^starting · /);
    assert.equal(n.contextValue, 'container.ours.running.vllm.none');
    assert.equal(n.children?.length, 4, 'facts only');
  });

  it('hides the group when there is nothing, and shows a lost event stream as a warning child', () => {
    assert.equal(containersGroup({ endpoint: 'unix:///var/run/docker.sock', containers: [] }), undefined);
    const g = containersGroup({
      endpoint: 'unix:///var/run/docker.sock',
      containers: [served(), { facts: facts({ name: 'x', state: 'exited', serverKey: undefined }) }],
      problem: 'Lost the Docker event stream',
    })!;
    assert.equal(g.id, 'group:containers');
    assert.equal(g.contextValue, 'group.containers');
    assert.equal(g.description, '1 of 2 running');
    assert.equal(g.children?.[0].icon, 'warning');
    assert.equal(g.children?.length, 3);
  });

  it('sits between Embedded and Discovered in the tree', () => {
    const tree = buildTree(
      input({
        configured: [],
        containers: { endpoint: 'unix:///var/run/docker.sock', containers: [served()] },
        discovered: [readyServer({ key: 'disc:8001', origin: 'discovered' })],
      }),
    );
    assert.deepEqual(
      tree.map((n) => n.id),
      ['group:containers', 'group:discovered'],
    );
  });

  it('words the GPU assignment', () => {
    assert.deepEqual(['none', 'all', '0,1', undefined].map(gpuWords), ['CPU', 'all GPUs', 'GPU 0,1', 'GPUs unknown']);
  });
});
