/**
 * The Embedded group of the tree, end to end in plain Node: the embedded
 * server on free ports, each personality mapped by `embeddedServer`, probed
 * by the real prober and rendered: every personality must show as a ready
 * server node of its own kind, with models, metrics and its endpoints.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EmbeddedServer } from '../../../src/core/embedded/server';
import { closeHttpPools } from '../../../src/core/http/client';
import { probeServer } from '../../../src/core/servers/probeServer';
import { embeddedServer, type TreeServer } from '../../../src/core/servers/view/identities';
import { buildTree } from '../../../src/core/servers/view/treeModel';
import { walk } from '../../../src/core/servers/view/viewNode';
import { fromSnapshot } from '../../../src/core/servers/view/viewState';

const server = new EmbeddedServer({ portBase: 0 });
let servers: TreeServer[] = [];

before(async () => {
  await server.start();
  const models = server.models.list().map((m) => m.name);
  servers = server.personalities.map((p) => embeddedServer(p, models)).filter((s): s is TreeServer => s !== undefined);
});

after(async () => {
  await server.stop();
  await closeHttpPools();
});

test('every running personality becomes a tree server of its own kind', () => {
  assert.equal(servers.length, server.personalities.length, `mapped: ${servers.map((s) => s.identity.key).join(', ')}`);
  for (const s of servers) {
    assert.equal(s.identity.kind, s.identity.id);
    assert.ok(s.config.url.startsWith('http://127.0.0.1:'), s.config.url);
  }
});

test('each personality probes ready and renders with models, metrics and endpoints', async () => {
  const states = await Promise.all(
    servers.map(async (s) => fromSnapshot(s.identity, await probeServer(s.config, { timeoutMs: 5000 }))),
  );
  const [group] = buildTree({
    configured: [],
    problems: [],
    embedded: { phase: 'running', servers: states },
    discovered: [],
  });
  assert.equal(group.id, 'group:embedded');
  for (const n of group.children!) {
    const st = states.find((s) => s.key === n.id)!;
    assert.equal(
      n.contextValue,
      `server.embedded.${st.kind}.ready`,
      `${n.id}: ${st.error ?? ''} ${st.modelsError ?? ''}`,
    );
    const roles = n.children!.map((c) => c.role);
    // Ray Serve's models sit under their application.
    const models = [...walk([n])].filter(({ node }) => node.role === 'model');
    assert.ok(models.length, `${n.id} shows models (${st.modelsError ?? 'none listed'})`);
    assert.ok(roles.includes('metrics') && roles.includes('endpoints'), `${n.id}: ${roles.join(', ')}`);
    const metrics = n.children!.find((c) => c.role === 'metrics')!;
    if (st.kind !== 'ollama' && st.kind !== 'rayserve')
      assert.equal(metrics.contextValue, 'metrics.available', `${n.id}: ${st.metricsNote}`);
  }
});
