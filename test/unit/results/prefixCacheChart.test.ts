/**
 * The prefix-cache chart against the result file of a real shared-prefix run
 * on the embedded vLLM (prefix cache on, usage.prompt_tokens_details on): every
 * bar and table cell is the file's number, read back through the file's JSON
 * text as the panel reads it.
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
import { fmt, prefixCacheTable } from '../../oracle/resultFile.cjs';
import { withServer } from '../embedded/helpers';

describe('results panel: prefix-cache chart', () => {
  it('shows the server counters, usage over the run and per step with the numbers of the result file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prefix-chart-'));
    const recordsPath = path.join(dir, 'run.records.jsonl');
    const r = await withServer(['vllm'], { personalities: { vllm: { enablePromptTokensDetails: true } } }, (ep) =>
      runBenchmark(
        {
          url: ep.vllm,
          group: 'text-generation',
          model: 'tiny-llm',
          load: { concurrency: [1, 2] },
          requests: 12,
          text: { sharedPrefix: { groups: 2, tokens: 96 }, inputTokens: { mean: 8 }, outputTokens: { mean: 2 } },
        },
        { recordsPath },
      ),
    );
    const file = resultFromJson(resultToJson(r));
    const p = file.prefixCache!;
    assert.ok(p.server && p.usage, 'both the server counters and usage counted');
    assert.ok(p.usage.hitRate > 0.5, `two 96-token prefixes over 12 requests hit: ${p.usage.hitRate}`);
    const run = await buildRunView({ id: 'p', name: 'p', status: 'complete' }, file, recordsPath);
    const chart = chartModels([run], 'e2e').find((m) => m.id === 'prefix-cache')!;
    assert.ok(chart, 'the panel has a prefix-cache chart');
    // Two steps: server counters, usage over the run, and usage per step.
    const want = prefixCacheTable(JSON.parse(resultToJson(file)));
    assert.equal(want.rows.length, 4);
    assert.deepEqual(chart.table.header, want.header);
    assert.deepEqual(chart.table.rows, want.rows);
    assert.deepEqual(
      chart.series[0].points,
      want.bars.map(([x, y]) => ({ x, y })),
    );
    assert.equal(want.rows[0][4], String(p.server.hits));
    assert.deepEqual(chart.yRange, [0, 100], 'a hit rate is drawn on 0–100 %, so a small one does not fill the chart');
    assert.equal(chart.title, `Prefix cache: ${fmt(100 * p.server.hitRate)} % of prompt tokens hit (server counters)`);
    // The steps add up to the run's usage figure.
    assert.equal(
      file.steps.reduce((n, s) => n + s.prefixCache!.cachedTokens, 0),
      p.usage.cachedTokens,
    );
  });

  it('is absent when the server reported no prefix-cache counts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prefix-chart-'));
    const recordsPath = path.join(dir, 'run.records.jsonl');
    const r = await withServer(['vllm'], { personalities: { vllm: { enablePrefixCaching: false } } }, (ep) =>
      runBenchmark(
        {
          url: ep.vllm,
          group: 'text-generation',
          model: 'tiny-llm',
          load: { concurrency: [1] },
          requests: 4,
          serverMetrics: { enabled: false },
          text: { inputTokens: { mean: 8 }, outputTokens: { mean: 2 } },
        },
        { recordsPath },
      ),
    );
    const run = await buildRunView({ id: 'q', name: 'q', status: 'complete' }, r, recordsPath);
    assert.equal(r.prefixCache, undefined);
    assert.ok(!chartModels([run], 'e2e').some((m) => m.id === 'prefix-cache'));
  });
});
