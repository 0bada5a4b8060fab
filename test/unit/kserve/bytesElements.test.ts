import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeBytesElements, encodeBytesElements } from '../../../src/core/kserve/bytesElements';
import { TensorCodecError } from '../../../src/core/kserve/codecError';

const hello = Buffer.from('hello');
const world = Buffer.from('world');

describe('BYTES raw elements (4-byte LE length + bytes)', () => {
  it('encodes ["hello","world"] as the wire reference example, 18 bytes', () => {
    const raw = encodeBytesElements([hello, world]);
    assert.equal(raw.toString('hex'), '05000000' + '68656c6c6f' + '05000000' + '776f726c64');
    assert.equal(raw.length, 18);
  });

  it('decodes it back, as views into the buffer', () => {
    const raw = Buffer.from('0500000068656c6c6f05000000776f726c64', 'hex');
    const els = decodeBytesElements(raw, "input 'x'", 2);
    assert.deepEqual(
      els.map((e) => Buffer.from(e).toString()),
      ['hello', 'world'],
    );
    assert.equal(els[1].buffer, raw.buffer);
  });

  it('handles empty elements and lengths beyond 255 (little-endian)', () => {
    const big = Buffer.alloc(300, 0x61);
    const raw = encodeBytesElements([new Uint8Array(0), big]);
    assert.equal(raw.subarray(0, 8).toString('hex'), '00000000' + '2c010000');
    const back = decodeBytesElements(raw, 't');
    assert.equal(back[0].length, 0);
    assert.equal(back[1].length, 300);
  });

  it('rejects a truncated length prefix', () => {
    const raw = Buffer.from('0500000068656c6c6f0500', 'hex');
    assert.throws(
      () => decodeBytesElements(raw, "input 'x'"),
      (e: unknown) => e instanceof TensorCodecError && /element 1 is truncated: 2 byte\(s\) left/.test(e.message),
    );
  });

  it('rejects a length that runs past the end', () => {
    const raw = Buffer.from('0900000068656c6c6f', 'hex');
    assert.throws(() => decodeBytesElements(raw, "input 'x'"), /element 0 declares 9 bytes but only 5 remain/);
  });

  it('rejects an element count that disagrees with the shape', () => {
    const raw = encodeBytesElements([hello]);
    assert.throws(() => decodeBytesElements(raw, "input 'x'", 2), /expected 2 BYTES element\(s\).*holds 1/);
  });
});
