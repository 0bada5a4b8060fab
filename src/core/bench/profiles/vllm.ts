/**
 * The `vllm` profile: `vllm bench serve` definitions as of vLLM 0.32.0
 * (vllm/benchmarks/serve.py `calculate_metrics` and
 * lib/endpoint_request_func.py), see media/guide/benchmarks/metrics.md.
 */
import { describe, type Distribution } from '../../stats/describe';
import { CountedSamples } from '../../stats/countedSamples';
import { SampleBuffer } from '../../stats/sampleBuffer';
import { EV_CHOICE, EV_USAGE, type RawRecord } from '../record';
import { eventTimes, hasEvent } from './timeline';
import {
  baseSummary,
  figure,
  goodputOf,
  itemWord,
  metric,
  per,
  RequestTally,
  type FiguresOf,
  type MetricsOf,
  type ProfileAccumulator,
  type ProfileOptions,
  type StepSummary,
  type StepWindow,
} from './summary';

/** `np.mean(x or 0)` and friends: an empty list is summarised as the single value 0. */
function describeOrZero(values: SampleBuffer, percentiles: readonly number[]): Distribution {
  return describe(values.length ? values.view() : [0], percentiles, true);
}

/**
 * Highest number of [send, end) intervals open at once, by a sweep over the
 * sorted starts and ends (an end at the same time as a start closes first).
 * Ends are `start + latency`, computed here rather than stored per request.
 */
function peakConcurrency(starts: SampleBuffer, latencies: SampleBuffer): number {
  const s = starts.view();
  const e = latencies.view();
  for (let i = 0; i < e.length; i++) e[i] += s[i];
  s.sort();
  e.sort();
  let j = 0;
  let cur = 0;
  let peak = 0;
  for (let i = 0; i < s.length; i++) {
    for (; j < e.length && e[j] <= s[i]; j++) cur--;
    peak = Math.max(peak, ++cur);
  }
  return peak;
}

/** vLLM's request functions call a request successful only on HTTP status 200 exactly. */
function ok200(tally: RequestTally, r: RawRecord): boolean {
  if (!tally.successful(r)) return false;
  if (r.st === 200) return true;
  tally.failed++;
  return false;
}

/**
 * Token counts as vLLM reads them: usage only from a stream message whose
 * `choices` list is empty (the `include_usage` chunk: `elif usage := …`);
 * without one (or with 0 completion tokens) the output is re-tokenized and the
 * input is the dataset's prompt length.
 */
export function vllmTokens(r: RawRecord): { input: number; output: number } {
  const usageChunk = hasEvent(r, EV_USAGE, EV_CHOICE);
  return {
    input: usageChunk && r.iu !== undefined ? r.iu : (r.io ?? 0),
    output: usageChunk && r.ou ? r.ou : (r.oo ?? 0),
  };
}

export function vllmText(opts: ProfileOptions): ProfileAccumulator {
  const ttfts = new SampleBuffer();
  const tpots = new SampleBuffer();
  const itls = new CountedSamples(); // one per streamed chunk: kept as counts per microsecond
  const e2els = new SampleBuffer();
  const starts = new SampleBuffer();
  const tally = new RequestTally();
  let totalInput = 0;
  let totalOutput = 0;
  let good = 0;
  const slo = opts.slo;
  return {
    add(r: RawRecord) {
      if (!ok200(tally, r)) return;
      const choices = eventTimes(r, EV_CHOICE);
      // vLLM marks a request failed when it never saw a chunk with `choices`.
      if (choices.length === 0) return void tally.failed++;
      const ttft = choices[0];
      const latency = choices[choices.length - 1];
      for (let k = 1; k < choices.length; k++) itls.push(choices[k] - choices[k - 1]);
      const tokens = vllmTokens(r);
      const outputLen = tokens.output;
      const tpot = outputLen > 1 ? (latency - ttft) / (outputLen - 1) : 0;
      if (outputLen > 1) tpots.push(tpot);
      ttfts.push(ttft);
      e2els.push(latency);
      starts.push(r.t);
      totalInput += tokens.input;
      totalOutput += outputLen;
      tally.completed++;
      if (slo && (slo.ttft ?? Infinity) >= ttft && (slo.tpot ?? Infinity) >= tpot && (slo.e2el ?? Infinity) >= latency)
        good++;
    },
    finish(w: StepWindow): StepSummary {
      const dur = (w.end - w.start) / 1000;
      const p = opts.percentiles;
      const out = baseSummary('vllm', dur, tally, {
        ttft: metric('TTFT', 'ms', describeOrZero(ttfts, p)),
        tpot: metric('TPOT', 'ms', describeOrZero(tpots, p)),
        itl: metric('ITL', 'ms', itls.length ? itls.describe(p) : describe([0], p)),
        e2el: metric('E2E latency', 'ms', describeOrZero(e2els, p)),
      } satisfies MetricsOf<'vllm'>);
      Object.assign(out.throughput, {
        output_throughput: figure('Output token throughput', 'tok/s', per(totalOutput, dur)),
        total_token_throughput: figure('Total token throughput', 'tok/s', per(totalInput + totalOutput, dur)),
        max_concurrent_requests: figure('Peak concurrent requests', 'requests', peakConcurrency(starts, e2els)),
        total_input_tokens: figure('Total input tokens', 'tokens', totalInput),
        total_output_tokens: figure('Total generated tokens', 'tokens', totalOutput),
      } satisfies FiguresOf<'vllm'>);
      if (slo) {
        Object.assign(out.throughput, {
          request_goodput: figure('Request goodput', 'req/s', per(good, dur)),
        } satisfies FiguresOf<'vllm'>);
        out.goodput = goodputOf(slo, good, tally.completed + tally.failed, dur);
      }
      return out;
    },
  };
}

/** Embeddings and image classification: vLLM's `calculate_metrics_for_embeddings`. */
export function vllmBatch(opts: ProfileOptions): ProfileAccumulator {
  const e2els = new SampleBuffer();
  const tally = new RequestTally();
  let items = 0;
  let inputTokens = 0;
  let good = 0;
  const item = itemWord(opts.group);
  return {
    add(r: RawRecord) {
      if (!ok200(tally, r)) return;
      e2els.push(r.e);
      tally.completed++;
      items += r.n;
      inputTokens += r.iu ?? r.io ?? 0;
      if (opts.slo && (opts.slo.e2el ?? Infinity) >= r.e) good++;
    },
    finish(w: StepWindow): StepSummary {
      const dur = (w.end - w.start) / 1000;
      const out = baseSummary('vllm', dur, tally, {
        e2el: metric('E2E latency', 'ms', describeOrZero(e2els, opts.percentiles)),
      } satisfies MetricsOf<'vllm'>);
      Object.assign(out.throughput, {
        [item.key]: figure(item.label, item.unit, per(items, dur)),
      } satisfies FiguresOf<'vllm'>);
      if (opts.group === 'embeddings')
        Object.assign(out.throughput, {
          total_token_throughput: figure('Total token throughput', 'tok/s', per(inputTokens, dur)),
        } satisfies FiguresOf<'vllm'>);
      if (opts.slo) out.goodput = goodputOf(opts.slo, good, tally.completed + tally.failed, dur);
      return out;
    },
  };
}
