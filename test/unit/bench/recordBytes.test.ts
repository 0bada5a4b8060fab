/**
 * RecordsWriter encodes records straight into its buffer as bytes
 * (encodeRecordInto); the file must be byte for byte what encodeRecord's
 * strings give, for every field, edge values (0, -0, negatives, fractions,
 * values past the integer fast path, 1e21, NaN) and many random records, and
 * with error records (the string path) interleaved in order.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { newRecord } from '../../../src/core/bench/engine/callTarget';
import {
  encodeRecord,
  encodeRecordInto,
  maxEncodedBytes,
  quantizeRecord,
  type RawRecord,
} from '../../../src/core/bench/record';
import { RecordsWriter } from '../../../src/core/bench/recordsFile';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'record-bytes-'));

let seed = 7;
const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
const EDGE = [
  0,
  -0,
  1,
  9,
  10,
  99,
  100,
  0.001,
  0.01,
  0.1,
  0.5,
  0.05,
  0.005,
  0.0004,
  0.0005,
  1.2345,
  999.9995,
  -1,
  -0.25,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 31 / 1000,
  2 ** 31 / 1000 - 0.001,
  2 ** 53,
  1e21,
  1.5e-7,
  NaN,
  123456.789,
];
const pick = () =>
  rnd() < 0.3 ? EDGE[Math.floor(rnd() * EDGE.length)] : rnd() < 0.5 ? Math.round(rnd() * 1e6) / 1000 : rnd() * 1e4;
const maybe = (v: number) => (rnd() < 0.5 ? v : undefined);

function randomRecord(i: number): RawRecord {
  const r = newRecord(i, Math.floor(rnd() * 3), pick(), rnd() < 0.1);
  r.n = rnd() < 0.8 ? 1 : Math.floor(rnd() * 64);
  r.t = pick();
  r.h = maybe(pick());
  r.e = pick();
  r.st = rnd() < 0.9 ? 200 : Math.floor(rnd() * 1100);
  if (rnd() < 0.6)
    r.ev = Array.from({ length: 2 * Math.floor(rnd() * 40) }, (_, k) => (k % 2 ? Math.floor(rnd() * 128) : pick()));
  if (rnd() < 0.05) r.x = 1;
  r.iu = maybe(Math.floor(rnd() * 5000));
  r.io = maybe(Math.floor(rnd() * 5000));
  r.ou = maybe(rnd() < 0.9 ? Math.floor(rnd() * 5000) : pick());
  r.oo = maybe(Math.floor(rnd() * 5000));
  r.ic = maybe(Math.floor(rnd() * 100));
  if (rnd() < 0.2) {
    r.cv = Math.floor(rnd() * 10);
    r.tn = 1 + Math.floor(rnd() * 5);
  }
  r.ru = maybe(Math.floor(rnd() * 100));
  r.ro = maybe(Math.floor(rnd() * 100));
  r.ad = maybe(Math.floor(rnd() * 4));
  r.bo = Math.floor(rnd() * 1e5);
  r.bi = Math.floor(rnd() * 1e6);
  if (rnd() < 0.05) {
    r.ek = 'in-stream';
    r.er = 'bad "thing" — naïve \u2028 line';
  }
  return r;
}

describe('records written as bytes', () => {
  it('encodeRecordInto gives encodeRecord’s bytes for 20,000 random records, quantized or not', () => {
    const out = Buffer.alloc(1 << 16);
    for (let i = 0; i < 20_000; i++) {
      const r = randomRecord(i);
      if (r.ek !== undefined) continue;
      if (i % 2) quantizeRecord(r);
      const end = encodeRecordInto(out, 0, r);
      assert.ok(end <= maxEncodedBytes(r), `record ${i}: ${end} bytes > ${maxEncodedBytes(r)}`);
      assert.equal(out.toString('latin1', 0, end), encodeRecord(r), `record ${i}`);
    }
  });

  it('the records file equals the encodeRecord lines, error records (string path) in their place', async () => {
    const file = path.join(dir, 'r.jsonl');
    const w = new RecordsWriter(file, { format: 'inference-lab/bench-records', version: 1, startedAt: 'x' });
    const want: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      const r = randomRecord(i);
      quantizeRecord(r);
      w.write(r);
      want.push(encodeRecord(r));
    }
    await w.close();
    const lines = fs.readFileSync(file, 'utf8').split(/(?<=\n)/);
    assert.equal(lines.length, 5_001);
    assert.ok(want.some((l) => l.includes('"ek"')));
    assert.equal(lines.slice(1).join(''), want.join(''));
  });
});
