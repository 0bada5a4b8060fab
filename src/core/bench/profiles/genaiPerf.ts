/**
 * The `genai-perf` profile: NVIDIA GenAI-Perf 0.0.16 definitions
 * (genai_perf/profile_data_parser/llm_profile_data_parser.py and
 * goodput_calculator/llm_goodput_calculator.py; a response is one
 * perf_analyzer curl write callback, i.e. one transport read), see media/guide/benchmarks/metrics.md.
 */
import { SampleBuffer } from '../../stats/sampleBuffer';
import { EV_TEXT, type RawRecord } from '../record';
import { spanBatch } from './spanBatch';
import { readTimes, roundHalfEven } from './timeline';
import {
  baseSummary,
  figure,
  goodputOf,
  per,
  putMetric,
  RequestTally,
  type FiguresOf,
  type MetricsOf,
  type ProfileAccumulator,
  type ProfileOptions,
  type StepSummary,
} from './summary';

export function genaiPerfText(opts: ProfileOptions): ProfileAccumulator {
  const latencies = new SampleBuffer();
  const ttfts = new SampleBuffer();
  const ttsts = new SampleBuffer();
  const itls = new SampleBuffer();
  const perUser = new SampleBuffer();
  const osls = new SampleBuffer();
  const isls = new SampleBuffer();
  const tally = new RequestTally(); // completed: requests with a latency (GenAI-Perf's request_count)
  let sent = 0; // every successful request, empty ones too: len(requests), the request-throughput numerator
  let minReq = Infinity;
  let maxRes = -Infinity;
  let totalOsl = 0;
  return {
    add(r: RawRecord) {
      if (!tally.successful(r)) return;
      sent++;
      // One response per transport read; reads without text ([DONE], role-only, usage-only) are dropped.
      const responses = readTimes(r, EV_TEXT);
      if (!responses.length) return; // "Skip requests with empty response"
      tally.completed++;
      minReq = Math.min(minReq, r.t);
      maxRes = Math.max(maxRes, r.t + responses[responses.length - 1]);
      const latencyNs = Math.round(responses[responses.length - 1] * 1e6);
      const ttftNs = Math.round(responses[0] * 1e6);
      latencies.push(latencyNs / 1e6);
      ttfts.push(ttftNs / 1e6);
      if (responses.length > 1) ttsts.push(responses[1] - responses[0]);
      const osl = r.oo ?? 0;
      isls.push(r.io ?? 0);
      osls.push(osl);
      totalOsl += osl;
      if (responses.length > 1 && osl > 1) {
        const itlNs = roundHalfEven((latencyNs - ttftNs) / (osl - 1));
        itls.push(itlNs / 1e6);
        perUser.push(1 / (itlNs / 1e9));
      }
    },
    finish(): StepSummary {
      const dur = Number.isFinite(minReq) ? (maxRes - minReq) / 1000 : 0;
      const p = opts.percentiles;
      const metrics: MetricsOf<'genai-perf'> = {};
      putMetric(metrics, 'time_to_first_token', 'Time to first token', 'ms', ttfts, p);
      putMetric(metrics, 'time_to_second_token', 'Time to second token', 'ms', ttsts, p);
      putMetric(metrics, 'inter_token_latency', 'Inter token latency', 'ms', itls, p);
      putMetric(metrics, 'request_latency', 'Request latency', 'ms', latencies, p);
      putMetric(
        metrics,
        'output_token_throughput_per_user',
        'Output token throughput per user',
        'tok/s/user',
        perUser,
        p,
      );
      putMetric(metrics, 'output_sequence_length', 'Output sequence length', 'tokens', osls, p);
      putMetric(metrics, 'input_sequence_length', 'Input sequence length', 'tokens', isls, p);
      const out = baseSummary('genai-perf', dur, tally, metrics);
      Object.assign(out.throughput, {
        request_throughput: figure('Request throughput', 'req/s', per(sent, dur)),
      } satisfies FiguresOf<'genai-perf'>);
      Object.assign(out.throughput, {
        output_token_throughput: figure('Output token throughput', 'tok/s', per(totalOsl, dur)),
      } satisfies FiguresOf<'genai-perf'>);
      Object.assign(out.throughput, {
        request_count: figure('Request count', 'requests', tally.completed),
      } satisfies FiguresOf<'genai-perf'>);
      if (opts.slo) {
        const good = countGood(opts.slo, ttfts.view(), itls.view(), latencies.view());
        Object.assign(out.throughput, {
          request_goodput: figure('Request goodput', 'req/s', per(good, dur)),
        } satisfies FiguresOf<'genai-perf'>);
        out.goodput = goodputOf(opts.slo, good, tally.completed + tally.failed, dur);
      }
      return out;
    },
  };
}

/**
 * GenAI-Perf pairs its per-metric lists by position (Python `zip`), and its
 * inter-token list only holds requests with more than one output token: with
 * such requests present the pairing shifts and the count stops at the shortest
 * list. Reproduced as is so the numbers match the tool.
 */
function countGood(
  slo: { ttft?: number; tpot?: number; e2el?: number },
  ttft: Float64Array,
  itl: Float64Array,
  latency: Float64Array,
): number {
  const lists: Array<[Float64Array, number]> = [];
  if (slo.ttft !== undefined) lists.push([ttft, slo.ttft]);
  if (slo.tpot !== undefined) lists.push([itl, slo.tpot]);
  if (slo.e2el !== undefined) lists.push([latency, slo.e2el]);
  if (!lists.length) return 0;
  const n = Math.min(...lists.map(([l]) => l.length));
  let good = 0;
  for (let i = 0; i < n; i++) if (lists.every(([l, bound]) => !(l[i] > bound))) good++;
  return good;
}

/** Embeddings and image classification: request latency and throughput over the same span. */
export function genaiPerfBatch(opts: ProfileOptions): ProfileAccumulator {
  return spanBatch(opts, {
    profile: 'genai-perf',
    // Not a GenAI-Perf figure: input tokens over the same span, for embeddings.
    extra: ({ seconds, inputTokens }): FiguresOf<'genai-perf'> =>
      opts.group === 'embeddings'
        ? { input_token_throughput: figure('Input tokens/s', 'tok/s', per(inputTokens, seconds)) }
        : {},
    goodputForAnySlo: true,
  });
}
