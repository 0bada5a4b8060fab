/**
 * The capacity chart against the result file of a real capacity search (the
 * embedded vLLM, two sequences at a time): every drawn point and table cell
 * is the file's number, read back through the file's JSON text as the panel
 * reads it.
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
import { slotLimitedSearch } from '../bench/slotSearch';
import { withServer } from '../embedded/helpers';

describe('results panel: capacity chart', () => {
  it('draws each tried load with its share over the bound, the upper confidence bound and the allowed share', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capacity-chart-'));
    const { result: r, recordsPath } = await slotLimitedSearch(dir, 4, { ttft: 40, tpot: 100 });
    const file = resultFromJson(resultToJson(r));
    const run = await buildRunView({ id: 'cap', name: 'cap', status: 'complete' }, file, recordsPath);
    const models = chartModels([run], 'e2e');
    const chart = models[0];
    assert.equal(chart.id, 'capacity', 'the capacity chart comes first');
    const search = file.capacity!.searches[0];
    assert.equal(chart.title, `Capacity: ${search.statement}`);
    assert.equal(chart.xLabel, 'Concurrency');
    const byLoad = [...search.points].sort((a, b) => a.load - b.load);
    const series = (label: string) => chart.series.find((s) => s.label === label)!;
    for (const [k, name] of [
      ['ttft', 'TTFT'],
      ['tpot', 'TPOT'],
    ] as const) {
      assert.deepEqual(
        series(`share over ${name} bound (%)`).points,
        byLoad.map((p) => ({ x: p.load, y: Number((100 * p.judgement.tests[k]!.share).toFixed(3)) })),
      );
      assert.deepEqual(
        series(`${name}: upper confidence bound (%)`).points,
        byLoad.map((p) => ({ x: p.load, y: Number((100 * p.judgement.tests[k]!.upper).toFixed(3)) })),
      );
    }
    assert.ok(series('allowed share (%)').points.every((p) => Math.abs(p.y - 20) < 1e-9));
    assert.deepEqual(chart.table.header, [
      'Concurrency',
      'Verdict',
      'Requests judged',
      'Share over bound (upper bound)',
      'Scenario',
    ]);
    assert.deepEqual(
      chart.table.rows,
      byLoad.map((p) => {
        const t = p.judgement.tests;
        const cell = (k: 'ttft' | 'tpot', name: string) =>
          `${name} ${Number((100 * t[k]!.share).toFixed(3))} % (≤ ${Number((100 * t[k]!.upper).toFixed(3))} %)`;
        return [
          String(p.load),
          p.judgement.verdict,
          String(p.judgement.requests),
          `${cell('ttft', 'TTFT')}, ${cell('tpot', 'TPOT')}`,
          p.scenario.line,
        ];
      }),
    );
    assert.ok(
      byLoad.some((p) => p.judgement.verdict === 'fail') && byLoad.some((p) => p.judgement.verdict === 'pass'),
      'both verdicts appear',
    );
  });

  it('is absent for a run that is not a capacity search', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capacity-chart-'));
    const recordsPath = path.join(dir, 'r.records.jsonl');
    await withServer(['vllm'], {}, async (ep) => {
      const r = await runBenchmark(
        {
          url: ep.vllm,
          group: 'text-generation',
          api: 'openai-completions',
          model: 'tiny-llm',
          load: { concurrency: [2] },
          requests: 4,
        },
        { recordsPath },
      );
      const run = await buildRunView(
        { id: 'x', name: 'x', status: 'complete' },
        resultFromJson(resultToJson(r)),
        recordsPath,
      );
      assert.equal(run.capacity, undefined);
      assert.ok(!chartModels([run], 'e2e').some((m) => m.id === 'capacity'));
    });
  });
});
