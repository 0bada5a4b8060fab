/**
 * Capacity under an SLO: exact binomial bounds, the sequential judge of one
 * load point, the search over loads, and a search against the embedded vLLM
 * whose queue (maxBatch 2) makes TTFT jump once more than two requests are
 * in flight (a third waits ~50 ms for a slot) — so the capacity is known in advance: concurrency 2.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { looksOf, nearestRank, SloJudge } from '../../../src/core/bench/capacity/judge';
import { CapacitySearch } from '../../../src/core/bench/capacity/search';
import { EV_CHOICE, EV_DONE, type RawRecord } from '../../../src/core/bench/record';
import { resultProblems } from '../../../src/core/bench/resultFile';
import { resultFromJson, resultToJson } from '../../../src/core/bench/result';
import { parseSpecText } from '../../../src/core/bench/specFile';
import { normalizeSpec } from '../../../src/core/bench/specNormalize';
import { binomialCdf, lowerBound, upperBound } from '../../../src/core/stats/binomial';
import { runBenchmark } from '../../../src/core/bench/runBenchmark';
import { withServer } from '../embedded/helpers';
import { slotLimitedSearch } from './slotSearch';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-capacity-'));
const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

/** A streamed text record: first token at `ttft` ms, `out` tokens `tpot` ms apart, sent `late` ms after its schedule. */
function rec(ttft: number, tpot = 10, out = 4, late = 0): RawRecord {
  const ev: number[] = [];
  for (let k = 0; k < out; k++) ev.push(ttft + k * tpot, EV_CHOICE);
  ev.push(ttft + (out - 1) * tpot, EV_DONE);
  return { i: 0, s: 0, n: 1, q: 100, t: 100 + late, e: ttft + (out - 1) * tpot, ev, st: 200, ou: out, bo: 0, bi: 0 };
}

