import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAccumulator } from '../../../src/core/bench/profiles/profiles';
import type { StepSummary } from '../../../src/core/bench/profiles/summary';
import {
  EV_CHOICE as C,
  EV_DONE as D,
  EV_READ as READ,
  EV_REASON as RS,
  EV_TEXT as T,
  EV_USAGE as U,
  type RawRecord,
} from '../../../src/core/bench/record';
import type { ProfileName } from '../../../src/core/bench/spec';

/**
 * Hand-computed timelines (times in ms). A: chat stream with an empty role
 * chunk, two text chunks, an empty finish chunk, a usage-only chunk and
 * [DONE]. B: one output token. C: HTTP 500. D: a stream with choices but no
 * text at all (usage says 0 tokens).
 */
const A: RawRecord = {
  i: 0,
  s: 0,
  n: 1,
  q: 0,
  t: 0,
  h: 5,
  e: 77,
  st: 200,
  iu: 5,
  io: 4,
  ou: 2,
  oo: 2,
  bo: 100,
  bi: 400,
  ev: [10, C, 30, C | T, 50, C | T, 70, C, 75, U, 76, D],
};
const B: RawRecord = {
  i: 1,
  s: 0,
  n: 1,
  q: 5,
  t: 5,
  e: 18,
  st: 200,
  iu: 3,
  io: 3,
  ou: 1,
  oo: 1,
  bo: 90,
  bi: 200,
  ev: [15, C | T, 16, C, 17, U],
};
const Cfail: RawRecord = { i: 2, s: 0, n: 1, q: 10, t: 10, e: 3, st: 500, ek: 'http', er: 'HTTP 500', bo: 90, bi: 20 };
const Dempty: RawRecord = {
  i: 3,
  s: 0,
  n: 1,
  q: 20,
  t: 20,
  e: 42,
  st: 200,
  ou: 0,
  oo: 0,
  bo: 90,
  bi: 150,
  ev: [30, C, 40, C, 41, D],
};
const warm: RawRecord = { ...A, i: 99, w: 1, t: -500, q: -500 };

function run(profile: ProfileName, slo = { ttft: 20, tpot: 50 }, records = [warm, A, B, Cfail, Dempty]): StepSummary {
  const acc = createAccumulator(profile, { group: 'text-generation', percentiles: [50, 99], slo });
  for (const r of records) acc.add(r);
  return acc.finish({ start: 0, end: 77 });
}

function near(actual: number | undefined, expected: number, what: string): void {
  assert.ok(
    actual !== undefined && Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
    `${what}: expected ${expected}, got ${actual}`,
  );
}

describe('vllm profile', () => {
  const s = run('vllm');
  it('counts requests with a choices chunk as completed, the HTTP error as failed, and skips warm-up', () => {
    assert.deepEqual(s.counts, { completed: 3, failed: 1, cancelled: 0, total: 4 });
  });
  it('takes TTFT at the first chunk with choices, even an empty role chunk', () => {
    near(s.metrics.ttft.mean, (10 + 15 + 30) / 3, 'ttft mean');
    near(s.metrics.ttft.median, 15, 'ttft median');
    near(
      s.metrics.ttft.std,
      Math.sqrt(((10 - 55 / 3) ** 2 + (15 - 55 / 3) ** 2 + (30 - 55 / 3) ** 2) / 3),
      'ttft std (population)',
    );
    near(s.metrics.ttft.percentiles['99'], 29.7, 'ttft p99 (linear interpolation)');
  });
  it('ends E2E at the last chunk with choices (not at usage or [DONE])', () => {
    near(s.metrics.e2el.mean, (70 + 16 + 40) / 3, 'e2el mean');
  });
  it('computes TPOT from usage tokens and only for OSL > 1', () => {
    assert.equal(s.metrics.tpot.count, 1);
    near(s.metrics.tpot.mean, 60, 'tpot = (70 − 10) / (2 − 1)');
  });
  it('pools every gap between chunks with choices as ITL', () => {
    assert.equal(s.metrics.itl.count, 5);
    near(s.metrics.itl.mean, (20 + 20 + 20 + 1 + 10) / 5, 'itl mean');
    near(s.metrics.itl.median, 20, 'itl median');
  });
  it('divides by the step duration', () => {
    near(s.throughput.request_throughput.value, 3 / 0.077, 'req/s');
    near(s.throughput.output_throughput.value, 3 / 0.077, 'output tok/s');
    near(s.throughput.total_token_throughput.value, (5 + 3 + 0 + 3) / 0.077, 'total tok/s');
  });
  it('counts goodput with TPOT 0 for OSL ≤ 1', () => {
    assert.equal(s.goodput?.good, 1); // B only: A misses TPOT, D misses TTFT
    near(s.goodput?.perSec, 1 / 0.077, 'goodput');
    near(s.goodput?.ratio, 1 / 4, 'goodput ratio over completed + failed');
  });
  it('reports 0 for a metric with no samples, as np.mean(x or 0)', () => {
    const only = run('vllm', { ttft: 20, tpot: 50 }, [B]);
    assert.equal(only.metrics.tpot.mean, 0);
    assert.equal(only.metrics.tpot.count, 1);
  });
});

