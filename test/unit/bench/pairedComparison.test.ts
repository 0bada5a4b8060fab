/**
 * bench:engine section 6's verdicts (perf/engine/paired.ts), from values: the paired on/off ratio and its interval,
 * the mean interval, "no measurable loss: ≤ X % at 95 %" only when the 95 % interval bounds the loss under the
 * target, "NOT SHOWN" with the reason when it does not, and one verdict over several figures.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lossVerdict, meanInterval, overallVerdict, pairedComparison } from '../../../perf/engine/paired';

describe('bench:engine section 6 verdicts', () => {
  it('paired ratio: a steady 1 % loss with tiny noise lies outside its interval', () => {
    const off = [1000, 1200, 900, 1100, 1050, 980];
    const p = pairedComparison(
      off,
      off.map((x, i) => x * (0.99 + (i % 2 ? 0.0005 : -0.0005))),
    );
    assert.equal(p.verdict, 'lower');
    assert.ok(Math.abs(p.ratio - 0.99) < 1e-3, String(p.ratio));
    assert.ok(p.high < 1 && p.low > 0.98, `${p.low}..${p.high}`);
    // As a loss: measurable (the interval excludes 0) and under 2 %.
    const v = lossVerdict({ low: 1 - p.high, high: 1 - p.low }, 0.02, 'difference');
    assert.equal(v.status, 'small');
    assert.match(
      v.text,
      /^measurable loss, under the 2\.0 % target: ≤ 1\.1 % at 95 % \(95 % interval 0\.94 % to 1\.1 %\)$/,
    );
    assert.throws(() => pairedComparison([1], [1]), /≥ 2 pairs/);
  });

  it('the mean interval is Student t: 1, 2, 3 → mean 2, half-width 4.303 / √3', () => {
    const m = meanInterval([1, 2, 3]);
    assert.equal(m.mean, 2);
    assert.ok(Math.abs(m.half - 4.303 / Math.sqrt(3)) < 1e-9, String(m.half));
    assert.ok(Math.abs(m.low - (2 - m.half)) < 1e-12 && Math.abs(m.high - (2 + m.half)) < 1e-12);
    assert.throws(() => meanInterval([1]), /≥ 2 values/);
  });

  it('a difference whose interval holds 0 and stays under the target: "no measurable loss: ≤ X % at 95 %"', () => {
    // Client overhead on − off (ms) over a 22 ms latency: +0.01 ± 0.1 ms.
    const d = meanInterval([0.05, -0.08, 0.1, -0.02, 0.01, 0.0]);
    const v = lossVerdict({ low: d.low / 22, high: d.high / 22 }, 0.02, 'difference');
    assert.equal(v.status, 'none');
    assert.ok(Math.abs(v.bound - d.high / 22) < 1e-12);
    assert.match(v.text, /^no measurable loss: ≤ 0\.\d+ % at 95 % \(95 % interval -0\.\d+ % to 0\.\d+ %\)$/);
  });

  it('an interval reaching past the target without showing a loss: NOT SHOWN, with the bound and the reason', () => {
    // bench:engine's req/s on this machine at load 12 (2 pairs).
    const p = pairedComparison([815, 1311], [479, 2531]);
    const v = lossVerdict({ low: 1 - p.high, high: 1 - p.low }, 0.02, 'difference');
    assert.equal(v.status, 'not-shown');
    assert.ok(v.bound > 0.9, String(v.bound));
    assert.match(v.text, /^NOT SHOWN: a loss up to 99\.\d % is within the 95 % interval .* too noisy/);
  });

  it('a loss beyond the target is MEASURABLE; a cost is a bound, never "measurable"', () => {
    assert.equal(lossVerdict({ low: 0.05, high: 0.08 }, 0.02, 'difference').status, 'missed');
    assert.equal(lossVerdict({ low: 0.01, high: 0.03 }, 0.02, 'difference').status, 'not-shown');
    // One scrape: 3,371 ± 954 µs of CPU a second against an engine at 20 % of a core → 1.2 %..2.2 %.
    const cost = lossVerdict({ low: 2417 / 2e5, high: 4325 / 2e5 }, 0.02, 'cost');
    assert.equal(cost.status, 'not-shown');
    assert.match(cost.text, /a loss up to 2\.2 %/);
    const small = lossVerdict({ low: 244e-6 - 99e-6, high: 244e-6 + 99e-6 }, 0.02, 'cost');
    assert.deepEqual(
      [small.status, small.text],
      ['none', 'no measurable loss: ≤ 0.034 % at 95 % (95 % interval 0.015 % to 0.034 %)'],
    );
  });

  it('one verdict over several figures: the weakest decides, the largest bound is quoted', () => {
    const none = (bound: number) => lossVerdict({ low: -bound, high: bound }, 0.02, 'difference');
    assert.equal(
      overallVerdict([
        { name: 'CPU share', v: lossVerdict({ low: 0.001, high: 0.004 }, 0.02, 'cost') },
        { name: 'client overhead', v: none(0.012) },
      ]),
      'no measurable loss: ≤ 1.2 % at 95 %',
    );
    assert.equal(
      overallVerdict([
        { name: 'CPU share', v: none(0.001) },
        { name: 'client overhead', v: none(0.3) },
      ]),
      'NOT SHOWN: too noisy to bound client overhead under the target',
    );
    assert.match(
      overallVerdict([
        { name: 'a', v: none(0.3) },
        { name: 'b', v: lossVerdict({ low: 0.05, high: 0.06 }, 0.02, 'difference') },
      ]),
      /^MEASURABLE LOSS beyond the target: b$/,
    );
  });
});
