import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readRecordsFile } from '../../../src/core/bench/recordsFile';
import type { RawRecord } from '../../../src/core/bench/record';
import { runBenchmark } from '../../../src/core/bench/runBenchmark';
import type { ProgressEvent } from '../../../src/core/bench/events';
import { openAiHandler, startServer } from './fakeServers';

describe('cancellation', () => {
  it('ends promptly, keeps what was measured and marks the result incomplete', async () => {
    // The first 8 requests are quick; every later one would stream for 10 s.
    const srv = await startServer(
      openAiHandler((n) => (n < 9 ? { ttftMs: 5, tokenMs: 5, tokens: 3 } : { ttftMs: 20, tokenMs: 100, tokens: 100 })),
    );
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cancel-')), 'r.jsonl');
    const ctrl = new AbortController();
    const events: ProgressEvent[] = [];
    let abortedAt = 0;
    const timer = setTimeout(() => {
      abortedAt = performance.now();
      ctrl.abort();
    }, 1500);
    try {
      const r = await runBenchmark(
        {
          url: srv.url,
          group: 'text-generation',
          api: 'openai-completions',
          model: 'fake-llm',
          load: { concurrency: [4, 8] },
          requests: 40,
        },
        { recordsPath: file, signal: ctrl.signal, onProgress: (e) => events.push(e), progressIntervalMs: 200 },
      );
      const endedIn = performance.now() - abortedAt;
      assert.ok(abortedAt > 0, 'the run was still going when cancelled');
      assert.ok(endedIn < 1000, `ended ${endedIn.toFixed(0)} ms after the cancel`);
      assert.equal(r.incomplete, true);
      assert.equal(r.steps.length, 1, 'the second step never started');
      assert.equal(r.steps[0].incomplete, true);
      assert.equal(r.steps[0].summary.counts.completed, 8);
      assert.equal(r.steps[0].summary.counts.cancelled, 4);
      assert.ok(r.steps[0].summary.metrics.ttft.count === 8);
      const recs: RawRecord[] = [];
      for await (const l of readRecordsFile(file)) if (l.kind === 'record') recs.push(l.record);
      assert.equal(recs.filter((x) => x.x === 1).length, 4, 'the requests in flight are recorded as cancelled');
      assert.ok(
        recs.filter((x) => x.x === 1).every((x) => x.ek === 'cancelled' && (x.ev?.length ?? 0) > 0),
        'with what they streamed so far',
      );
      assert.ok(events.some((e) => e.type === 'snapshot'));
      assert.deepEqual(events.at(-1), { type: 'run-end', incomplete: true, clientBound: r.clientBound });
    } finally {
      clearTimeout(timer);
      await srv.close();
    }
  });
});
