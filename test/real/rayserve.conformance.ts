/**
 * Ray Serve: the HTTP proxy (`/-/healthz`, `/-/routes`) in front of one application, "llm", at route prefix "/"
 * that serves the OpenAI API (model "tiny-llm"); the embedded Ray Serve personality is the twin. Probe (kind, the
 * application as the model; the proxy names no version), tree, chat and completions (JSON and SSE), Copy as curl /
 * Python run for real, `inference-lab bench` text generation, and usage equal to the lengths asked.
 */
import assert from 'node:assert/strict';
import type { RawRecord } from '../../src/core/bench/record';
import { benchRun, cli, serversTree, treeLabels, type Target } from './conformance';
import { llamacppChecks } from './llamacpp.conformance';
import { vllmChecks, type Outcome } from './vllm.conformance';

const benches = new Map<string, RawRecord[]>();
/** Requests go to the OpenAI model the application serves, not to the application's name. */
const served = (t: Target): Target => ({ ...t, model: t.textModel ?? t.model });

export const rayserveChecks: Record<keyof Outcome, (t: Target, o: Outcome) => Promise<void>> = {
  async probe(t, o) {
    const r = await cli(['probe', t.url, '--json'], 60_000);
    assert.equal(r.code, 0, `probe exited ${r.code}: ${r.stderr}${r.stdout}`);
    const j = JSON.parse(r.stdout) as {
      kind: string;
      version?: string;
      status: string;
      models: Array<{ name: string }>;
    };
    assert.equal(j.kind, 'rayserve', `probe named kind ${j.kind}`);
    assert.equal(j.status, 'ready');
    // Neither /-/healthz nor /-/routes names Ray's version (the dashboard's /api/version would; it is off here).
    assert.equal(j.version, undefined, `version ${j.version}`);
    assert.deepEqual(
      j.models.map((m) => m.name),
      [t.model],
    );
    o.probe = `rayserve (no version on the proxy), applications ${j.models.map((m) => m.name).join(', ')}`;
  },

  async tree(t, o) {
    const labels = treeLabels(await serversTree(t));
    assert.deepEqual(labels.model, [`${t.model} = route /`], `models ${JSON.stringify(labels.model)}`);
    // The proxy's routes answer any method; every answer carries x-request-id (the client's own when sent).
    const r = await fetch(`${t.url}/-/routes`, { method: 'POST', headers: { 'x-request-id': 'conformance-1' } });
    assert.deepEqual([r.status, await r.json()], [200, { '/': t.model }]);
    assert.equal(r.headers.get('x-request-id'), 'conformance-1');
    o.tree = `applications ${labels.model?.join('; ')}; gauges ${(labels.gauge ?? []).join('; ') || 'none (Ray metrics agent not configured)'}`;
  },

  // The same template checks as llama.cpp's (chat and completions, JSON and SSE), on the served model.
  request: (t, o) => llamacppChecks.request(served(t), o),

  copyAs: (t, o) => vllmChecks.copyAs(served(t), o),

  async bench(t, o) {
    const args = ['--group', 'text-generation', '--input-tokens', '24', '--output-tokens', '12'];
    const ok = await benchRun(served(t), [...args, '--concurrency', '2', '--requests', '12'], 12);
    benches.set(t.label, ok);
    o.bench = `text generation: 12/12 ok, tokenizer: ${(ok as { result?: { server?: { tokenizer?: string } } }).result?.server?.tokenizer}`;
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
