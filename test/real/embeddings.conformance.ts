/**
 * OpenAI embeddings conformance (Infinity with the real all-MiniLM-L6-v2; the embedded vLLM personality's
 * embedding model as the twin): probe, tree, the openai-embeddings template, Copy as curl / Python run for real,
 * `inference-lab bench --group embeddings`, and the server's usage.prompt_tokens against the model's own tokenizer.
 */
import assert from 'node:assert/strict';
import type { HttpWire } from '../../src/core/request/build/wire';
import { benchRun, modelTreeCheck, probeCheck, runCopies, sendTemplate, type Target } from './conformance';
import type { Outcome } from './vllm.conformance';

const cosine = (a: number[], b: number[]) => {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
};

async function embed(t: Target, input: string[]) {
  const r = await fetch(`${t.url}/v1/embeddings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: t.model, input }),
  });
  assert.equal(r.status, 200, await r.clone().text());
  return (await r.json()) as {
    data: Array<{ embedding: number[]; index: number }>;
    usage?: { prompt_tokens?: number };
  };
}

export const embeddingsChecks: Record<keyof Outcome, (t: Target, o: Outcome) => Promise<void>> = {
  probe: probeCheck,

  tree: (t, o) => modelTreeCheck(t, o),

  async request(t, o) {
    const { result } = await sendTemplate(t, 'openai-embeddings');
    assert.equal(result.ok, true, `${result.status} ${result.error?.message}`);
    const view = result.views.find((v) => v.type === 'embeddings');
    assert.ok(view && view.type === 'embeddings', `no embeddings view in ${result.views.map((v) => v.type).join(',')}`);
    assert.equal(view.items.length, 2, 'one vector per input');
    const dims = view.items[0].dims;
    assert.ok(view.items.every((x) => x.dims === dims && dims > 0));
    let meaning = '';
    if (t.real) {
      // A real sentence model: paraphrases are closer than unrelated sentences, and vectors are unit length.
      const j = await embed(t, [
        'A man is eating food.',
        'A man is eating a piece of bread.',
        'The stock market fell sharply today.',
      ]);
      const [a, b, c] = j.data.map((d) => d.embedding);
      const near = cosine(a, b);
      const far = cosine(a, c);
      assert.ok(near > far + 0.3, `paraphrase cosine ${near} vs unrelated ${far}`);
      assert.equal(dims, 384, 'all-MiniLM-L6-v2 has 384 dimensions');
      meaning = `, cosine paraphrase ${near.toFixed(2)} vs unrelated ${far.toFixed(2)}`;
    }
    o.request = `2 vectors of ${dims} dims, norm ${view.items[0].norm.toFixed(3)}${meaning}`;
  },

  async copyAs(t, o) {
    const { wire } = await sendTemplate(t, 'openai-embeddings');
    const { curl, python } = await runCopies(wire as HttpWire);
    assert.equal(curl.code, 0, `curl: ${curl.stderr}`);
    const j = JSON.parse(curl.stdout) as { data: Array<{ embedding: number[] }> };
    assert.equal(j.data.length, 2, `curl printed ${curl.stdout.slice(0, 200)}`);
    assert.equal(python.code, 0, `python: ${python.stderr}`);
    assert.match(python.stdout, /^200 application\/json/, `python printed ${python.stdout.slice(0, 200)}`);
    o.copyAs = `curl + Python (requests): ${j.data.length} vectors of ${j.data[0].embedding.length}`;
  },

  async bench(t, o) {
    const args = ['--group', 'embeddings', '--batch-sizes', '1,8', '--input-tokens', '32'];
    const ok = await benchRun(t, [...args, '--concurrency', '2', '--requests', '10'], 20);
    assert.deepEqual(
      [...new Set(ok.map((x) => x.n))].sort((a, b) => a! - b!),
      [1, 8],
      'batch sizes sent',
    );
    o.bench = 'embeddings over /v1/embeddings, batch 1 and 8, concurrency 2: 20/20 ok';
  },

  async tokens(t, o) {
    const sentence = 'The quick brown fox jumps over the lazy dog.';
    const j = await embed(t, [sentence]);
    const n = j.usage?.prompt_tokens;
    assert.ok(typeof n === 'number' && n > 0, `usage.prompt_tokens ${n}`);
    if (t.kind === 'openai') assert.equal(n, sentence.length, 'Infinity counts characters by default');
    o.tokens = `usage.prompt_tokens ${n} for a ${sentence.length}-character, 9-word sentence${t.kind === 'openai' ? ' (Infinity counts characters)' : ''}`;
  },

  async serverMetrics(_t, o) {
    o.serverMetrics = 'n/a (the bench check runs with --no-server-metrics)';
  },

  async capacity(_t, o) {
    o.capacity = 'n/a (the capacity search is checked on vLLM)';
  },

  async sharedPrefix(_t, o) {
    o.sharedPrefix = 'n/a (checked on vLLM)';
  },

  async multiTurn(_t, o) {
    o.multiTurn = 'n/a (checked on vLLM)';
  },

  async trace(_t, o) {
    o.trace = 'n/a (checked on vLLM)';
  },
};
