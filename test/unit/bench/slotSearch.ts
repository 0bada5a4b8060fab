/**
 * A capacity search whose answer is known in advance, for the capacity tests:
 * the embedded vLLM runs two sequences at once (maxBatch 2), each request
 * takes 105 ms (5 ms prefill, 5 more tokens 20 ms apart), so from
 * concurrency 3 on new requests wait ~50 ms or more for a slot and TTFT
 * breaks a 40 ms bound; the search is over concurrency, p80, 90 % confidence,
 * 20 to 160 requests per point.
 */
import path from 'node:path';
import { runBenchmark } from '../../../src/core/bench/runBenchmark';
import type { BenchResult } from '../../../src/core/bench/result';
import type { Slo } from '../../../src/core/bench/spec';
import { withServer } from '../embedded/helpers';

export async function slotLimitedSearch(
  dir: string,
  max: number,
  slo: Slo = { ttft: 40 },
): Promise<{ result: BenchResult; recordsPath: string }> {
  const latency = {
    prefillBaseMs: 5,
    prefillPerTokenMs: 0,
    decodePerTokenMs: 20,
    batchSlowdown: 0,
    maxBatch: 2,
    jitter: 0,
  };
  const recordsPath = path.join(dir, 'search.records.jsonl');
  const result = await withServer(
    ['vllm'],
    { models: [{ name: 'tiny-llm', kind: 'text-generation', latency }] },
    (ep) =>
      runBenchmark(
        {
          url: ep.vllm,
          group: 'text-generation',
          api: 'openai-completions',
          model: 'tiny-llm',
          load: {
            capacity: {
              dimension: 'concurrency',
              start: 1,
              max,
              percentile: 80,
              confidence: 0.9,
              minRequests: 20,
              maxRequests: 160,
            },
          },
          slo,
          text: { inputTokens: { mean: 16 }, outputTokens: { mean: 6 } },
        },
        { recordsPath },
      ),
  );
  return { result, recordsPath };
}