describe('genai-perf profile', () => {
  const s = run('genai-perf');
  it('starts TTFT at the first response with text and ends latency at the last one', () => {
    near(s.metrics.time_to_first_token.mean, (30 + 15) / 2, 'ttft');
    near(s.metrics.request_latency.mean, (50 + 15) / 2, 'latency');
    near(s.metrics.time_to_second_token.mean, 20, 'ttst');
  });
  it('defines ITL as (latency − TTFT) / (OSL − 1) with its own token count, and per-user throughput as 1 / ITL', () => {
    assert.equal(s.metrics.inter_token_latency.count, 1);
    near(s.metrics.inter_token_latency.mean, 20, 'itl');
    near(s.metrics.output_token_throughput_per_user.mean, 1 / 0.02, 'tok/s/user = 1 / ITL');
    assert.equal(s.metrics.output_token_throughput_per_request, undefined);
    near(s.metrics.input_sequence_length.mean, 3.5, 'isl from our own count');
  });
  it('leaves a request with no text out of request_count but in request throughput (len(requests))', () => {
    assert.deepEqual(s.counts, { completed: 2, failed: 1, cancelled: 0, total: 3 });
    near(s.throughput.request_count.value, 2, 'request_count');
    near(s.durationSec, 0.05, 'duration = last response − first request');
    near(s.throughput.request_throughput.value, 3 / 0.05, 'req/s');
    near(s.throughput.output_token_throughput.value, 3 / 0.05, 'tok/s');
  });
  it('pairs goodput lists by position as GenAI-Perf does', () => {
    assert.equal(s.goodput?.good, 0); // (ttft 30, itl 20): the only pair zip makes
  });
});

describe('guidellm profile', () => {
  const s = run('guidellm', { ttft: 20, tpot: 50 });
  it('uses usage tokens, weights TPOT by tokens and ITL by tokens − 1', () => {
    near(s.metrics.time_per_output_token_ms.mean, (25 * 2 + 15 * 1) / 3, 'tpot weighted mean');
    near(s.metrics.time_per_output_token_ms.median, 25, 'tpot inverted-cdf median');
    near(s.metrics.inter_token_latency_ms.mean, 20, 'itl (zero weights dropped)');
  });
  it('errors a response with no text and no output tokens (post_validation)', () => {
    assert.deepEqual(s.counts, { completed: 2, failed: 2, cancelled: 0, total: 4 });
    near(s.metrics.time_to_first_token_ms.mean, (30 + 15) / 2, 'ttft mean of A and B only');
  });
  it('ends a request at data: [DONE], not at the end of the HTTP body', () => {
    near(s.metrics.request_latency.max, 0.076, 'A: [DONE] at 76 ms, body end at 77 ms');
    near(s.metrics.request_latency.min, 0.018, 'B has no [DONE]: body end');
    near(s.throughput.requests_per_second.value, 2 / 0.077, 'req/s mean');
    assert.equal(s.metrics.requests_per_second.count, 2);
  });
  it('leaves requests without an ITL undetermined for goodput', () => {
    // A: TTFT 30 > 20 → violates. B: ITL undefined → undetermined. C, D: errored.
    assert.equal(s.goodput?.good, 0);
    assert.equal(s.goodput?.considered, 3);
  });
});

