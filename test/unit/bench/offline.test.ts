/**
 * MLPerf Offline scenario against the embedded server: every query of a step
 * in flight at once (one step per batch size), a verdict line per step judged
 * on the group's throughput, with MLPerf's nearest-rank p99 computed here
 * from the records file apart from the code under test.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { exitCodeOf, specFromFlags } from '../../../src/cli/bench';
import { exitCodes } from '../../../src/cli/exitCodes';
import { isSuccess, type RawRecord } from '../../../src/core/bench/record';
import { resultProblems } from '../../../src/core/bench/resultFile';
import { resultFromJson, resultToJson } from '../../../src/core/bench/result';
import { runBenchmark } from '../../../src/core/bench/runBenchmark';
import type { BenchSpec } from '../../../src/core/bench/spec';
import { normalizeSpec } from '../../../src/core/bench/specNormalize';
import { buildRunView } from '../../../src/core/results/runView';
import { withServer } from '../embedded/helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'il-offline-'));

function records(file: string): RawRecord[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((r) => typeof r.i === 'number' && !r.w);
}

/** How long an Offline step ran, as the loadgen's max_latency: its longest issue-to-end latency, s. */
const ranSec = (recs: RawRecord[]) => Math.max(...recs.filter(isSuccess).map((x) => x.t - x.q + x.e)) / 1000;
/** Seconds as the verdict line writes them (three significant digits). */
const secs = (v: number) => String(Number(v.toPrecision(3)));

/** MLPerf's percentile: the value at rank ⌈q·n⌉ of the sorted values. */
const rank = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.ceil((q / 100) * values.length) - 1];

