import type { BenchSpec } from '../../core/bench/spec';
import { askNumbers, presetBase, thrownMessage, type WorkloadEntry } from './pickWorkload';

/**
 * Shared-prefix groups (SGLang's generated-shared-prefix workload): G groups of
 * requests whose prompts start with the group's prefix of exactly P server
 * tokens; the run reports the server's prefix-cache hit rate.
 */
export const sharedPrefixEntry: WorkloadEntry<'shared-prefix'> = {
  label: 'Shared-prefix groups…',
  detail:
    'Groups of requests sharing a system prompt of P tokens (counted by the server): the prefix-cache hit rate from its metrics or usage',
  p: 'shared-prefix',
  async ask(ctx) {
    const base = await presetBase('quick', ctx);
    const { normalizeSpec } = await import('../../core/bench/specNormalize.js');
    // Request i belongs to group i mod G, so G × (requests per group) requests give each group its share.
    const spec = ([tokens, groups, perGroup, concurrency]: number[]): BenchSpec => ({
      ...base,
      requests: groups * perGroup,
      load: { concurrency: [concurrency] },
      text: { ...base.text, sharedPrefix: { groups, tokens } },
    });
    const answer = await askNumbers(
      ctx,
      'Prefix tokens P, groups, requests per group, concurrency (each group shares one prefix of P tokens)',
      '512,4,16,4',
      (n) =>
        n.length !== 4 || n.some((x) => !Number.isInteger(x) || x < 1)
          ? 'Four whole numbers from 1: prefix tokens, groups, requests per group, concurrency (e.g. 512,4,16,4)'
          : thrownMessage(() => normalizeSpec(spec(n))),
    );
    return answer && spec(answer);
  },
};
