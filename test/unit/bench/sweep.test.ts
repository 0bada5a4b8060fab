import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ProgressEvent } from '../../../src/core/bench/events';
import { runBenchmark } from '../../../src/core/bench/runBenchmark';
import { sweepRates } from '../../../src/core/bench/engine/stepPlan';
import { startServer, teiHandler } from './fakeServers';

describe('automatic sweep', () => {
  it('spaces rates evenly between the serial and the saturated throughput, ends excluded', () => {
    assert.deepEqual(sweepRates(10, 40, 2), [20, 30]);
    assert.deepEqual(sweepRates(10, 10, 3), [], 'no room between the two');
  });

  it('runs serial, saturation, then open-loop rates in between, for every batch size', async () => {
    // 10 ms per request whatever the load: serial ≈ 100 req/s, 8 at once ≈ 800 req/s.
    const srv = await startServer(teiHandler(() => 10));
    const events: ProgressEvent[] = [];
    try {
      const r = await runBenchmark(
        {
          url: srv.url,
          group: 'embeddings',
          api: 'tei',
          load: { sweep: { points: 2, saturationConcurrency: 8 } },
          requests: 40,
          embeddings: { batchSizes: [1, 4] },
        },
        {
          recordsPath: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sweep-')), 'r.jsonl'),
          onProgress: (e) => events.push(e),
        },
      );
      assert.deepEqual(
        r.steps.map((s) => [s.load.batchSize, s.load.sweepPhase]),
        [
          [1, 'serial'],
          [1, 'saturation'],
          [1, 'interpolated'],
          [1, 'interpolated'],
          [4, 'serial'],
          [4, 'saturation'],
          [4, 'interpolated'],
          [4, 'interpolated'],
        ],
      );
      const [serial, sat, a, b] = r.steps.map(
        (s) => s.summary.counts.completed / ((s.window.endMs - s.window.startMs) / 1000),
      );
      assert.ok(sat > 2 * serial, `saturation ${sat} vs serial ${serial}`);
      const rates = [r.steps[2].load.rate!, r.steps[3].load.rate!];
      assert.ok(
        Math.abs(rates[0] - (serial + (sat - serial) / 3)) < 1e-6 &&
          Math.abs(rates[1] - (serial + (2 * (sat - serial)) / 3)) < 1e-6,
      );
      assert.ok(a > 0 && b > 0);
      assert.equal(r.steps[5].label, 'b=4 c=8 (saturation)');
      assert.equal(r.steps[6].summary.throughput.inputsPerSec.value > 0, true);
      assert.equal(events.filter((e) => e.type === 'step-start').length, 8);
      assert.equal(
        (events[0] as { plannedSteps?: number }).plannedSteps,
        undefined,
        'a sweep cannot know its steps ahead',
      );
    } finally {
      await srv.close();
    }
  });
});
