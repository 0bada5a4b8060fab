/**
 * Ray Serve in the Servers tree: the application (with its route prefix) and, under it, the models it really
 * serves; New Request on such a model drafts that model's name and sends it under the route. Against the embedded
 * Ray Serve personality (application "llm" at "/" serving the OpenAI API), as the host does it: probe, tree,
 * the request server of the tree state, the target of the model node's id, the first draft, sent.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { closeHttpPools } from '../../../src/core/http/client';
import { buildWire } from '../../../src/core/request/build/build';
import { defaultDraft, defaultTemplate } from '../../../src/core/request/build/templates';
import { modelTarget, requestServerOf, targetFromArg } from '../../../src/core/request/requestServers';
import { executeWire } from '../../../src/core/request/transport/execute';
import { probeServer } from '../../../src/core/servers/probeServer';
import { embeddedServer, type TreeServer } from '../../../src/core/servers/view/identities';
import { serverNode } from '../../../src/core/servers/view/serverNodes';
import { walk } from '../../../src/core/servers/view/viewNode';
import { fromSnapshot } from '../../../src/core/servers/view/viewState';
import type { EmbeddedServer } from '../../../src/core/embedded/server';
import { textServer } from '../embedded/helpers';

let server: EmbeddedServer;
let tree: TreeServer;

before(async () => {
  server = textServer(['rayserve']);
  await server.start();
  tree = embeddedServer(server.personalities[0])!;
});

after(async () => {
  await server.stop();
  await closeHttpPools();
});

test('the tree shows the application with its route, and under it the models it serves (not "llm" as a model)', async () => {
  const state = fromSnapshot(tree.identity, await probeServer(tree.config, { timeoutMs: 5000 }));
  const node = serverNode(state);
  const app = node.children!.find((c) => c.role === 'application');
  assert.ok(app, `children: ${node.children!.map((c) => `${c.role} ${c.label}`).join(', ')}`);
  assert.deepEqual([app.id, app.label, app.description], ['emb:rayserve/app:llm', 'llm', 'application · route /']);
  // The personality's /v1/models: the text model and the embedding model.
  assert.deepEqual(
    app.children!.map((m) => [m.role, m.label, m.model, m.id]),
    [
      ['model', 'tiny-llm', 'tiny-llm', 'emb:rayserve/model:tiny-llm'],
      ['model', 'mini-embed', 'mini-embed', 'emb:rayserve/model:mini-embed'],
    ],
  );
  const models = [...walk([node])].filter(({ node: n }) => n.role === 'model').map(({ node: n }) => n.label);
  assert.deepEqual(models, ['tiny-llm', 'mini-embed'], 'no model node named after the application');
});

test('New Request on the model node drafts model "tiny-llm" and the server answers it with 200', async () => {
  const state = fromSnapshot(tree.identity, await probeServer(tree.config, { timeoutMs: 5000 }));
  const rs = requestServerOf(tree, state);
  const servers = { list: () => [rs], find: (k: string) => (k === rs.key ? rs : undefined) };
  const target = targetFromArg({ id: 'emb:rayserve/model:tiny-llm' }, { ...servers, metadata: never, refresh: never });
  assert.ok(target);
  assert.deepEqual([target.model, target.baseUrl, target.kind], ['tiny-llm', tree.config.url, 'rayserve']);
  const draft = defaultDraft(defaultTemplate(target), target);
  assert.deepEqual([draft.template, draft.model], ['openai-chat', 'tiny-llm']);
  const wire = await buildWire(draft, target, { hasApiKey: false, readFile: never });
  const r = await executeWire(wire);
  assert.equal(r.status, 200, JSON.stringify(r.error ?? r.views));
  assert.equal(r.ok, true);
  // A server's first model is what New Request on the server node drafts.
  assert.equal(
    targetFromArg({ id: 'emb:rayserve' }, { ...servers, metadata: never, refresh: never })?.model,
    'tiny-llm',
  );
});

test('a model served under a route prefix is sent under it; other models keep the server URL', () => {
  const target = { serverId: 's', serverName: 's', kind: 'rayserve', baseUrl: 'http://h:8000' };
  const rs = { key: 'k', target, models: ['qwen', 'image_classifier'], routes: { qwen: '/llm/' }, status: 'ready' };
  assert.deepEqual(modelTarget(rs, 'qwen'), { ...target, model: 'qwen', baseUrl: 'http://h:8000/llm' });
  assert.deepEqual(modelTarget(rs), { ...target, model: 'qwen', baseUrl: 'http://h:8000/llm' });
  assert.deepEqual(modelTarget(rs, 'image_classifier'), { ...target, model: 'image_classifier' });
});

function never(): never {
  throw new Error('not used by this test');
}