describe('MLPerf Offline scenario', () => {
  it('text: all 24 queries at once; throughput = the summary’s output tokens/s; p99 = nearest rank of issue-to-end latency; PASS and FAIL against the target, valid at minimums lowered in the spec (named in the line)', async () => {
    for (const [minThroughput, pass] of [
      [1, true],
      [1e9, false],
    ] as const) {
      const file = path.join(dir, `text-${pass}.records.jsonl`);
      const r = await withServer(['vllm'], {}, (ep) =>
        runBenchmark(
          {
            url: ep.vllm,
            group: 'text-generation',
            model: 'tiny-llm',
            load: { offline: { queries: 24, minThroughput, minDurationSec: 0.01, minQueries: 24 } },
            text: { inputTokens: { mean: 16 }, outputTokens: { mean: 8 } },
          },
          { recordsPath: file },
        ),
      );
      assert.deepEqual(
        r.steps.map((s) => [s.load.mode, s.load.concurrency, s.requests.sent]),
        [['concurrency', 24, 24]],
      );
      const recs = records(file);
      const v = r.offline![0];
      const p99 = rank(
        recs.filter(isSuccess).map((x) => x.t - x.q + x.e),
        99,
      );
      assert.equal(v.p99Ms, p99);
      assert.equal(v.throughput, r.steps[0].summary.throughput.output_throughput.value);
      assert.equal(v.answered, 24);
      assert.equal(v.pass, pass);
      assert.equal(v.durationSec, ranSec(recs));
      assert.ok(v.durationSec >= 0.01 && v.valid, `ran ${v.durationSec} s`);
      assert.deepEqual(v.invalidReasons, []);
      assert.equal(
        v.line,
        `Offline (24 queries at once): ${Number(v.throughput.toPrecision(5))} tok/s ${pass ? '≥' : '<'} ${minThroughput} asked, 24/24 answered, p99 latency ${Number(p99.toPrecision(5))} ms (nearest rank), ran ${secs(v.durationSec)} s → ${pass ? 'PASS' : 'FAIL'} (valid; minimums set in the spec: 0.01 s, 24 queries; MLPerf's are 600 s, 24576)`,
      );
      assert.equal(exitCodeOf(r), pass ? exitCodes.ok : exitCodes.goodputMissed);
      assert.deepEqual(resultProblems(JSON.parse(resultToJson(r))), []);
      // The results panel shows the same verdict line under the run's name (result file → run view).
      const view = await buildRunView(
        { id: 'o', name: 'o', status: 'complete' },
        resultFromJson(resultToJson(r)),
        file,
      );
      assert.deepEqual(view.offline, [{ step: 0, pass, line: v.line }]);
    }
  });

  it('embeddings: one step and one verdict per batch size, on inputs/s', async () => {
    const file = path.join(dir, 'embed.records.jsonl');
    const r = await withServer(['vllm'], {}, (ep) =>
      runBenchmark(
        {
          url: ep.vllm,
          group: 'embeddings',
          api: 'openai',
          model: 'mini-embed',
          load: { offline: { queries: 12, minDurationSec: 0, minQueries: 12 } },
          embeddings: { batchSizes: [1, 4] },
        },
        { recordsPath: file },
      ),
    );
    const recs = records(file);
    assert.deepEqual(
      r.offline!.map((v) => [v.batchSize, v.queries, v.answered, v.unit, v.pass]),
      [
        [1, 12, 12, 'inputs/s', true],
        [4, 12, 12, 'inputs/s', true],
      ],
    );
    r.offline!.forEach((v, k) => {
      assert.equal(v.throughput, r.steps[k].summary.throughput.inputsPerSec.value);
      assert.equal(
        v.p99Ms,
        rank(
          recs.filter((x) => x.s === r.steps[k].index).map((x) => x.t - x.q + x.e),
          99,
        ),
      );
      assert.match(
        v.line,
        new RegExp(
          `^Offline \\(12 queries at once, batch ${v.batchSize}\\): .* → PASS \\(valid; minimums set in the spec: 0 s, 12 queries;`,
        ),
      );
    });
  });

  it('MLPerf validity: with the default minimums (600 s, 24576 queries) a short run is INVALID with its reasons, whatever its throughput; each minimum judged apart', async () => {
    const run = (offline: BenchSpec['load']['offline'], name: string) => {
      const file = path.join(dir, `${name}.records.jsonl`);
      return withServer(['vllm'], {}, (ep) =>
        runBenchmark(
          {
            url: ep.vllm,
            group: 'text-generation',
            model: 'tiny-llm',
            load: { offline },
            text: { inputTokens: { mean: 16 }, outputTokens: { mean: 8 } },
          },
          { recordsPath: file },
        ),
      ).then((r) => ({ r, v: r.offline![0], recs: records(file), file }));
    };
    // Defaults: both minimums missed; the throughput target is met, the verdict is still INVALID.
    const { r, v, recs, file } = await run({ queries: 24, minThroughput: 1 }, 'mlperf-defaults');
    const ran = secs(ranSec(recs));
    assert.deepEqual(
      [v.minDurationSec, v.minQueries, v.valid, v.pass, v.answered, v.throughput >= 1],
      [600, 24576, false, false, 24, true],
    );
    assert.deepEqual(v.invalidReasons, [`ran ${ran} s < 600 s minimum`, '24 queries < 24576 minimum']);
    assert.ok(
      v.line.endsWith(
        `24/24 answered, p99 latency ${Number(v.p99Ms.toPrecision(5))} ms (nearest rank), ran ${ran} s → INVALID: ran ${ran} s < 600 s minimum; 24 queries < 24576 minimum (MLPerf's minimums: 600 s, 24576 queries)`,
      ),
      v.line,
    );
    assert.equal(exitCodeOf(r), exitCodes.goodputMissed);
    assert.deepEqual(resultProblems(JSON.parse(resultToJson(r))), []);
    const view = await buildRunView({ id: 'i', name: 'i', status: 'complete' }, resultFromJson(resultToJson(r)), file);
    assert.deepEqual(view.offline, [{ step: 0, pass: false, line: v.line }]);
    // Enough queries (the minimum lowered to 24) but too short: only the duration is named.
    const short = await run({ queries: 24, minQueries: 24 }, 'too-short');
    assert.deepEqual(short.v.invalidReasons, [`ran ${secs(ranSec(short.recs))} s < 600 s minimum`]);
    assert.match(
      short.v.line,
      /→ INVALID: ran [\d.]+ s < 600 s minimum \(minimums set in the spec: 600 s, 24 queries; MLPerf's are 600 s, 24576\)$/,
    );
    // Long enough (the minimum lowered to 0) but too few queries: only the count is named.
    const few = await run({ queries: 24, minDurationSec: 0 }, 'too-few');
    assert.deepEqual([few.v.valid, few.v.invalidReasons], [false, ['24 queries < 24576 minimum']]);
  });

  it('validation: queries a whole number, no requests or duration beside it, one load mode', () => {
    const spec = (load: object, extra: object = {}): BenchSpec => ({
      url: 'http://127.0.0.1:1',
      group: 'text-generation',
      load,
      ...extra,
    });
    assert.equal(normalizeSpec(spec({ offline: {} })).requests, 1024);
    assert.throws(() => normalizeSpec(spec({ offline: { queries: 0 } })), /offline: queries is a whole number/);
    assert.throws(
      () => normalizeSpec(spec({ offline: { queries: 8 } }, { requests: 100 })),
      /offline: the run is its queries, sent at once/,
    );
    assert.throws(
      () => normalizeSpec(spec({ offline: { minThroughput: -1 } })),
      /offline: minThroughput is a positive throughput/,
    );
    assert.throws(
      () => normalizeSpec(spec({ offline: {}, concurrency: [1] })),
      /Choose one load mode: concurrency, offline/,
    );
    // MLPerf's minimums unless the spec lowers (or raises) them.
    assert.deepEqual(normalizeSpec(spec({ offline: { queries: 8 } })).load.offline, {
      queries: 8,
      minDurationSec: 600,
      minQueries: 24576,
    });
    assert.deepEqual(normalizeSpec(spec({ offline: { queries: 8, minDurationSec: 5, minQueries: 8 } })).load.offline, {
      queries: 8,
      minDurationSec: 5,
      minQueries: 8,
    });
    assert.throws(
      () => normalizeSpec(spec({ offline: { minDurationSec: -1 } })),
      /offline: minDurationSec is a number of seconds from 0 to 86400 \(MLPerf: 600\)/,
    );
    assert.throws(
      () => normalizeSpec(spec({ offline: { minQueries: 1.5 } })),
      /offline: minQueries is a whole number from 1 \(MLPerf: 24576\)/,
    );
    // The CLI's flags.
    assert.deepEqual(
      specFromFlags({
        url: 'http://127.0.0.1:1',
        group: 'text-generation',
        offline: '16',
        'offline-min-duration': '2m',
        'offline-min-queries': '16',
      }).load.offline,
      { queries: 16, minDurationSec: 120, minQueries: 16 },
    );
    assert.throws(
      () => specFromFlags({ url: 'http://127.0.0.1:1', group: 'text-generation', 'offline-min-duration': '10s' }),
      /--offline-min-duration and --offline-min-queries go with --offline QUERIES/,
    );
  });
});
