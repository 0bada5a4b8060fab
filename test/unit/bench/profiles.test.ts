import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAccumulator } from '../../../src/core/bench/profiles/profiles';
import type { StepSummary } from '../../../src/core/bench/profiles/summary';
import { EV_CHOICE as C, EV_DONE as D, EV_TEXT as T, EV_USAGE as U, type RawRecord } from '../../../src/core/bench/record';
import type { ProfileName } from '../../../src/core/bench/spec';

/**
 * Hand-computed timelines (times in ms). A: chat stream with an empty role
 * chunk, two text chunks, an empty finish chunk, a usage-only chunk and
 * [DONE]. B: one output token. C: HTTP 500. D: a stream with choices but no
 * text at all (usage says 0 tokens).
 */
const A: RawRecord = { i: 0, s: 0, n: 1, q: 0, t: 0, h: 5, e: 77, st: 200, iu: 5, io: 4, ou: 2, oo: 2, bo: 100, bi: 400, ev: [10, C, 30, C | T, 50, C | T, 70, C, 75, U, 76, D] };
const B: RawRecord = { i: 1, s: 0, n: 1, q: 5, t: 5, e: 18, st: 200, iu: 3, io: 3, ou: 1, oo: 1, bo: 90, bi: 200, ev: [15, C | T, 16, C, 17, U] };
const Cfail: RawRecord = { i: 2, s: 0, n: 1, q: 10, t: 10, e: 3, st: 500, ek: 'http', er: 'HTTP 500', bo: 90, bi: 20 };
const Dempty: RawRecord = { i: 3, s: 0, n: 1, q: 20, t: 20, e: 42, st: 200, ou: 0, oo: 0, bo: 90, bi: 150, ev: [30, C, 40, C, 41, D] };
const warm: RawRecord = { ...A, i: 99, w: 1, t: -500, q: -500 };

function run(profile: ProfileName, slo = { ttft: 20, tpot: 50 }, records = [warm, A, B, Cfail, Dempty]): StepSummary {
  const acc = createAccumulator(profile, { group: 'text-generation', percentiles: [50, 99], slo });
  for (const r of records) acc.add(r);
  return acc.finish({ start: 0, end: 77 });
}

function near(actual: number | undefined, expected: number, what: string): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: expected ${expected}, got ${actual}`);
}

describe('vllm profile', () => {
  const s = run('vllm');
  it('counts requests with a choices chunk as completed, the HTTP error as failed, and skips warm-up', () => {
    assert.deepEqual(s.counts, { completed: 3, failed: 1, cancelled: 0, total: 4 });
  });
  it('takes TTFT at the first chunk with choices, even an empty role chunk', () => {
    near(s.metrics.ttft.mean, (10 + 15 + 30) / 3, 'ttft mean');
    near(s.metrics.ttft.median, 15, 'ttft median');
    near(s.metrics.ttft.std, Math.sqrt(((10 - 55 / 3) ** 2 + (15 - 55 / 3) ** 2 + (30 - 55 / 3) ** 2) / 3), 'ttft std (population)');
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
  it('starts TTFT at the first non-empty text and ends latency at the last one', () => {
    near(s.metrics.time_to_first_token.mean, (30 + 15) / 2, 'ttft');
    near(s.metrics.request_latency.mean, (50 + 15) / 2, 'latency');
    near(s.metrics.time_to_second_token.mean, 20, 'ttst');
  });
  it('defines ITL as (latency − TTFT) / (OSL − 1) with its own token count', () => {
    assert.equal(s.metrics.inter_token_latency.count, 1);
    near(s.metrics.inter_token_latency.mean, 20, 'itl');
    near(s.metrics.output_token_throughput_per_request.mean, (2 / 0.05 + 1 / 0.015) / 2, 'per-request tok/s');
    near(s.metrics.input_sequence_length.mean, 3.5, 'isl from our own count');
  });
  it('skips a request with no text from the metrics but counts it in throughput', () => {
    assert.equal(s.counts.completed, 3);
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
  it('counts a request without tokens as TTFT 0', () => {
    near(s.metrics.time_to_first_token_ms.mean, 15, 'ttft mean of 30, 15, 0');
    near(s.metrics.time_to_first_token_ms.median, 15, 'ttft median');
  });
  it('reports request latency in seconds and requests/s as a time-weighted rate', () => {
    near(s.metrics.request_latency.median, 0.042, 'latency');
    near(s.throughput.requests_per_second.value, 3 / 0.077, 'req/s mean');
    assert.equal(s.metrics.requests_per_second.count, 3);
  });
  it('leaves requests without an ITL undetermined for goodput', () => {
    // A: TTFT 30 > 20 → violates. B: ITL undefined → undetermined. D: no TTFT → undetermined.
    assert.equal(s.goodput?.good, 0);
    assert.equal(s.goodput?.considered, 2); // A + the errored request
  });
});

describe('batch profiles', () => {
  const ok = (i: number, t: number, e: number, n: number): RawRecord => ({ i, s: 0, n, q: t, t, e, st: 200, bo: 10, bi: 10 });
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
});
