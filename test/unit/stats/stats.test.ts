import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describe as summarize, mean, stdPopulation } from '../../../src/core/stats/describe';
import { CountedSamples } from '../../../src/core/stats/countedSamples';
import { exponentialCdf, kolmogorovSurvival, ksTest } from '../../../src/core/stats/ks';
import { SampleBuffer } from '../../../src/core/stats/sampleBuffer';
import { median, percentileInvertedCdf, percentileLinear, sortedCopy } from '../../../src/core/stats/percentile';
import { gamma, interArrival, seededUniform } from '../../../src/core/stats/random';
import {
  concurrencyDistribution,
  describeWeighted,
  mergeCloseEvents,
  rateDistribution,
} from '../../../src/core/stats/weighted';

describe('numpy-compatible statistics', () => {
  it('linear percentiles match np.percentile', () => {
    const a = sortedCopy([15, 20, 35, 40, 50]);
    assert.equal(percentileLinear(a, 40), 29); // np.percentile([15,20,35,40,50], 40)
    assert.equal(percentileLinear(sortedCopy([1, 2, 3, 4]), 90), 3.7);
    assert.equal(percentileLinear(sortedCopy([10, 7, 4, 3, 2, 1]), 50), 3.5);
    assert.equal(percentileLinear(a, 0), 15);
    assert.equal(percentileLinear(a, 100), 50);
    assert.ok(Number.isNaN(percentileLinear(new Float64Array(), 50)));
  });
  it('sorts numerically, not as strings', () => {
    assert.deepEqual(Array.from(sortedCopy([10, 9, 100, 1])), [1, 9, 10, 100]);
  });
  it('median and population std match np.median / np.std', () => {
    assert.equal(median(sortedCopy([1, 3, 2, 4])), 2.5);
    assert.equal(stdPopulation([1, 2, 3, 4]), Math.sqrt(1.25));
    assert.equal(mean([1, 2, 3, 4]), 2.5);
    const d = summarize([4, 1, 3, 2], [50, 99]);
    assert.equal(d.min, 1);
    assert.equal(d.max, 4);
    assert.equal(d.percentiles['99'], 3.9699999999999998);
  });
  it('inverted-CDF percentiles take the first value whose cumulative weight reaches p', () => {
    assert.equal(percentileInvertedCdf([1, 2, 3, 4], [0.25, 0.25, 0.25, 0.25], 50), 2);
    assert.equal(percentileInvertedCdf([1, 2, 3, 4], [0.25, 0.25, 0.25, 0.25], 51), 3);
  });
});

describe('sample storage', () => {
  it('counted samples describe exactly what describe() gives for the same microsecond values', () => {
    const r = seededUniform(9);
    const values = Array.from({ length: 5001 }, () => Math.round(r() * 40_000) / 1000);
    const counted = new CountedSamples();
    values.forEach((v) => counted.push(v));
    const a = counted.describe([0, 1, 50, 90, 99, 99.9, 100]);
    const b = summarize(values, [0, 1, 50, 90, 99, 99.9, 100]);
    assert.equal(a.count, b.count);
    for (const k of ['mean', 'std', 'median', 'min', 'max'] as const) assert.ok(Math.abs(a[k] - b[k]) < 1e-9, k);
    for (const q of Object.keys(b.percentiles))
      assert.ok(Math.abs(a.percentiles[q] - b.percentiles[q]) < 1e-9, `p${q}`);
    const even = new CountedSamples();
    [1, 3, 3, 7].forEach((v) => even.push(v));
    assert.equal(even.describe([50]).median, 3);
    assert.equal(new CountedSamples().describe([50]).count, 0);
  });
  it('sample buffers keep every value across chunk boundaries', () => {
    const b = new SampleBuffer();
    for (let i = 0; i < 150_000; i++) b.push(i);
    const v = b.view();
    assert.equal(v.length, 150_000);
    assert.equal(v[65_535], 65_535);
    assert.equal(v[65_536], 65_536);
    assert.equal(v[149_999], 149_999);
  });
  it('sample buffers give back exactly what was pushed, compact or not', () => {
    const b = new SampleBuffer();
    const pushed: number[] = [];
    let seed = 7;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 200_000; i++) {
      // Mostly microsecond-quantised times (the compact case), with every kind of value that is not.
      const r = rnd();
      const v =
        i === 70_000
          ? -0
          : r < 0.9
            ? Math.round(rnd() * 5e6) / 1000
            : r < 0.93
              ? rnd() * 100
              : r < 0.95
                ? -Math.round(rnd() * 1e5) / 1000
                : r < 0.96
                  ? 5e6 + Math.round(rnd() * 1e6) / 1000
                  : r < 0.97
                    ? NaN
                    : i < 100_000
                      ? 1 / 3
                      : Math.round(rnd() * 1e3) / 1000;
      pushed.push(v);
      b.push(v);
    }
    const v = b.view();
    assert.equal(v.length, pushed.length);
    for (let i = 0; i < pushed.length; i++)
      assert.ok(Object.is(v[i], pushed[i]), `sample ${i}: ${v[i]} != ${pushed[i]}`);
  });
  it('sample buffers of recorded times take 4 bytes a sample', () => {
    const b = new SampleBuffer();
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 65_536 * 4; i++) b.push(i / 1000);
    const grown = process.memoryUsage().arrayBuffers - before;
    assert.ok(grown <= 65_536 * 4 * 4 + 4096, `grew ${grown} bytes for ${65_536 * 4} samples`);
    assert.equal(b.view()[123_457], 123.457);
  });
});