describe('definition differences between the profiles (one record each)', () => {
  const one = (profile: ProfileName, r: RawRecord, slo?: { ttft?: number; tpot?: number }) => {
    const acc = createAccumulator(profile, { group: 'text-generation', percentiles: [50], slo });
    acc.add(r);
    return acc.finish({ start: 0, end: 100 });
  };
  const R = READ;
  it('vllm reads usage only from a chunk with empty choices; otherwise our own counts', () => {
    const inChoices: RawRecord = {
      i: 0,
      s: 0,
      n: 1,
      q: 0,
      t: 0,
      e: 50,
      st: 200,
      iu: 9,
      io: 4,
      ou: 7,
      oo: 3,
      bo: 1,
      bi: 1,
      ev: [10, C | T, 30, C | T | U, 40, D],
    };
    const a = one('vllm', inChoices);
    near(a.throughput.total_output_tokens.value, 3, 'output = our count (usage rode on a choices chunk)');
    near(a.throughput.total_input_tokens.value, 4, 'input = dataset prompt length');
    near(a.metrics.tpot.mean, (30 - 10) / (3 - 1), 'tpot with our count');
    const usageOnly = one('vllm', { ...inChoices, ev: [10, C | T, 30, C | T, 35, U, 40, D] });
    near(usageOnly.throughput.total_output_tokens.value, 7, 'output = usage.completion_tokens');
    near(usageOnly.throughput.total_input_tokens.value, 9, 'input = usage.prompt_tokens');
    const zero = one('vllm', { ...inChoices, ou: 0, ev: [10, C | T, 30, C | T, 35, U, 40, D] });
    near(zero.throughput.total_output_tokens.value, 3, 'usage 0 completion tokens: re-tokenized (if not output_len)');
  });
  it('vllm succeeds on status 200 only; the others on any 2xx', () => {
    const created: RawRecord = {
      i: 0,
      s: 0,
      n: 1,
      q: 0,
      t: 0,
      e: 50,
      st: 201,
      oo: 2,
      bo: 1,
      bi: 1,
      ev: [10, C | T, 30, C | T, 40, D],
    };
    assert.deepEqual(one('vllm', created).counts, { completed: 0, failed: 1, cancelled: 0, total: 1 });
    assert.equal(one('genai-perf', created).counts.completed, 1);
    assert.equal(one('guidellm', created).counts.completed, 1);
  });
  it('genai-perf merges the events of one transport read into one response', () => {
    // Read 1 at 10 ms holds two text events; read 2 at 30 ms holds text, usage and [DONE].
    const rec: RawRecord = {
      i: 0,
      s: 0,
      n: 1,
      q: 0,
      t: 0,
      e: 31,
      st: 200,
      oo: 3,
      io: 4,
      bo: 1,
      bi: 1,
      ev: [10, R | C | T, 10, C | T, 30, R | C | T, 30, U, 30, D],
    };
    const g = one('genai-perf', rec);
    near(g.metrics.time_to_second_token.mean, 20, 'ttst between reads (per event it would be 0)');
    near(g.metrics.inter_token_latency.mean, (30 - 10) / (3 - 1), 'itl');
    near(g.metrics.output_token_throughput_per_user.mean, 100, '1 / 10 ms');
    const v = one('vllm', rec);
    assert.equal(v.metrics.itl.count, 2, 'vllm still sees every chunk: gaps 0 and 20');
    // All text in one read: one response, so no TTST, no ITL and no per-user throughput.
    const single = one('genai-perf', { ...rec, ev: [10, R | C | T, 10, C | T, 10, C | T, 12, R | U, 12, D] });
    assert.equal(single.metrics.time_to_second_token, undefined);
    assert.equal(single.metrics.inter_token_latency, undefined);
    assert.equal(single.metrics.output_token_throughput_per_user, undefined);
    near(single.metrics.request_latency.mean, 10, 'latency at the only read with text');
    near(single.throughput.request_count.value, 1, 'it has a latency: counted');
  });
  it('guidellm and aiperf error an empty response; genai-perf drops it from request_count; vllm counts it', () => {
    const empty: RawRecord = {
      i: 0,
      s: 0,
      n: 1,
      q: 0,
      t: 0,
      e: 20,
      st: 200,
      ou: 0,
      oo: 0,
      bo: 1,
      bi: 1,
      ev: [10, R | C, 15, R | U, 19, R | D],
    };
    assert.deepEqual(one('guidellm', empty).counts, { completed: 0, failed: 1, cancelled: 0, total: 1 });
    assert.deepEqual(one('aiperf', empty).counts, { completed: 0, failed: 1, cancelled: 0, total: 1 });
    near(one('aiperf', empty).throughput.error_request_count.value, 1, 'error_request_count');
    assert.equal(one('genai-perf', empty).counts.completed, 0);
    assert.equal(one('vllm', empty).counts.completed, 1, 'a chunk with choices arrived: vLLM calls it a success');
  });
  it('aiperf: reasoning counts for TTFT, TTFO waits for the first non-reasoning text', () => {
    const reasoning: RawRecord = {
      i: 0,
      s: 0,
      n: 1,
      q: 0,
      t: 0,
      e: 47,
      st: 200,
      oo: 3,
      io: 4,
      bo: 1,
      bi: 1,
      ev: [5, R | C, 10, R | C | RS, 20, R | C | RS, 30, R | C | T, 40, R | C | T, 45, R | U, 46, R | D],
    };
    const a = one('aiperf', reasoning, { ttft: 15, tpot: 20 });
    near(a.metrics.time_to_first_token.mean, 10, 'ttft at the first reasoning message');
    near(a.metrics.time_to_first_output_token.mean, 30, 'ttfo at the first answer text');
    near(a.metrics.time_to_second_token.mean, 10, 'ttst between the first two content messages');
    near(a.metrics.request_latency.mean, 40, 'latency at the last content message');
    near(a.metrics.inter_token_latency.mean, (40 - 10) / (3 - 1), 'itl = (latency − ttft)/(osl − 1)');
    near(a.metrics.output_token_throughput_per_user.mean, 1000 / 15, 'tok/s/user = 1 / itl');
    assert.equal(a.metrics.inter_chunk_latency.count, 3);
    near(a.metrics.inter_chunk_latency.mean, 10, 'icl: gaps between content messages');
    near(a.durationSec, 0.04, 'benchmark duration: first request to last content response');
    near(a.throughput.request_throughput.value, 1 / 0.04, 'valid requests / duration');
    assert.equal(a.goodput?.good, 1);
    // GenAI-Perf and GuideLLM see only the answer text.
    near(one('genai-perf', reasoning).metrics.time_to_first_token.mean, 30, 'genai-perf ttft');
  });
});

