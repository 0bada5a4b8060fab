import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseShard, ShardIndexer, splitCount } from '../../../src/core/bench/scale/shard';

/** The indices one worker sends in a phase of `total` requests with `active` workers, as runStep drives the indexer. */
function phase(ix: ShardIndexer, total: number, active: number, open: boolean): number[] {
  ix.begin(active);
  const out: number[] = [];
  if (open) {
    for (let p = 0; p < total; p++) if (ix.mine(p)) out.push(ix.next());
  } else for (let k = ix.own(total); k > 0; k--) out.push(ix.next());
  ix.end(total);
  return out;
}

describe('shard plan', () => {
  it('parses i/N (1-based) and refuses the rest', () => {
    assert.deepEqual(parseShard('2/3'), { index: 1, count: 3 });
    assert.throws(() => parseShard('0/3'), /from 1 to N/);
    assert.throws(() => parseShard('4/3'), /from 1 to N/);
    assert.throws(() => parseShard('x'), /not i\/N/);
  });

  it('splits counts with the remainder on the first workers', () => {
    assert.deepEqual(
      [0, 1, 2].map((i) => splitCount(10, 3, i)),
      [4, 3, 3],
    );
    assert.deepEqual(
      [0, 1, 2].map((i) => splitCount(2, 3, i)),
      [1, 1, 0],
    );
    assert.equal(splitCount(5, 2, 2), 0, 'a worker beyond the active ones gets nothing');
  });

  for (const n of [1, 2, 3, 4]) {
    it(`${n} shards cover exactly the single run's indices, phase after phase (closed and open loop, concurrency below N)`, () => {
      // warm-up 5 (c=2), measured 17 closed at c=3, then warm-up 5 and 23 open-loop positions
      const phases: Array<[number, number, boolean]> = [
        [5, 2, false],
        [17, 3, false],
        [5, 5, false],
        [23, n, true],
      ];
      const all: number[][] = phases.map(() => []);
      for (let j = 0; j < n; j++) {
        const ix = new ShardIndexer({ index: j, count: n });
        phases.forEach(([total, active, open], k) => all[k].push(...phase(ix, total, active, open)));
      }
      let base = 0;
      phases.forEach(([total], k) => {
        assert.deepEqual(
          [...all[k]].sort((a, b) => a - b),
          Array.from({ length: total }, (_, i) => base + i),
          `phase ${k}`,
        );
        base += total;
      });
    });
  }

  it('a phase of unknown size (closed loop bounded by time) moves every shard to a fresh index block', () => {
    const a = new ShardIndexer({ index: 0, count: 2 });
    const b = new ShardIndexer({ index: 1, count: 2 });
    for (const ix of [a, b]) ix.begin(2);
    const first = [a.next(), a.next(), a.next(), b.next()];
    a.end();
    b.end();
    a.begin(2);
    b.begin(2);
    const second = [a.next(), b.next()];
    assert.deepEqual(first, [0, 2, 4, 1]);
    assert.deepEqual(second, [2 ** 32, 2 ** 32 + 1]);
  });
});
