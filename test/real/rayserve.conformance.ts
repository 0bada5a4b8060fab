/**
 * Ray Serve: the HTTP proxy (`/-/healthz`, `/-/routes`) in front of one application, "llm", at route prefix "/llm"
 * that serves the OpenAI API (model "tiny-llm") under it; the embedded Ray Serve personality (`routePrefix: /llm`) is
 * the twin. Probe (kind, the application and the models it lists; the proxy names no version), tree (New Request on
 * the model node succeeds under the route), chat and completions (JSON and SSE) and Copy as curl / Python under the
 * route, `inference-lab bench` text generation given the proxy's URL (it must send under the route), and usage equal
 * to the lengths asked.
 */
import assert from 'node:assert/strict';
import type { RawRecord } from '../../src/core/bench/record';
import { buildWire } from '../../src/core/request/build/build';
import { defaultDraft, defaultTemplate } from '../../src/core/request/build/templates';
import { executeWire } from '../../src/core/request/transport/execute';
import { benchRun, cli, serversTree, treeLabels, treeModelTarget, type Target } from './conformance';
import { llamacppChecks } from './llamacpp.conformance';
import { vllmChecks, type Outcome } from './vllm.conformance';

const benches = new Map<string, RawRecord[]>();
/** The application and its route prefix (registry: startArgs, embeddedOptions); `t.model` is the model it serves. */
const app = 'llm';
const route = '/llm';
/** The target as the request panel sends to the model: the server's URL plus the application's route. */
const routed = (t: Target): Target => ({ ...t, url: `${t.url}${route}` });

async function openAiModels(url: string): Promise<string[]> {
  const j = (await (await fetch(`${url}/v1/models`)).json()) as { data: Array<{ id: string }> };
  return j.data.map((m) => m.id);
}

export const rayserveChecks: Record<keyof Outcome, (t: Target, o: Outcome) => Promise<void>> = {
  async probe(t, o) {
    const r = await cli(['probe', t.url, '--json'], 60_000);
    assert.equal(r.code, 0, `probe exited ${r.code}: ${r.stderr}${r.stdout}`);
    const j = JSON.parse(r.stdout) as {
      kind: string;
      version?: string;
      status: string;
      models: Array<{ name: string; application?: { name: string; route: string } }>;
    };
    assert.equal(j.kind, 'rayserve', `probe named kind ${j.kind}`);
    assert.equal(j.status, 'ready');
    // Neither /-/healthz nor /-/routes names Ray's version (the dashboard's /api/version would; it is off here).
    assert.equal(j.version, undefined, `version ${j.version}`);
    // The models are what the application lists under its route, each with its application and route.
    const served = await openAiModels(`${t.url}${route}`);
    assert.ok(served.includes(t.model), `${t.model} in ${served.join(', ')}`);
    assert.deepEqual(
      j.models.map((m) => [m.name, m.application?.name, m.application?.route]),
      served.map((id) => [id, app, route]),
    );
    o.probe = `rayserve (no version on the proxy), application ${app} at ${route} serving ${served.join(', ')}`;
  },

  async tree(t, o) {
    const root = await serversTree(t);
    const labels = treeLabels(root);
    const served = await openAiModels(`${t.url}${route}`);
    assert.deepEqual(labels.application, [`${app} = application · route ${route}`], JSON.stringify(labels));
    assert.deepEqual(
      labels.model,
      served.map((id) => `${id} = ready`),
      `models ${JSON.stringify(labels.model)}`,
    );
    // New Request on the served model's node, as the host does it: its target from the node id, the first draft,
    // sent as is. It used to draft model "${app}" (the application), which the server refused with 404.
    const target = treeModelTarget(root, t.model);
    const draft = defaultDraft(defaultTemplate(target), target);
    assert.deepEqual([draft.template, draft.model, target.baseUrl], ['openai-chat', t.model, `${t.url}${route}`]);
    const r = await executeWire(
      await buildWire(draft, target, { hasApiKey: false, readFile: async () => Buffer.alloc(0) }),
      {
        firstByteTimeoutMs: 120_000,
      },
    );
    assert.equal(r.status, 200, JSON.stringify(r.error));
    assert.ok(r.ok && (r.stream?.tokenCount ?? 0) > 0, `streamed ${JSON.stringify(r.stream)}`);
    // The proxy's routes answer any method; every answer carries x-request-id (the client's own when sent).
    const rr = await fetch(`${t.url}/-/routes`, { method: 'POST', headers: { 'x-request-id': 'conformance-1' } });
    assert.deepEqual([rr.status, await rr.json()], [200, { [route]: app }]);
    assert.equal(rr.headers.get('x-request-id'), 'conformance-1');
    o.tree = `application ${app} (route ${route}) > ${labels.model?.join(', ')}; New Request on ${t.model}: ${draft.template} model ${draft.model} -> ${r.status}, ${r.stream?.tokenCount} events; gauges ${(labels.gauge ?? []).join('; ') || 'none (Ray metrics agent not configured)'}`;
  },

  // The same template checks as llama.cpp's (chat and completions, JSON and SSE), on the served model, under the route.
  request: (t, o) => llamacppChecks.request(routed(t), o),

  copyAs: (t, o) => vllmChecks.copyAs(routed(t), o),

  async bench(t, o) {
    const args = ['--group', 'text-generation', '--input-tokens', '24', '--output-tokens', '12'];
    // The proxy's URL, as Run Benchmark on the server or model node gives it: the run must find the route itself.
    const ok = await benchRun(t, [...args, '--concurrency', '2', '--requests', '12'], 12);
    benches.set(t.label, ok);
    const server = (ok as { result?: { server?: { tokenizer?: string; route?: string } } }).result?.server;
    assert.equal(server?.route, route, 'the result names the route the requests went under');
    o.bench = `text generation at ${t.url} (proxy): 12/12 ok under ${server?.route}, tokenizer: ${server?.tokenizer}`;
  },

  async tokens(t, o) {
    const recs = benches.get(t.label);
    assert.ok(recs, 'the bench check did not run');
    assert.deepEqual(
      recs.map((x) => x.iu),
      recs.map((x) => x.io),
      'usage.prompt_tokens vs asked',
    );
    assert.ok(
      recs.every((x) => x.io === 24 && x.ou === 12),
      `asked ${recs.map((x) => `${x.io}/${x.ou}`).join(',')}`,
    );
    o.tokens = `usage.prompt_tokens = asked 24 x${recs.length}; completion_tokens = 12 x${recs.length}`;
  },

  async serverMetrics(_t, o) {
    o.serverMetrics = 'n/a (Ray metrics agent not started: include_dashboard=False)';
  },
  capacity: llamacppChecks.capacity,
  sharedPrefix: llamacppChecks.sharedPrefix,
  multiTurn: llamacppChecks.multiTurn,
  trace: llamacppChecks.trace,
};