describe('batch profiles', () => {
  const ok = (i: number, t: number, e: number, n: number): RawRecord => ({
    i,
    s: 0,
    n,
    q: t,
    t,
    e,
    st: 200,
    bo: 10,
    bi: 10,
  });
  const recs = [ok(0, 0, 10, 4), ok(1, 2, 20, 4), ok(2, 4, 30, 4), { ...ok(3, 6, 1, 4), st: 404, ek: 'http', er: 'x' }];
  it('vllm: items per second over the step duration', () => {
    const acc = createAccumulator('vllm', { group: 'image-classification', percentiles: [50], slo: { e2el: 25 } });
    recs.forEach((r) => acc.add(r));
    const s = acc.finish({ start: 0, end: 40 });
    near(s.throughput.imagesPerSec.value, 12 / 0.04, 'images/s');
    near(s.metrics.e2el.median, 20, 'latency median');
    assert.equal(s.goodput?.good, 2);
  });
  it('genai-perf: duration from first send to last response', () => {
    const acc = createAccumulator('genai-perf', { group: 'embeddings', percentiles: [50] });
    recs.forEach((r) => acc.add(r));
    const s = acc.finish({ start: 0, end: 40 });
    near(s.durationSec, 0.034, 'duration');
    near(s.throughput.inputsPerSec.value, 12 / 0.034, 'inputs/s');
  });
  it('genai-perf and aiperf share the span: same duration, latency and items/s; each adds its own figure and goodput rule', () => {
    const run = (p: 'genai-perf' | 'aiperf', slo?: { e2el?: number; ttft?: number }) => {
      const acc = createAccumulator(p, { group: 'embeddings', percentiles: [50], ...(slo ? { slo } : {}) });
      recs.forEach((r) => acc.add({ ...r, io: 5 }));
      return acc.finish({ start: 0, end: 40 });
    };
    const [g, a] = [run('genai-perf', { e2el: 25 }), run('aiperf', { e2el: 25 })];
    for (const s of [g, a]) {
      near(s.durationSec, 0.034, 'first send to last response');
      near(s.metrics.request_latency.median, 20, 'latency median');
      near(s.throughput.inputsPerSec.value, 12 / 0.034, 'inputs/s');
      assert.deepEqual([s.goodput?.good, s.goodput?.considered], [2, 4]);
    }
    near(g.throughput.input_token_throughput.value, 15 / 0.034, 'genai-perf: input tokens/s (embeddings)');
    assert.equal(g.throughput.error_request_count, undefined);
    assert.equal(a.throughput.error_request_count.value, 1);
    assert.equal(a.throughput.input_token_throughput, undefined);
    // A TTFT-only SLO: GenAI-Perf reports goodput with no request meeting it, AIPerf reports none.
    assert.equal(run('genai-perf', { ttft: 5 }).goodput?.good, 0);
    assert.equal(run('aiperf', { ttft: 5 }).goodput, undefined);
  });
});
