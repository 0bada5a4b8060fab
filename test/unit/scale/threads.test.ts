/**
 * `--workers N` against the deterministic embedded server (its own process):
 * the merged result of 3 worker threads equals, record for record, the same
 * schedule run in one process — the same request indices in every step, and
 * per request the same status, token counts and byte counts — and its
 * summaries are exactly what the profile computes from the merged records.
 * Times differ by timing noise only.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ProgressEvent } from '../../../src/core/bench/events';
import { recomputeProfile } from '../../../src/core/bench/recompute';
import { runBenchmark } from '../../../src/core/bench/runBenchmark';
import { runScaledOut, type WorkerProgress } from '../../../src/core/bench/scale/coordinator';
import { threadLauncher } from '../../../src/core/bench/scale/threads';
import type { BenchSpec } from '../../../src/core/bench/spec';
import { startEmbeddedProcess } from '../bench/embeddedProcess';
import { assertSameRun, recordsOf } from './sameRun';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scale-threads-'));
const latency = {
  jitter: 0,
  prefillBaseMs: 10,
  prefillPerTokenMs: 0.02,
  decodePerTokenMs: 2,
  batchSlowdown: 0,
  maxBatch: 128,
};

describe('worker threads: one exactly merged result', () => {
  let server: { proc: ChildProcess; endpoints: Record<string, string> };
  before(
    async () =>
      (server = await startEmbeddedProcess(dir, {
        portBase: 0,
        models: [
          { name: 'tiny-llm', kind: 'text-generation', latency },
          { name: 'mini-embed', kind: 'embedding' },
          { name: 'resnet50', kind: 'image-classification' },
        ],
      })),
  );
  after(() => server?.proc.kill('SIGTERM'));

  const specs: Array<[string, () => BenchSpec]> = [
    [
      'closed loop, concurrency 1, 4 and 2 (idle workers wait for the next step)',
      () => ({
        url: server.endpoints.vllm,
        group: 'text-generation',
        api: 'openai-completions',
        load: { concurrency: [1, 4, 2] },
        requests: 31,
        warmup: 4,
        seed: 7,
        text: { inputTokens: { mean: 20, std: 6, min: 4 }, outputTokens: { mean: 8, std: 3, min: 2, max: 16 } },
      }),
    ],
    [
      'open loop, 60 req/s',
      () => ({
        url: server.endpoints.vllm,
        group: 'text-generation',
        api: 'openai-chat',
        load: { rate: [60] },
        requests: 40,
        warmup: 2,
        seed: 11,
        text: { inputTokens: { mean: 12 }, outputTokens: { mean: 6, std: 2, min: 2, max: 12 } },
      }),
    ],
  ];
  for (const [name, make] of specs) {
    it(name, async () => {
      const spec = make();
      const tag = name.replace(/\W+/g, '-');
      const singleFile = path.join(dir, `${tag}-single.jsonl`);
      const single = await runBenchmark(spec, { recordsPath: singleFile });
      const mergedFile = path.join(dir, `${tag}-merged.jsonl`);
      const events: ProgressEvent[] = [];
      const workers: WorkerProgress[] = [];
      const merged = await runScaledOut(spec, threadLauncher(), {
        workers: 3,
        recordsPath: mergedFile,
        onProgress: (e) => events.push(e),
        onWorker: (w) => workers.push(w),
        progressIntervalMs: 100,
      });
      assert.equal(merged.incomplete, false, merged.incompleteReason);
      const mergedRecs = await recordsOf(mergedFile);
      assertSameRun(single, await recordsOf(singleFile), merged, mergedRecs);
      // Steps do not overlap: every worker starts step k (warm-up included) after the last request of step k−1 ended.
      for (let k = 1; k < merged.steps.length; k++) {
        const prevEnd = Math.max(...mergedRecs.filter((r) => r.s === k - 1).map((r) => r.t + r.e));
        const nextStart = Math.min(...mergedRecs.filter((r) => r.s === k).map((r) => r.t));
        assert.ok(
          nextStart >= prevEnd - 1,
          `step ${k + 1} started at ${nextStart.toFixed(1)} ms, before step ${k} ended at ${prevEnd.toFixed(1)} ms`,
        );
      }
      // The summaries are the profile's own computation over the merged records (exact, not averaged).
      const again = await recomputeProfile(merged, mergedFile, merged.profile);
      assert.deepEqual(
        again.steps.map((s) => s.summary),
        merged.steps.map((s) => s.summary),
      );
      assert.deepEqual(
        merged.workers?.map((w) => [w.shard, w.where, w.clock.method]),
        [
          ['1/3', 'thread 1', 'round-trip'],
          ['2/3', 'thread 2', 'round-trip'],
          ['3/3', 'thread 3', 'round-trip'],
        ],
      );
      // One process, one clock: the measured offset is within half a round trip of zero.
      for (const w of merged.workers!)
        for (const o of [w.clock.offsetStartMs!, w.clock.offsetEndMs!])
          assert.ok(Math.abs(o) <= w.clock.roundTripMs! / 2 + 0.01, `thread clocks agree: ${JSON.stringify(w.clock)}`);
      assert.equal(
        merged.workers!.reduce((a, w) => a + w.sent, 0),
        single.steps.reduce((a, s) => a + s.requests.sent, 0),
      );
      assert.ok(
        workers.some((w) => w.state === 'done' && w.shard === '3/3'),
        'per-worker progress reports the end',
      );
      assert.deepEqual(events.filter((e) => e.type === 'step-end').length, single.steps.length);
      assert.ok(!fs.existsSync(`${mergedFile}.shards`), 'the per-shard files are removed after the merge');
    });
  }
});