describe('capacity: statistics', () => {
  it('Clopper–Pearson bounds match their closed forms and published values', () => {
    // x = 0: the upper bound solves (1 − p)^n = α; x = n: the lower bound solves p^n = α.
    for (const [n, a] of [
      [20, 0.05],
      [300, 0.01],
      [800, 0.0083],
    ] as const) {
      close(upperBound(0, n, a), 1 - a ** (1 / n), 1e-9, `upper(0, ${n})`);
      close(lowerBound(n, n, a), a ** (1 / n), 1e-9, `lower(${n}, ${n})`);
    }
    // 5 of 100, two-sided 95 % (α = 0.025 each side): 0.01643–0.11283 (exact interval tables).
    close(lowerBound(5, 100, 0.025), 0.01643, 5e-5, 'lower(5, 100)');
    close(upperBound(5, 100, 0.025), 0.11283, 5e-5, 'upper(5, 100)');
    close(binomialCdf(2, 10, 0.3), 0.3827827864, 1e-9, 'P(X ≤ 2), n 10, p 0.3');
    assert.equal(upperBound(7, 7, 0.05), 1);
    assert.equal(lowerBound(0, 7, 0.05), 0);
  });

  it("nearest rank is MLPerf's percentile: the value at rank ⌈q·n⌉, no interpolation", () => {
    const v = Float64Array.from({ length: 100 }, (_, k) => k + 1);
    assert.equal(nearestRank(v, 99), 99);
    assert.equal(nearestRank(v, 99.5), 100);
    assert.equal(nearestRank(v.subarray(0, 50), 99), 50);
    assert.equal(nearestRank(v.subarray(0, 1), 50), 1);
    assert.deepEqual(looksOf(100, 3200), [100, 200, 400, 800, 1600, 3200]);
    assert.deepEqual(looksOf(100, 150), [100, 150]);
  });

  it('a point passes only once the share over the bound is shown small enough, and fails early when it is clearly large', () => {
    const opts = {
      slo: { ttft: 500 },
      criterion: 'percentile' as const,
      percentile: 99,
      confidence: 0.95,
      minRequests: 100,
      maxRequests: 3200,
    };
    const good = new SloJudge(opts);
    let n = 0;
    while (!good.decided && n < 5000) {
      good.add(rec(100));
      n++;
    }
    // α per look = 0.05 / 6; with no request over, the upper bound 1 − α^(1/n) first drops below 1 % at the look n = 800.
    assert.equal(n, 800);
    const j = good.finish();
    assert.equal(j.verdict, 'pass');
    close(j.tests.ttft!.upper, 1 - (0.05 / 6) ** (1 / 800), 1e-9, 'upper bound at 800');
    assert.equal(j.nearestRank.ttft, 100);

    const bad = new SloJudge(opts);
    for (let k = 0; k < 100; k++) bad.add(rec(k % 10 === 0 ? 900 : 100));
    assert.equal(bad.finish().verdict, 'fail', '10 % over a 1 % allowance fails at the first look');
    assert.equal(bad.finish().tests.ttft!.over, 10);

    // A send 450 ms late pushes a 100 ms TTFT over 500 ms: latencies count from the schedule.
    const late = new SloJudge({ ...opts, maxRequests: 100 });
    for (let k = 0; k < 100; k++) late.add(rec(100, 10, 4, k < 5 ? 450 : 0));
    assert.equal(late.finish().tests.ttft!.over, 5);

    // Right at the allowance nothing can be shown either way: inconclusive at maxRequests.
    const edge = new SloJudge({ ...opts, maxRequests: 200 });
    for (let k = 0; k < 200; k++) edge.add(rec(k % 100 === 0 ? 900 : 100));
    assert.equal(edge.finish().verdict, 'inconclusive');

    // Goodput criterion: one share, requests missing any bound; a failed request misses all.
    const gp = new SloJudge({
      slo: { ttft: 500, tpot: 20 },
      criterion: 'goodput',
      percentile: 99,
      minGoodput: 0.9,
      confidence: 0.95,
      minRequests: 100,
      maxRequests: 100,
    });
    for (let k = 0; k < 100; k++) gp.add(k < 3 ? { ...rec(100), st: 500 } : k < 6 ? rec(100, 30) : rec(100));
    const g = gp.finish();
    assert.equal(g.tests.goodput!.over, 6);
    close(g.tests.goodput!.allowed, 0.1, 1e-12, 'allowed share');
    assert.equal(g.nearestRank.tpot, 10, 'p90 TPOT by nearest rank');
  });

  it('the search doubles, then bisects to the resolution (rate) or to adjacent integers (concurrency)', () => {
    const walk = (s: CapacitySearch, ok: (x: number) => boolean) => {
      const tried: number[] = [];
      for (let x = s.next(); x !== undefined; x = s.next()) {
        tried.push(x);
        s.record(x, ok(x) ? 'pass' : 'fail');
      }
      return tried;
    };
    const rate = new CapacitySearch({ dimension: 'rate', start: 1, max: 1024, resolution: 0.1 });
    assert.deepEqual(
      walk(rate, (x) => x <= 13),
      [1, 2, 4, 8, 16, 12, 14, 13],
    );
    assert.deepEqual([rate.pass, rate.fail], [13, 14]);
    const conc = new CapacitySearch({ dimension: 'concurrency', start: 1, max: 64, resolution: 0.1 });
    assert.deepEqual(
      walk(conc, (x) => x <= 5),
      [1, 2, 4, 8, 6, 5],
    );
    const low = new CapacitySearch({ dimension: 'rate', start: 8, max: 64, resolution: 0.1 });
    assert.deepEqual(
      walk(low, (x) => x <= 1.5),
      [8, 4, 2, 1, 1.5, 1.75, 1.625],
    );
    const top = new CapacitySearch({ dimension: 'rate', start: 1, max: 5, resolution: 0.1 });
    assert.deepEqual(
      walk(top, () => true),
      [1, 2, 4, 5],
    );
    assert.equal(top.fail, undefined);
  });

  it('spec: capacity needs an SLO, takes no request count, and only E2E for batch groups', () => {
    const n = normalizeSpec(
      parseSpecText(
        'url: http://x\ngroup: text-generation\nload: { capacity: { dimension: concurrency, start: 2, max: 32 } }\nslo: { ttft: 500, tpot: 50 }\n',
      ),
    );
    assert.deepEqual(n.load.capacity, {
      dimension: 'concurrency',
      start: 2,
      max: 32,
      resolution: 0.1,
      confidence: 0.95,
      percentile: 99,
      minRequests: 100,
      maxRequests: 3200,
      criterion: 'percentile',
    });
    assert.equal(n.requests, undefined);
    assert.throws(
      () => normalizeSpec({ url: 'http://x', group: 'text-generation', load: { capacity: {} } }),
      /capacity search needs an SLO/,
    );
    assert.throws(
      () => normalizeSpec({ url: 'http://x', group: 'embeddings', load: { capacity: {} }, slo: { ttft: 100 } }),
      /embeddings has no TTFT or TPOT: give its SLO as slo\.e2el/,
    );
    assert.throws(
      () =>
        normalizeSpec({
          url: 'http://x',
          group: 'text-generation',
          load: { capacity: {} },
          slo: { ttft: 100 },
          requests: 50,
        }),
      /not by requests or durationSec/,
    );
    assert.throws(
      () =>
        parseSpecText(
          'url: http://x\ngroup: text-generation\nload: { capacity: { confidence: 1.5 } }\nslo: { ttft: 5 }\n',
        ),
      /capacity\/confidence/,
    );
    assert.equal(
      normalizeSpec({
        url: 'http://x',
        group: 'text-generation',
        load: { capacity: {} },
        slo: { ttft: 100 },
        minGoodput: 0.9,
      }).load.capacity!.criterion,
      'goodput',
    );
  });
});

