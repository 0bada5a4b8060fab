import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromBf16Bits, fromFp16Bits, toBf16Bits, toFp16Bits } from '../../../src/core/kserve/half';

describe('FP16 / BF16 conversions', () => {
  it('encodes well-known half-precision values', () => {
    const cases: Array<[number, number]> = [
      [1, 0x3c00],
      [-2, 0xc000],
      [0.5, 0x3800],
      [65504, 0x7bff],
      [0.1, 0x2e66],
      [2 ** -24, 0x0001],
      [0, 0x0000],
      [1e6, 0x7c00],
      [-Infinity, 0xfc00],
    ];
    for (const [v, bits] of cases) assert.equal(toFp16Bits(v), bits, `fp16(${v})`);
    assert.equal(toFp16Bits(NaN) & 0x7c00, 0x7c00);
    assert.ok(toFp16Bits(NaN) & 0x3ff);
  });

  it('rounds half to even and round-trips representable values', () => {
    assert.equal(toFp16Bits(1 + 2 ** -11), 0x3c00);
    assert.equal(toFp16Bits(1 + 3 * 2 ** -11), 0x3c02);
    for (const bits of [0x0001, 0x03ff, 0x0400, 0x3555, 0x7bff, 0x8001, 0xc000])
      assert.equal(toFp16Bits(fromFp16Bits(bits)), bits);
    assert.equal(fromFp16Bits(0x3c00), 1);
    assert.ok(Number.isNaN(fromFp16Bits(0x7e00)));
  });

  it('encodes bfloat16 as the rounded top half of float32', () => {
    assert.equal(toBf16Bits(1), 0x3f80);
    assert.equal(toBf16Bits(-2), 0xc000);
    assert.equal(toBf16Bits(3.140625), 0x4049);
    assert.equal(fromBf16Bits(0x4049), 3.140625);
    assert.equal(fromBf16Bits(toBf16Bits(0.1)), 0.10009765625);
  });
});
