/**
 * llama.cpp through llama-cpp-python's OpenAI-compatible server (a generic "openai" kind here), with the embedded
 * vLLM personality as the twin: probe, tree, chat and completions (JSON and SSE), Copy as curl / Python run for
 * real, `inference-lab bench` text generation, and prompt lengths in the server's tokens equal to its usage.
 */
import assert from 'node:assert/strict';
import { endpointFor } from '../../src/core/bench/engine/endpoint';
import type { RawRecord } from '../../src/core/bench/record';
import { fitSyntheticPrompts, promptTokenizer } from '../../src/core/bench/workload/serverTokenizer';
import { benchRun, modelTreeCheck, probeCheck, sendTemplate, type Target } from './conformance';
import { vllmChecks, type Outcome } from './vllm.conformance';

const benches = new Map<string, RawRecord[] & { result?: { server?: { tokenizer?: string } } }>();

export const llamacppChecks: Record<keyof Outcome, (t: Target, o: Outcome) => Promise<void>> = {
  probe: probeCheck,

  tree: (t, o) => modelTreeCheck(t, o, 'none (no /metrics)'),

  async request(t, o) {
    const seen: string[] = [];
    for (const stream of [false, true])
      for (const template of ['openai-chat', 'openai-completions'] as const) {
        const { result } = await sendTemplate(t, template, (d) => ({
          ...d,
          params: { ...d.params, maxTokens: 8, temperature: 0, stream },
        }));
        assert.equal(result.ok, true, `${template} stream=${stream}: ${result.status} ${result.error?.message}`);
        const gen = result.views.find((v) => v.type === 'generation');
        assert.ok(gen, `${template}: no generation view in ${result.views.map((v) => v.type).join(',')}`);
        if (stream) {
          const m = result.stream;
          assert.ok(m && m.ttftMs !== undefined && m.ttftMs > 0, `${template}: no TTFT`);
          assert.ok(m.tokenCount >= 1 && m.tokenCount <= 8, `${template}: ${m.tokenCount} events`);
          seen.push(`${template} SSE ttft ${m.ttftMs.toFixed(0)} ms, ${m.tokenCount} events`);
        } else seen.push(`${template} JSON`);
      }
    o.request = seen.join('; ');
  },

  // The same Copy as checks as vLLM's: an OpenAI chat stream run with curl and Python to [DONE].
  copyAs: vllmChecks.copyAs,

  async bench(t, o) {
    const args = ['--group', 'text-generation', '--api', 'openai-completions', '--input-tokens', '24'];
    const ok = await benchRun(t, [...args, '--output-tokens', '12', '--concurrency', '2', '--requests', '12'], 12);
    benches.set(t.label, ok);
    o.bench = `text generation over /v1/completions: 12/12 ok, tokenizer: ${ok.result?.server?.tokenizer}`;
  },

  /**
   * Prompt lengths built by the bench's own code in the server's tokens (promptTokenizer → fitSyntheticPrompts),
   * then sent without streaming: usage.prompt_tokens must equal each length asked. (llama-cpp-python sends no
   * usage in a stream, stream_options.include_usage or not, so the bench's records carry none: checked here.)
   * Output: at most max_tokens (it has no ignore_eos; a random model may stop early).
   */
  async tokens(t, o) {
    const recs = benches.get(t.label);
    assert.ok(recs, 'the bench check did not run');
    assert.ok(
      recs.every((x) => x.io === 24),
      `asked ${recs.map((x) => x.io).join(',')}`,
    );
    const endpoint = endpointFor(t.url);
    const tok = await promptTokenizer(t.kind, 'openai-completions', endpoint, t.model);
    const lengths = { mean: 24, std: 6 };
    const fitted = await fitSyntheticPrompts(
      { inputTokens: lengths, outputTokens: { mean: 6, std: 0 }, ignoreEos: true },
      7,
      tok,
      undefined,
      6,
    );
    const seen: string[] = [];
    for (const it of fitted.items) {
      const r = await fetch(`${t.url}/v1/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: t.model, prompt: it.prompt, max_tokens: 6, temperature: 0 }),
      });
      const j = (await r.json()) as { usage?: { prompt_tokens?: number; completion_tokens?: number } };
      assert.equal(j.usage?.prompt_tokens, it.inputTokens, `usage.prompt_tokens vs asked for "${it.prompt}"`);
      const out = j.usage?.completion_tokens ?? 0;
      assert.ok(out >= 1 && out <= 6, `completion_tokens ${out}`);
      seen.push(`${it.inputTokens}=${j.usage?.prompt_tokens}`);
    }
    o.tokens = `prompt lengths asked = usage.prompt_tokens: ${seen.join(', ')} (${tok.source}); bench prompts 24 x${recs.length}`;
  },

  async serverMetrics(_t, o) {
    o.serverMetrics = 'n/a (llama-cpp-python has no /metrics; the C++ llama-server does)';
  },

  async capacity(_t, o) {
    o.capacity = 'n/a (checked on vLLM)';
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
