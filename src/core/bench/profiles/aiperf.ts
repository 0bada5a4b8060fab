/**
 * The `aiperf` profile: NVIDIA AIPerf 0.13.0 definitions (aiperf/metrics/types/*,
 * common/models/record_models.py `content_responses` and `valid`,
 * transports/sse_utils.py), see media/guide/benchmarks/metrics.md. A response is one SSE message stamped
 * with the arrival of the read that completed it; a content response carries
 * text or reasoning text (usage-only, role-only and [DONE] messages are not
 * content). A record with no content response is invalid and counted as an
 * error. Token counts are AIPerf's default client-side ones (our own count).
 */
import { CountedSamples } from '../../stats/countedSamples';
import { SampleBuffer } from '../../stats/sampleBuffer';
import { EV_REASON, EV_TEXT, type RawRecord } from '../record';
import { spanBatch } from './spanBatch';
import { eventTimes, firstEvent } from './timeline';
import {
  baseSummary,
  figure,
  goodputOf,
  metric,
  per,
  putMetric,
  RequestTally,
  type FiguresOf,
  type MetricsOf,
  type ProfileAccumulator,
  type ProfileOptions,
  type StepSummary,
} from './summary';

export function aiperfText(opts: ProfileOptions): ProfileAccumulator {
  const latencies = new SampleBuffer();
  const ttfts = new SampleBuffer();
  const ttfos = new SampleBuffer();
  const ttsts = new SampleBuffer();
  const itls = new SampleBuffer();
  const icls = new CountedSamples();
  const perUser = new SampleBuffer();
  const osls = new SampleBuffer();
  const isls = new SampleBuffer();
  const tally = new RequestTally(); // completed: valid records (request_count); failed: error_request_count
  let minReq = Infinity;
  let maxRes = -Infinity;
  let totalOsl = 0;
  let good = 0;
  const slo = opts.slo;
  return {
    add(r: RawRecord) {
      if (!tally.successful(r)) return;
      const content = eventTimes(r, EV_TEXT | EV_REASON);
      if (!content.length) return void tally.failed++; // invalid: no content response
      tally.completed++;
      const ttft = content[0];
      const latency = content[content.length - 1];
      ttfts.push(ttft);
      latencies.push(latency);
      const ttfo = firstEvent(r, EV_TEXT);
      if (ttfo !== undefined) ttfos.push(ttfo);
      if (content.length > 1) ttsts.push(content[1] - content[0]);
      for (let k = 1; k < content.length; k++) icls.push(content[k] - content[k - 1]);
      minReq = Math.min(minReq, r.t);
      maxRes = Math.max(maxRes, r.t + latency);
      const osl = r.oo ?? 0;
      osls.push(osl);
      totalOsl += osl;
      if (r.io !== undefined) isls.push(r.io);
      let itl: number | undefined;
      if (osl >= 2) {
        itl = (latency - ttft) / (osl - 1);
        itls.push(itl);
        if (itl > 0) perUser.push(1000 / itl);
      }
      if (
        slo &&
        (slo.ttft ?? Infinity) >= ttft &&
        (slo.tpot === undefined || (itl !== undefined && slo.tpot >= itl)) &&
        (slo.e2el ?? Infinity) >= latency
      )
        good++;
    },
    finish(): StepSummary {
      const dur = Number.isFinite(minReq) ? (maxRes - minReq) / 1000 : 0;
      const p = opts.percentiles;
      const metrics: MetricsOf<'aiperf'> = {};
      putMetric(metrics, 'time_to_first_token', 'Time to first token', 'ms', ttfts, p);
      putMetric(metrics, 'time_to_first_output_token', 'Time to first output token', 'ms', ttfos, p);
      putMetric(metrics, 'time_to_second_token', 'Time to second token', 'ms', ttsts, p);
      putMetric(metrics, 'inter_token_latency', 'Inter token latency', 'ms', itls, p);
      if (icls.length) metrics.inter_chunk_latency = metric('Inter chunk latency', 'ms', icls.describe(p));
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
      const out = baseSummary('aiperf', dur, tally, metrics);
      Object.assign(out.throughput, {
        output_token_throughput: figure('Output token throughput', 'tok/s', per(totalOsl, dur)),
      } satisfies FiguresOf<'aiperf'>);
      Object.assign(out.throughput, {
        request_count: figure('Request count', 'requests', tally.completed),
      } satisfies FiguresOf<'aiperf'>);
      Object.assign(out.throughput, {
        error_request_count: figure('Error request count', 'requests', tally.failed),
      } satisfies FiguresOf<'aiperf'>);
      if (slo) {
        Object.assign(out.throughput, {
          goodput: figure('Goodput', 'req/s', per(good, dur)),
        } satisfies FiguresOf<'aiperf'>);
        out.goodput = goodputOf(slo, good, tally.completed + tally.failed, dur);
      }
      return out;
    },
  };
}

/** Embeddings and image classification: a record's one response is its content. */
export function aiperfBatch(opts: ProfileOptions): ProfileAccumulator {
  return spanBatch(opts, {
    profile: 'aiperf',
    extra: ({ tally }) => ({ error_request_count: figure('Error request count', 'requests', tally.failed) }),
    goodputForAnySlo: false,
  });
}