describe('capacity: search against the embedded vLLM', () => {
  it('finds concurrency 2 when the server runs two sequences at once and p80 TTFT must stay under 40 ms', async () => {
    const { result: r } = await slotLimitedSearch(dir, 16);
    const c = r.capacity!;
    const s = c.searches[0];
    assert.deepEqual(
      s.points.map((p) => [p.load, p.judgement.verdict]),
      [
        [1, 'pass'],
        [2, 'pass'],
        [4, 'fail'],
        [3, 'fail'],
      ],
    );
    assert.equal(s.capacity, 2);
    assert.equal(s.failedAt, 3);
    // α per test = 0.1 / 4 looks; with nothing over 40 ms a pass shows at the first look, n = 20 (upper bound 1 − 0.025^(1/20) = 0.168 ≤ 0.2);
    // a request slowed by this busy machine moves it to a later look.
    const first = s.points[0].judgement;
    assert.ok([20, 40, 80, 160].includes(first.requests), `judged at a look: ${first.requests}`);
    if (first.tests.ttft!.over === 0) assert.equal(first.requests, 20);
    assert.ok(
      s.points[2].judgement.tests.ttft!.share >= 0.4,
      `requests at c=4 wait for a slot: ${s.points[2].judgement.tests.ttft!.share}`,
    );
    assert.match(
      s.statement,
      /^capacity concurrency 2: p80 TTFT ≤ 40 ms holds at concurrency 2 \(90 % confidence, \d+ requests\); it fails at concurrency 3 \(90 % confidence, \d+ requests\)\.$/,
    );
    // Each point is a step of the result, measured with early stopping: the summary covers the step's requests.
    assert.deepEqual(
      r.steps.map((st) => st.label),
      ['c=1', 'c=2', 'c=4', 'c=3'],
    );
    assert.deepEqual(
      s.points.map((p) => p.step),
      [0, 1, 2, 3],
    );
    for (const p of s.points) assert.ok(r.steps[p.step].summary.counts.completed >= p.judgement.requests);
    assert.match(
      s.points[0].scenario.line,
      /^closed loop at concurrency 1: p80 TTFT [\d.]+ ms ≤ 40 \(nearest rank, \d+ requests\) → PASS$/,
    );
    assert.equal(s.points[2].scenario.pass, false);
    assert.equal(r.goodput, undefined, 'failing points are the search, not a missed goodput target');
    // The result file holds it all and validates against the schema.
    const back = resultFromJson(resultToJson(r));
    assert.deepEqual(resultProblems(JSON.parse(resultToJson(r))), []);
    assert.deepEqual(back.capacity, JSON.parse(JSON.stringify(r.capacity)));
  });
});

describe('capacity: batch groups', () => {
  it('embeddings: one search per batch size, judged on E2E latency', async () => {
    const recordsPath = path.join(dir, 'embed.records.jsonl');
    const r = await withServer(['vllm'], {}, (ep) =>
      runBenchmark(
        {
          url: ep.vllm,
          group: 'embeddings',
          api: 'openai',
          model: 'mini-embed',
          embeddings: { batchSizes: [1, 8] },
          load: {
            capacity: {
              dimension: 'concurrency',
              start: 1,
              max: 2,
              percentile: 80,
              confidence: 0.9,
              minRequests: 20,
              maxRequests: 40,
            },
          },
          slo: { e2el: 2000 },
        },
        { recordsPath },
      ),
    );
    const searches = r.capacity!.searches;
    assert.deepEqual(
      searches.map((s) => [s.batchSize, s.capacity, s.failedAt, s.points.map((p) => p.load)]),
      [
        [1, 2, null, [1, 2]],
        [8, 2, null, [1, 2]],
      ],
    );
    assert.deepEqual(
      r.steps.map((s) => s.label),
      ['b=1 c=1', 'b=1 c=2', 'b=8 c=1', 'b=8 c=2'],
    );
    assert.ok(
      searches.every((s) =>
        s.points.every((p) => Object.keys(p.judgement.tests).join() === 'e2el' && p.judgement.tests.e2el!.over === 0),
      ),
    );
    assert.match(
      searches[1].statement,
      /^batch 8: capacity at least concurrency 2, the highest load tried: p80 E2E latency ≤ 2000 ms holds/,
    );
  });
});
