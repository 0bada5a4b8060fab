/**
 * The one number formatter: each precision prints what the panel, the CLI and the lists printed
 * before they shared it (the figures below are those outputs).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMs, formatNumber, HEADLINE, METRIC, TABLE } from '../../../src/shared/format';

describe('formatNumber', () => {
  it('a missing figure is "–", +∞ is "inf" (an unbounded rate), −∞ and NaN are "–"', () => {
    for (const p of [1, HEADLINE, TABLE, METRIC])
      assert.deepEqual(
        [undefined, NaN, -Infinity, Infinity].map((v) => formatNumber(v, p)),
        ['–', '–', '–', 'inf'],
      );
  });

  it('fixed decimals (the CLI summary table)', () => {
    assert.deepEqual(
      [formatNumber(12.345), formatNumber(12.345, 2), formatNumber(7.5, 0), formatNumber(0.04, 1)],
      ['12.3', '12.35', '8', '0.0'],
    );
  });

  it('HEADLINE (run lists): whole from 1000, one decimal from 1, three below 1', () => {
    assert.deepEqual(
      [1234.5, -1000, 999.94, 100, 42.25, 1, 0.98765, -0.5, 0].map((v) => formatNumber(v, HEADLINE)),
      ['1235', '-1000', '999.9', '100.0', '42.3', '1.0', '0.988', '-0.500', '0.000'],
    );
  });

  it('TABLE (chart tables): one decimal from 100, two below', () => {
    assert.deepEqual(
      [1234.56, 100, 99.999, 12.345, -150.25, 0.004].map((v) => formatNumber(v, TABLE)),
      ['1234.6', '100.0', '100.00', '12.35', '-150.3', '0.00'],
    );
  });

  it('METRIC (server metric summaries): whole from 100, one decimal from 10, two below', () => {
    assert.deepEqual(
      [512.4, 100, 99.95, 10, 9.999, 0.125].map((v) => formatNumber(v, METRIC)),
      ['512', '100', '100.0', '10.0', '10.00', '0.13'],
    );
  });
});

describe('formatMs', () => {
  it('"—" when unknown; ms below 1 s (one decimal under 100), seconds above (one decimal from 10 s)', () => {
    assert.deepEqual([undefined, NaN, 3.14159, 99.96, 250.4, 999.4, 1234, 9999, 12345].map(formatMs), [
      '—',
      '—',
      '3.1 ms',
      '100.0 ms',
      '250 ms',
      '999 ms',
      '1.23 s',
      '10.00 s',
      '12.3 s',
    ]);
  });
});