describe('weighted (GuideLLM) distributions', () => {
  it('merges duplicates, drops zero weights and normalises', () => {
    const d = describeWeighted([5, 1, 5, 9], [1, 1, 2, 0]);
    assert.equal(d.count, 4);
    assert.equal(d.mean, (1 * 1 + 5 * 3) / 4);
    assert.equal(d.median, 5);
    assert.equal(d.max, 5);
  });
  it('falls back to uniform when every weight is zero', () => {
    const d = describeWeighted([2, 4], [0, 0]);
    assert.equal(d.mean, 0); // both dropped as zero weights: empty table
    assert.equal(describeWeighted([], []).count, 0);
  });
  it('merges events closer than the threshold into the first', () => {
    const m = mergeCloseEvents([0, 0.00008, 0.00016, 0.00024, 1], [1, 1, 1, 1, 1], 1e-4);
    assert.deepEqual(m.times, [0, 0.00016, 1]);
    assert.deepEqual(m.weights, [2, 2, 1]);
  });
  it('rate distribution mean is events / window', () => {
    const d = rateDistribution([4, 2, 1, 3], [1, 1, 1, 1], 0, 5);
    assert.ok(Math.abs(d.mean - 4 / 5) < 1e-12);
    assert.equal(d.count, 4);
  });
  it('concurrency distribution is time-weighted', () => {
    // one request over [0, 2], a second over [1, 2]: level 1 for 1 s, 2 for 1 s
    const d = concurrencyDistribution([0, 1], [2, 2], 0, 2);
    assert.equal(d.mean, 1.5);
  });
});

describe('random numbers and the KS test', () => {
  it('is reproducible for a seed and differs across seeds', () => {
    const a = seededUniform(7);
    const b = seededUniform(7);
    const c = seededUniform(8);
    const xs = [a(), a(), a()];
    assert.deepEqual(xs, [b(), b(), b()]);
    assert.notDeepEqual(xs, [c(), c(), c()]);
    assert.ok(xs.every((x) => x >= 0 && x < 1));
  });
  it('gamma has mean shape × scale', () => {
    const r = seededUniform(1);
    for (const shape of [0.5, 1, 4]) {
      let s = 0;
      for (let i = 0; i < 20000; i++) s += gamma(r, shape, 2);
      assert.ok(Math.abs(s / 20000 - shape * 2) < 0.1 * shape * 2, `shape ${shape}: mean ${s / 20000}`);
    }
  });
  it('inter-arrival gaps keep the mean 1/rate at any burstiness', () => {
    const r = seededUniform(3);
    for (const b of [0.25, 1, 4, Infinity]) {
      let s = 0;
      for (let i = 0; i < 20000; i++) s += interArrival(r, 50, b);
      assert.ok(Math.abs(s / 20000 - 0.02) < 0.002, `burstiness ${b}`);
    }
  });
  it('KS accepts exponential samples and rejects uniform ones', () => {
    const r = seededUniform(11);
    const exp = Array.from({ length: 2000 }, () => interArrival(r, 10));
    assert.ok(ksTest(exp, exponentialCdf(10)).p > 0.01);
    const uni = Array.from({ length: 2000 }, () => r() * 0.2);
    assert.ok(ksTest(uni, exponentialCdf(10)).p < 1e-6);
  });
  it('Kolmogorov survival matches tabulated values', () => {
    assert.ok(Math.abs(kolmogorovSurvival(1.36) - 0.0495) < 0.001); // the classic 5 % critical value
    assert.ok(Math.abs(kolmogorovSurvival(1.63) - 0.0098) < 0.001); // 1 %
  });
});
