/**
 * Shared-prefix workloads: requests in groups sharing a prefix of exactly P
 * server tokens; the prefix-cache hit rate comes from the server's counters
 * and from usage.prompt_tokens_details.cached_tokens, which must agree.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { RawRecord } from '../../../src/core/bench/record';
import { readRecordsFile } from '../../../src/core/bench/recordsFile';
import { resultToJson } from '../../../src/core/bench/result';
import { resultProblems } from '../../../src/core/bench/resultFile';
import { runBenchmark } from '../../../src/core/bench/runBenchmark';
import { BenchSpecError, normalizeSpec } from '../../../src/core/bench/specNormalize';
import { withServer } from '../embedded/helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-prefix-'));
const specError = (re: RegExp) => (e: unknown) => e instanceof BenchSpecError && re.test(e.message);

describe('shared-prefix workloads', () => {
  it('validates sharedPrefix with clear errors', () => {
    const base = { url: 'http://127.0.0.1:1', group: 'text-generation' as const, load: {} };
    assert.deepEqual(normalizeSpec({ ...base, text: { sharedPrefix: { groups: 4, tokens: 512 } } }).text.sharedPrefix, {
      groups: 4,
      tokens: 512,
    });
    assert.throws(
      () => normalizeSpec({ ...base, text: { sharedPrefix: { groups: 0, tokens: 5 } } }),
      specError(/sharedPrefix: groups is a whole number from 1 to 1024/),
    );
    assert.throws(
      () => normalizeSpec({ ...base, text: { sharedPrefix: { groups: 2, tokens: 1.5 } } }),
      specError(/sharedPrefix: tokens is a whole number/),
    );
    assert.throws(
      () => normalizeSpec({ ...base, text: { dataset: 'a.jsonl', sharedPrefix: { groups: 2, tokens: 8 } } }),
      specError(/cannot be combined with a dataset/),
    );
  });

  for (const api of ['openai-completions', 'openai-chat'] as const)
    it(`${api}: prompts are prefix + question in the server's tokens; hit rate from counters = from usage`, async () => {
      const recordsPath = path.join(dir, `${api}.records.jsonl`);
      await withServer(['vllm'], { personalities: { vllm: { enablePromptTokensDetails: true } } }, async (ep) => {
        const r = await runBenchmark(
          {
            url: ep.vllm,
            group: 'text-generation',
            api,
            model: 'tiny-llm',
            load: { concurrency: [1] },
            requests: 12,
            text: { sharedPrefix: { groups: 3, tokens: 64 }, inputTokens: { mean: 10 }, outputTokens: { mean: 2 } },
          },
          { recordsPath },
        );
        assert.deepEqual(resultProblems(JSON.parse(resultToJson(r))), []);
        assert.deepEqual(r.workload?.sharedPrefix, { groups: 3, tokens: 64 });
        const recs: RawRecord[] = [];
        for await (const l of readRecordsFile(recordsPath)) if (l.kind === 'record') recs.push(l.record);
        assert.equal(recs.length, 12);
        for (const x of recs) {
          assert.equal(x.io, 74, 'prefix 64 + question 10, as counted by the server');
          assert.equal(x.iu, 74);
        }
        // Request i is in group i mod 3. The preflight request sent prompt 0 first, so request 0 finds all but
        // the block holding its last token; requests 1 and 2 open their groups; every later one hits its
        // group's 64-token prefix (4 blocks of 16) and nothing after (its question differs).
        const perRequest = recs.sort((a, b) => a.i - b.i).map((x) => x.ic);
        // Chat: P counts the template around the message too; its 3 closing tokens ("\n<|assistant|>\n") follow the
        // question, so 61 tokens are shared: 3 whole blocks.
        const open = api === 'openai-chat' ? 48 : 64;
        assert.equal(perRequest[1], 0);
        assert.equal(perRequest[2], 0);
        for (const c of perRequest.slice(3)) assert.ok(c! >= open, `a later request of a group hits its prefix: ${c}`);
        const cached = perRequest.reduce((a, b) => a! + b!, 0)!;
        const u = r.prefixCache!.usage!;
        assert.deepEqual(u, { requests: 12, promptTokens: 12 * 74, cachedTokens: cached, hitRate: cached / (12 * 74) });
        const s = r.prefixCache!.server!;
        assert.equal(s.queries, 12 * 74);
        assert.equal(s.hits, cached);
        assert.equal(s.hitRate, u.hitRate);
        assert.ok(s.hitRate > 0.5, `most prompt tokens are the shared prefix: ${s.hitRate}`);
      });
    });
});
