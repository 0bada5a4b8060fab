/**
 * The sessions chart against the result file of a real multi-turn run on the
 * embedded vLLM: every drawn point and table cell is the file's number, read
 * back through the file's JSON text as the panel reads it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { resultFromJson, resultToJson } from '../../../src/core/bench/result';
import { runBenchmark } from '../../../src/core/bench/runBenchmark';
import { buildRunView } from '../../../src/core/results/runView';
import { chartModels } from '../../../webview/results/model';
import { fmt } from '../../oracle/resultFile.cjs';
import { withServer } from '../embedded/helpers';

describe('results panel: sessions chart', () => {
  it('draws TTFT and prompt length by turn index with the numbers of the result file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sessions-chart-'));
    const recordsPath = path.join(dir, 'run.records.jsonl');
    const r = await withServer(['vllm'], {}, (ep) =>
      runBenchmark(
        {
          url: ep.vllm,
          group: 'text-generation',
          model: 'tiny-llm',
          load: { sessions: { users: 2, turns: 4, conversations: 4 } },
          text: { inputTokens: { mean: 6 }, outputTokens: { mean: 3 } },
        },
        { recordsPath },
      ),
    );
    const file = resultFromJson(resultToJson(r));
    const run = await buildRunView({ id: 's', name: 's', status: 'complete' }, file, recordsPath);
    const chart = chartModels([run], 'e2e')[0];
    assert.equal(chart.id, 'sessions', 'the sessions chart comes first');
    const s = file.steps[0].sessions!;
    assert.equal(s.byTurn.length, 4);
    assert.deepEqual(chart.categories, ['1', '2', '3', '4']);
    const series = (label: string) => chart.series.find((x) => x.label === label)!.points;
    assert.deepEqual(
      series('TTFT mean (ms)'),
      s.byTurn.map((t) => ({ x: String(t.turn), y: t.ttftMs.mean })),
    );
    assert.deepEqual(
      series('TTFT p99 (ms)'),
      s.byTurn.map((t) => ({ x: String(t.turn), y: t.ttftMs.p99 })),
    );
    assert.deepEqual(
      series('Prompt tokens (mean)'),
      s.byTurn.map((t) => ({ x: String(t.turn), y: t.inputTokens.mean })),
    );
    assert.deepEqual(
      chart.table.rows,
      s.byTurn.map((t) => [
        ...[t.turn, t.requests, t.succeeded].map(String),
        ...[t.inputTokens.mean, t.ttftMs.mean, t.ttftMs.p50, t.ttftMs.p90, t.ttftMs.p99, t.e2elMs.mean].map(fmt),
      ]),
    );
    assert.deepEqual(
      s.byTurn.map((t) => t.requests),
      [4, 4, 4, 4],
    );
    // The history grows: each turn's prompt is longer than the one before.
    for (let k = 1; k < 4; k++) assert.ok(s.byTurn[k].inputTokens.mean > s.byTurn[k - 1].inputTokens.mean);
  });
});
