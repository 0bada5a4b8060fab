/**
 * The `guidellm` profile: GuideLLM 0.8.1 definitions (backends/openai/http.py
 * and request_handlers.py for timings and validation, schemas/request_stats.py
 * GenerativeRequestStats, benchmark/schemas/generative/metrics.py and
 * schemas/statistics.py), see media/guide/benchmarks/metrics.md. Times are seconds inside, as in GuideLLM.
 */
import { concurrencyDistribution, describeWeighted, rateDistribution } from '../../stats/weighted';
import { SampleBuffer } from '../../stats/sampleBuffer';
import { EV_DONE, EV_TEXT, type RawRecord } from '../record';
import { eventTimes, firstEvent } from './timeline';
import {
  figure,
  goodputOf,
  itemWord,
  metric,
  RequestTally,
  type FiguresOf,
  type MetricsOf,
  type ProfileAccumulator,
  type ProfileOptions,
  type StepSummary,
  type StepWindow,
} from './summary';

/** (time, amount) — or (value, weight) — pairs kept in two flat buffers. */
class Timed {
  readonly t = new SampleBuffer();
  readonly v = new SampleBuffer();
  push(time: number, amount: number): void {
    this.t.push(time);
    this.v.push(amount);
  }
  rate(start?: number, end?: number, opts: { percentiles?: readonly number[] } = {}) {
    return rateDistribution(this.t.view(), this.v.view(), start, end, opts);
  }
}

/** Token timings of one request: first token as 1, the rest spread evenly over the later iterations. */
function outputTimings(
  first: number | undefined,
  last: number | undefined,
  iterations: number,
  outTokens: number | undefined,
  end: number,
): Array<[number, number]> {
  if (first === undefined || last === undefined || iterations <= 1) return [[last ?? end, outTokens ?? 0]];
  const out: Array<[number, number]> = [[first, outTokens ? 1 : 0]];
  if (outTokens === undefined || outTokens <= 1) return out;
  const perIter = (outTokens - 1) / (iterations - 1);
  for (let k = 1; k < iterations; k++) out.push([first + ((last - first) * k) / (iterations - 1), perIter]);
  return out;
}

