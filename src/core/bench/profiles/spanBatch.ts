/**
 * The batch groups (embeddings, image classification) as GenAI-Perf and AIPerf measure them: one
 * request latency per record, and every rate over the span from the first request sent to the
 * last response received (not the step's window, as vLLM does).
 */
import { SampleBuffer } from '../../stats/sampleBuffer';
import type { RawRecord } from '../record';
import {
  baseSummary,
  figure,
  goodputOf,
  itemWord,
  per,
  putMetric,
  RequestTally,
  type FiguresOf,
  type MetricsOf,
  type ProfileAccumulator,
  type ProfileOptions,
  type StepSummary,
} from './summary';

/** What the span holds when the step ends, for a profile's own extra figures. */
export interface SpanTotals {
  seconds: number;
  tally: RequestTally;
  inputTokens: number;
}

export interface SpanBatchOptions<P extends 'genai-perf' | 'aiperf'> {
  profile: P;
  /** The profile's figures after the items rate. */
  extra(t: SpanTotals): FiguresOf<P>;
  /**
   * Report goodput for any SLO (GenAI-Perf: a TTFT or TPOT constraint no batch request can meet
   * gives 0 good), or only for one with an E2E bound (AIPerf).
   */
  goodputForAnySlo: boolean;
}

export function spanBatch<P extends 'genai-perf' | 'aiperf'>(
  opts: ProfileOptions,
  how: SpanBatchOptions<P>,
): ProfileAccumulator {
  const latencies = new SampleBuffer();
  const tally = new RequestTally();
  let items = 0;
  let inputTokens = 0;
  let minReq = Infinity;
  let maxRes = -Infinity;
  let good = 0;
  const bound = opts.slo?.e2el;
  const item = itemWord(opts.group);
  return {
    add(r: RawRecord) {
      if (!tally.successful(r)) return;
      tally.completed++;
      items += r.n;
      inputTokens += r.iu ?? r.io ?? 0;
      latencies.push(r.e);
      minReq = Math.min(minReq, r.t);
      maxRes = Math.max(maxRes, r.t + r.e);
      if (bound !== undefined && !(r.e > bound)) good++;
    },
    finish(): StepSummary {
      const seconds = Number.isFinite(minReq) ? (maxRes - minReq) / 1000 : 0;
      const metrics: MetricsOf<'genai-perf'> & MetricsOf<'aiperf'> = {};
      putMetric(metrics, 'request_latency', 'Request latency', 'ms', latencies, opts.percentiles);
      const out = baseSummary(how.profile, seconds, tally, metrics);
      Object.assign(out.throughput, {
        [item.key]: figure(item.label, item.unit, per(items, seconds)),
      } satisfies FiguresOf<'genai-perf'> & FiguresOf<'aiperf'>);
      Object.assign(out.throughput, how.extra({ seconds, tally, inputTokens }));
      if (opts.slo && (how.goodputForAnySlo || bound !== undefined))
        out.goodput = goodputOf(opts.slo, good, tally.completed + tally.failed, seconds);
      return out;
    },
  };
}
