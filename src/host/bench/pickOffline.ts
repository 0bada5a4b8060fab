import { rateName } from '../../shared/resultMetrics';
import { askNumbers, presetBase, type WorkloadEntry } from './pickWorkload';

/** MLPerf Offline: every query at once, judged on throughput. */
export const offlineEntry: WorkloadEntry<'offline'> = {
  label: 'MLPerf Offline…',
  detail: 'Every query at once (per batch size), judged on throughput: a PASS/FAIL line per step',
  p: 'offline',
  async ask(ctx) {
    const unit = rateName(ctx.group === 'text-generation' ? 'outputTokensPerSec' : 'itemsPerSec', ctx.group).unit;
    const answer = await askNumbers(
      ctx,
      `Queries sent at once, and optionally the throughput to reach (${unit}), e.g. 256 or 256,500`,
      '256',
      ([q, t]) =>
        Number.isInteger(q) && q > 0 && q <= 10000 && (t === undefined || t > 0)
          ? undefined
          : 'Queries (1 to 10000), then optionally a positive throughput: 256 or 256,500',
    );
    if (!answer) return undefined;
    const [queries, minThroughput] = answer;
    const base = await presetBase('quick', ctx);
    return {
      ...base,
      requests: undefined,
      load: { offline: minThroughput === undefined ? { queries } : { queries, minThroughput } },
    };
  },
};
