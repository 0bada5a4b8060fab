import type { BenchSpec } from '../../core/bench/spec';
import { rateName } from '../../shared/resultMetrics';
import { askNumbers, presetBase, thrownMessage, type WorkloadEntry } from './pickWorkload';

/** MLPerf Offline: every query at once, judged on throughput; valid only past MLPerf's minimums unless lowered. */
export const offlineEntry: WorkloadEntry<'offline'> = {
  label: 'MLPerf Offline…',
  detail:
    'Every query at once (per batch size), judged on throughput: VALID only past 600 s and 24576 queries unless you lower them',
  p: 'offline',
  async ask(ctx) {
    const unit = rateName(ctx.group === 'text-generation' ? 'outputTokensPerSec' : 'itemsPerSec', ctx.group).unit;
    const base = await presetBase('quick', ctx);
    const { normalizeSpec } = await import('../../core/bench/specNormalize.js');
    // queries[, throughput (0: none)[, minimum seconds, minimum queries]]
    const spec = ([queries, minThroughput, minDurationSec, minQueries]: number[]): BenchSpec => ({
      ...base,
      requests: undefined,
      load: {
        offline: {
          queries,
          ...(minThroughput ? { minThroughput } : {}),
          ...(minDurationSec !== undefined && { minDurationSec }),
          ...(minQueries !== undefined && { minQueries }),
        },
      },
    });
    const answer = await askNumbers(
      ctx,
      `Queries sent at once, then optionally the throughput to reach (${unit}, 0: none), then the minimum seconds and queries of a valid run (MLPerf: 600 s, 24576), e.g. 256 or 256,500 or 256,500,10,256`,
      '256',
      (n) =>
        ![1, 2, 4].includes(n.length) || n.some((x) => !Number.isFinite(x) || x < 0)
          ? 'Queries; or queries,throughput; or queries,throughput,seconds,queries for validity (e.g. 256,500,10,256)'
          : thrownMessage(() => normalizeSpec(spec(n))),
    );
    return answer && spec(answer);
  },
};