export function guidellmText(opts: ProfileOptions): ProfileAccumulator {
  const latency = new SampleBuffer();
  const ttft = new SampleBuffer();
  const tpot = new Timed(); // (value, weight) reuse of the pair buffer
  const itl = new Timed();
  const promptTokens = new SampleBuffer();
  const outputTokens = new SampleBuffer();
  const ends = new Timed();
  const intervals = new Timed();
  const outTok = new Timed();
  const allTok = new Timed();
  const tally = new RequestTally(); // failed = GuideLLM's errored, cancelled = its incomplete
  let good = 0;
  let determined = 0;
  const slo = opts.slo;
  return {
    add(r: RawRecord) {
      if (!tally.successful(r)) return;
      const iters = eventTimes(r, EV_TEXT).map((x) => (r.t + x) / 1000);
      // post_validation: a response with no text and no output tokens is errored.
      if (!iters.length && !((r.ou ?? 0) > 0)) return void tally.failed++;
      tally.completed++;
      const start = r.t / 1000;
      // The stream loop breaks at `data: [DONE]`: the request ends there, not at the HTTP end.
      const end = (r.t + (firstEvent(r, EV_DONE) ?? r.e)) / 1000;
      const first = iters[0];
      const last = iters[iters.length - 1];
      // Usage first; without it GuideLLM counts one token per iteration (None when there was none).
      const out = r.ou ?? (iters.length || undefined);
      const lat = end - start;
      const ttftMs = first !== undefined ? 1000 * (first - start) : undefined;
      const itlMs =
        first !== undefined && last !== undefined && out !== undefined && out > 1
          ? (1000 * (last - first)) / (out - 1)
          : undefined;
      const tpotMs = out ? (1000 * ((last ?? end) - start)) / out : undefined;
      latency.push(lat);
      ttft.push(ttftMs ?? 0);
      tpot.push(tpotMs ?? 0, out ?? 0);
      itl.push(itlMs ?? 0, (out || 1) - 1);
      promptTokens.push(r.iu ?? 0);
      outputTokens.push(out ?? 0);
      ends.push(end, 1);
      intervals.push(start, end);
      allTok.push(first ?? end, r.iu ?? 0);
      for (const [time, n] of outputTimings(first, last, iters.length, out, end)) {
        outTok.push(time, n);
        allTok.push(time, n);
      }
      if (slo) {
        const verdicts = [
          slo.ttft === undefined ? true : ttftMs === undefined ? undefined : !(ttftMs > slo.ttft),
          slo.tpot === undefined ? true : itlMs === undefined ? undefined : !(itlMs > slo.tpot),
          slo.e2el === undefined ? true : !(lat * 1000 > slo.e2el),
        ];
        if (!verdicts.includes(undefined)) {
          determined++;
          if (verdicts.every(Boolean)) good++;
        }
      }
    },
    finish(w: StepWindow): StepSummary {
      const p = { percentiles: opts.percentiles };
      const s = w.start / 1000;
      const e = w.end / 1000;
      const dur = e - s;
      const rps = ends.rate(s, e, p);
      const out: StepSummary = {
        profile: 'guidellm',
        durationSec: dur,
        counts: tally.counts(),
        throughput: {
          requests_per_second: figure('Requests/s (mean)', 'req/s', rps.mean),
          // GuideLLM spans token rates over the token timings themselves, not the measurement window.
          output_tokens_per_second: figure(
            'Output tokens/s (mean)',
            'tok/s',
            outTok.rate(undefined, undefined, p).mean,
          ),
          tokens_per_second: figure('Total tokens/s (mean)', 'tok/s', allTok.rate(undefined, undefined, p).mean),
          request_concurrency: figure(
            'Request concurrency (mean)',
            'requests',
            concurrencyDistribution(intervals.t.view(), intervals.v.view(), s, e, p).mean,
          ),
        } satisfies FiguresOf<'guidellm'>,
        metrics: {
          requests_per_second: metric('Requests per second', 'req/s', rps),
          request_latency: metric('Request latency', 's', describeWeighted(latency.view(), undefined, p)),
          time_to_first_token_ms: metric('TTFT', 'ms', describeWeighted(ttft.view(), undefined, p)),
          inter_token_latency_ms: metric('ITL', 'ms', describeWeighted(itl.t.view(), itl.v.view(), p)),
          time_per_output_token_ms: metric(
            'TPOT (incl. first token)',
            'ms',
            describeWeighted(tpot.t.view(), tpot.v.view(), p),
          ),
          prompt_token_count: metric('Prompt tokens', 'tokens', describeWeighted(promptTokens.view(), undefined, p)),
          output_token_count: metric('Output tokens', 'tokens', describeWeighted(outputTokens.view(), undefined, p)),
        } satisfies MetricsOf<'guidellm'>,
      };
      if (slo) {
        out.goodput = goodputOf(slo, good, determined + tally.failed, dur);
        Object.assign(out.throughput, {
          request_goodput: figure('Request goodput', 'req/s', out.goodput.perSec),
        } satisfies FiguresOf<'guidellm'>);
      }
      return out;
    },
  };
}

/** Embeddings and image classification with GuideLLM's statistics. */
export function guidellmBatch(opts: ProfileOptions): ProfileAccumulator {
  const latency = new SampleBuffer();
  const ends = new Timed();
  const itemEnds = new Timed();
  const tokenEnds = new Timed();
  const tally = new RequestTally();
  let good = 0;
  const item = itemWord(opts.group);
  return {
    add(r: RawRecord) {
      if (!tally.successful(r)) return;
      tally.completed++;
      latency.push(r.e / 1000);
      ends.push((r.t + r.e) / 1000, 1);
      itemEnds.push((r.t + r.e) / 1000, r.n);
      tokenEnds.push((r.t + r.e) / 1000, r.iu ?? r.io ?? 0);
      if (opts.slo?.e2el !== undefined && !(r.e > opts.slo.e2el)) good++;
    },
    finish(w: StepWindow): StepSummary {
      const p = { percentiles: opts.percentiles };
      const s = w.start / 1000;
      const e = w.end / 1000;
      const rps = ends.rate(s, e, p);
      const out: StepSummary = {
        profile: 'guidellm',
        durationSec: e - s,
        counts: tally.counts(),
        throughput: {
          requests_per_second: figure('Requests/s (mean)', 'req/s', rps.mean),
          [item.key]: figure(item.label, item.unit, itemEnds.rate(s, e, p).mean),
          // GuideLLM's prompt tokens per second, as a rate over request completions.
          ...(opts.group === 'embeddings'
            ? { prompt_tokens_per_second: figure('Input tokens/s (mean)', 'tok/s', tokenEnds.rate(s, e, p).mean) }
            : {}),
        } satisfies FiguresOf<'guidellm'>,
        metrics: {
          requests_per_second: metric('Requests per second', 'req/s', rps),
          request_latency: metric('Request latency', 's', describeWeighted(latency.view(), undefined, p)),
        } satisfies MetricsOf<'guidellm'>,
      };
      if (opts.slo?.e2el !== undefined) out.goodput = goodputOf(opts.slo, good, tally.completed + tally.failed, e - s);
      return out;
    },
  };
}
