import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metadataNodes, serverNode } from '../../../src/core/servers/view/serverNodes';
import { mdEscape, clockTime } from '../../../src/core/servers/view/tooltips';
import { buildTree } from '../../../src/core/servers/view/treeModel';
import { walk, type ViewNode } from '../../../src/core/servers/view/viewNode';
import { input, readyServer } from './fixtures';

const child = (n: ViewNode, id: string) => n.children?.find((c) => c.id === id);

describe('Servers tree model', () => {
  it('is empty when there is nothing to show, so the welcome content appears', () => {
    assert.deepEqual(buildTree(input({ configured: [] })), []);
  });

  it('renders a ready server: kind and version, status icon and color, contextValue, models, metrics and endpoints', () => {
    const [n] = buildTree(input());
    assert.equal(n.id, 'cfg:local');
    assert.equal(n.label, 'Local vLLM');
    assert.equal(n.description, 'vLLM 0.10.1');
    assert.equal(n.icon, 'pass-filled');
    assert.equal(n.color, 'testing.iconPassed');
    assert.equal(n.contextValue, 'server.configured.vllm.ready');
    assert.deepEqual(
      n.children?.map((c) => c.id),
      ['cfg:local/model:tiny-llm', 'cfg:local/metrics', 'cfg:local/endpoints'],
    );
    const model = child(n, 'cfg:local/model:tiny-llm')!;
    assert.equal(model.contextValue, 'model.ready');
    assert.equal(model.collapsible, 'collapsed');
    assert.equal(model.children, undefined, 'tensors load on expand');
    const metrics = child(n, 'cfg:local/metrics')!;
    assert.equal(metrics.description, '2 running · 0 queued · KV 13 %');
    assert.equal(metrics.contextValue, 'metrics.available');
    assert.deepEqual(
      metrics.children?.map((c) => `${c.label}=${c.description}`),
      ['Running requests=2', 'Queued requests=0', 'KV-cache use=13 %'],
    );
    const endpoint = child(n, 'cfg:local/endpoints')!.children![0];
    assert.equal(endpoint.copyText, 'http://localhost:8000');
    assert.equal(endpoint.contextValue, 'endpoint');
  });

  it('gives each failure status its own icon, description and error child', () => {
    const cases = [
      [
        'unreachable',
        'error',
        'Connection refused (http://localhost:8000/): is the server running and listening on that port?',
      ],
      ['auth-failed', 'lock', 'Authentication failed (HTTP 401): set or check the API key for this server'],
      [
        'unrecognized',
        'question',
        'Reachable but not a recognized inference server (it answers with HTML pages, like a web server default page)',
      ],
      ['live-not-ready', 'warning', 'Engine is loading'],
    ] as const;
    for (const [status, icon, error] of cases) {
      const n = serverNode(readyServer({ status, error, models: status === 'live-not-ready' ? [] : [] }));
      assert.equal(n.icon, icon, status);
      assert.equal(n.contextValue, `server.configured.vllm.${status}`);
      assert.match(n.description!, /^vLLM 0\.10\.1 · /);
      assert.equal(n.children![0].label, error, `${status}: the error is a child too`);
      assert.ok(n.tooltip!.includes(mdEscape(error)), `${status}: the error is in the tooltip`);
      assert.doesNotMatch(n.tooltip!, /\n\s+at /, 'no stack trace');
    }
    const down = serverNode(readyServer({ status: 'unreachable', error: 'x' }));
    assert.deepEqual(
      down.children!.map((c) => c.role),
      ['message', 'endpoints'],
      'no models or metrics for a server that did not answer',
    );
  });

  it('writes the last probe into the tooltip and escapes what servers and users wrote', () => {
    const n = serverNode(
      readyServer({
        name: 'evil [link](http://x)',
        status: 'unreachable',
        error: 'HTTP 500: <img src=x onerror=alert(1)> **bold**',
      }),
    );
    assert.equal(n.stamp, `Probed at ${clockTime(readyServer().probedAt!)} (35 ms)`);
    assert.ok(n.tooltip!.includes('evil \\[link\\](http://x)'), 'a link cannot be formed');
    assert.ok(n.tooltip!.includes('HTTP 500: \\<img src=x onerror=alert(1)\\>'), 'HTML is escaped');
    assert.ok(n.tooltip!.includes('\\*\\*bold\\*\\*'));
    assert.equal(clockTime(new Date(2026, 0, 1, 7, 5, 9).getTime()), '07:05:09');
    assert.equal(
      mdEscape('# title\n- item\n12. step\nok (http://h:1/x.y)'),
      '\\# title  \n\\- item  \n12\\. step  \nok (http://h:1/x.y)',
    );
  });

  it('says why metrics are missing instead of showing zeros', () => {
    const n = serverNode(
      readyServer({ metricsAvailable: false, metricsNote: 'This server exposes no Prometheus metrics.', gauges: {} }),
    );
    const m = child(n, 'cfg:local/metrics')!;
    assert.equal(m.contextValue, 'metrics.unavailable');
    assert.equal(m.collapsible, 'none');
    assert.match(m.tooltip!, /exposes no Prometheus metrics/);
  });

  it('lists model tensors with datatypes and shapes, and properties', () => {
    const kids = metadataNodes('cfg:local/model:resnet50', 'cfg:local', {
      name: 'resnet50',
      platform: 'simulated',
      inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 3, 224, 224] }],
      outputs: [
        { name: 'probs', datatype: 'FP32', shape: [-1, 1000] },
        { name: 'label', datatype: 'BYTES' },
      ],
      properties: { max_batch_size: 8 },
    });
    assert.deepEqual(
      kids.map((k) => `${k.label}|${k.description}|${k.contextValue}`),
      [
        'input|input · FP32 [-1, 3, 224, 224]|tensor.input',
        'probs|output · FP32 [-1, 1000]|tensor.output',
        'label|output · BYTES (shape not given)|tensor.output',
        'platform|simulated|property',
        'max_batch_size|8|property',
      ],
    );
    const none = metadataNodes('m', 's', { name: 'x', inputs: [], outputs: [], properties: {} });
    assert.equal(none[0].role, 'message');
  });

  it('shows the embedded server as a group with one server node per personality, and discovered servers apart', () => {
    const emb = readyServer({ key: 'emb:tgi', id: 'tgi', origin: 'embedded', name: 'TGI', kind: 'tgi' });
    const disc = readyServer({
      key: 'disc:11434',
      id: '11434',
      origin: 'discovered',
      name: 'Ollama on port 11434',
      kind: 'ollama',
    });
    const tree = buildTree(input({ embedded: { phase: 'running', servers: [emb] }, discovered: [disc] }));
    assert.deepEqual(
      tree.map((n) => n.id),
      ['cfg:local', 'group:embedded', 'group:discovered'],
    );
    assert.equal(tree[1].contextValue, 'group.embedded.running');
    assert.equal(tree[1].children![0].contextValue, 'server.embedded.tgi.ready');
    assert.equal(tree[2].children![0].contextValue, 'server.discovered.ollama.ready');
    const failed = buildTree(
      input({ configured: [], embedded: { phase: 'failed', detail: 'port 18000 in use', servers: [] } }),
    );
    assert.equal(failed[0].contextValue, 'group.embedded.failed');
    assert.equal(failed[0].children![0].label, 'port 18000 in use');
  });

  it('turns unusable settings entries into problem nodes that open the setting', () => {
    const tree = buildTree(
      input({ configured: [], problems: [{ index: 2, label: '"x"', message: 'Server entry "x" has no "url".' }] }),
    );
    assert.equal(tree[0].role, 'problem');
    assert.deepEqual(tree[0].command?.args, ['inferenceLab.servers']);
  });

  it('gives every node a unique id', () => {
    const emb = readyServer({ key: 'emb:vllm', id: 'vllm', origin: 'embedded' });
    const ids = [...walk(buildTree(input({ embedded: { phase: 'running', servers: [emb] } })))].map((x) => x.node.id);
    assert.equal(new Set(ids).size, ids.length);
  });
});
