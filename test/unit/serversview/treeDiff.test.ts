import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffTrees } from '../../../src/core/servers/view/treeDiff';
import { buildTree } from '../../../src/core/servers/view/treeModel';
import { input, readyServer } from './fixtures';

const second = readyServer({ key: 'cfg:two', id: 'two', name: 'Two' });
const gauges = { requestsRunning: 2, requestsQueued: 0, kvCacheUsage: 0.125 };

describe('tree diffing (which nodes to fire)', () => {
  it('fires nothing when a refresh found nothing new, even though the probe time moved', () => {
    const later = readyServer({ probedAt: readyServer().probedAt! + 10_000, durationMs: 41 });
    assert.deepEqual(diffTrees(buildTree(input()), buildTree(input({ configured: [later] }))), {
      root: false,
      changed: [],
    });
  });

  it('fires only the Metrics node of the server whose gauge changed', () => {
    const a = buildTree(input({ configured: [readyServer(), second] }));
    const b = buildTree(input({ configured: [readyServer({ gauges: { ...gauges, requestsRunning: 3 } }), second] }));
    assert.deepEqual(diffTrees(a, b), { root: false, changed: ['cfg:local/metrics'] });
  });

  it('fires a server (and not its children separately) when its status changed', () => {
    const a = buildTree(input({ configured: [readyServer(), second] }));
    const b = buildTree(
      input({ configured: [readyServer({ status: 'unreachable', error: 'Connection refused' }), second] }),
    );
    assert.deepEqual(diffTrees(a, b), { root: false, changed: ['cfg:local'] });
  });

  it('fires the server when a model appears under it', () => {
    const a = buildTree(input());
    const b = buildTree(
      input({
        configured: [
          readyServer({
            models: [
              { name: 'tiny-llm', ready: true },
              { name: 'other', ready: false },
            ],
          }),
        ],
      }),
    );
    assert.deepEqual(diffTrees(a, b), { root: false, changed: ['cfg:local'] });
  });

  it('fires a personality inside the Embedded group, not the group', () => {
    const emb = (over = {}) => readyServer({ key: 'emb:vllm', id: 'vllm', origin: 'embedded', ...over });
    const a = buildTree(input({ embedded: { phase: 'running', servers: [emb()] } }));
    const b = buildTree(
      input({ embedded: { phase: 'running', servers: [emb({ gauges: { ...gauges, requestsQueued: 4 } })] } }),
    );
    assert.deepEqual(diffTrees(a, b), { root: false, changed: ['emb:vllm/metrics'] });
  });

  it('refreshes the root when a top-level node is added, removed or moved', () => {
    const one = buildTree(input());
    const two = buildTree(input({ configured: [readyServer(), second] }));
    assert.equal(diffTrees(one, two).root, true);
    assert.equal(diffTrees(two, one).root, true);
    assert.equal(diffTrees(two, buildTree(input({ configured: [second, readyServer()] }))).root, true);
    assert.equal(diffTrees(one, buildTree(input({ embedded: { phase: 'starting', servers: [] } }))).root, true);
  });
});
