import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compareRuns } from '../../../src/core/results/compare';
import { toCsv, toMarkdown } from '../../../src/core/results/export';
import { ResultsStore } from '../../../src/core/results/resultsStore';
import { buildRunView, distribution } from '../../../src/core/results/runView';
import { finalResult, spec, writeRun } from './fixtures';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'il-results-'));

describe('ResultsStore', () => {
  it('creates, finishes, lists, renames, marks a baseline and deletes runs', async () => {
    const store = new ResultsStore(tmp());
    const a = await store.create({ name: 'first', group: 'text-generation', server: { url: spec.url }, spec });
    assert.equal((await store.list())[0].status, 'running');
    const steps = await writeRun(store.recordsPath(a.id));
    const done = await store.finish(a.id, finalResult(a, store.recordsPath(a.id), steps), '42 tok/s');
    assert.equal(done.status, 'complete');
    const b = await store.create({
      id: 'second',
      name: 'second',
      group: 'text-generation',
      server: { url: spec.url },
      spec,
    });
    await store.finish(b.id, {
      ...finalResult(b, store.recordsPath(b.id), steps),
      incomplete: true,
      incompleteReason: 'cancelled',
    });
    await store.rename(a.id, 'renamed');
    await store.setBaseline(a.id);
    await store.setBaseline(b.id);
    const list = await store.list();
    assert.deepEqual(
      list.map((r) => [r.name, r.status, !!r.baseline]).sort(),
      [
        ['renamed', 'complete', false],
        ['second', 'incomplete', true],
      ].sort(),
    );
    await store.delete(a.id);
    assert.equal((await store.list()).length, 1);
    assert.throws(() => store.dir('../escape'), /Invalid run id/);
  });

  it('a run cut short by a closed window is listed as interrupted and its summaries are rebuilt from the records', async () => {
    const root = tmp();
    const first = new ResultsStore(root);
    const run = await first.create({
      name: 'crash',
      group: 'text-generation',
      server: { url: spec.url, kind: 'vllm', model: 'sim' },
      spec,
    });
    const steps = await writeRun(first.recordsPath(run.id));
    // Only the first step's partial result was saved before the "crash".
    await first.saveResult(run.id, {
      ...finalResult(run, first.recordsPath(run.id), [steps[0]]),
      incomplete: true,
      incompleteReason: 'running',
    });
    const later = new ResultsStore(root); // a new window: this process no longer runs it
    const meta = (await later.list())[0];
    assert.equal(meta.status, 'incomplete');
    assert.match(meta.incompleteReason ?? '', /interrupted/);
    const result = await later.result(run.id);
    assert.ok(result);
    assert.equal(result.steps.length, 2, 'the step in progress is recovered from the records');
    assert.equal(result.steps[1].summary.counts.completed, 20);
    assert.equal(result.incomplete, true);
  });

  it('skips damaged folders without deleting them', async () => {
    const root = tmp();
    fs.mkdirSync(path.join(root, 'junk'));
    fs.writeFileSync(path.join(root, 'junk', 'run.json'), '{ not json');
    const store = new ResultsStore(root);
    assert.deepEqual(await store.list(), []);
    assert.ok(fs.existsSync(path.join(root, 'junk', 'run.json')));
  });
});

describe('run view, exports and compare', () => {
  it('builds per-step rows equal to the result summaries, distributions and a timeline from the records', async () => {
    const store = new ResultsStore(tmp());
    const run = await store.create({ name: 'r', group: 'text-generation', server: { url: spec.url }, spec });
    const steps = await writeRun(store.recordsPath(run.id));
    const result = finalResult(run, store.recordsPath(run.id), steps);
    const view = await buildRunView(
      { id: run.id, name: run.name, status: 'complete' },
      result,
      store.recordsPath(run.id),
    );
    assert.equal(view.steps.length, 2);
    assert.equal(view.steps[0].metrics.ttft.p50, steps[0].summary.metrics.ttft.percentiles['50']);
    assert.equal(view.recordsCount, 40);
    const ttft = view.distributions.find((d) => d.key === 'ttft')!;
    assert.equal(ttft.count, 40);
    assert.equal(
      ttft.counts.reduce((a, b) => a + b, 0),
      40,
    );
    const itl = view.distributions.find((d) => d.key === 'gap')!;
    assert.equal(itl.count, 40 * 9);
    // Equal bins over the run: their rates times the bin width give back every measured request.
    const w = view.timeline.t[0];
    assert.equal(Math.round(view.timeline.requestsPerSec.reduce((a, b) => a + b * w, 0) * 1e6) / 1e6, ttft.count);

    const csv = toCsv(view).trim().split('\n');
    assert.equal(csv.length, 3);
    const header = csv[0].split(',');
    const p50col = header.findIndex((h) => h.startsWith('TTFT p50'));
    assert.ok(p50col > 0);
    assert.equal(Number(csv[1].split(',')[p50col]), Math.round(view.steps[0].metrics.ttft.p50 * 1000) / 1000);
    assert.match(toMarkdown(view), /\| step \| mode \|/);

    const slower = {
      ...view,
      id: 'b',
      steps: view.steps.map((s) => ({
        ...s,
        latency: { ...s.latency, ttft: { ...s.latency.ttft!, p50: s.latency.ttft!.p50 * 1.5 } },
      })),
    };
    const cmp = compareRuns(view, slower);
    const row = cmp.rows.find((r) => r.metric === 'TTFT p50' && r.step === view.steps[0].label)!;
    assert.ok(Math.abs(row.change - 0.5) < 1e-9);
    // Without the raw records there is no noise interval, so no verdict (compare.test.ts judges from records).
    assert.equal(row.verdict, 'no interval');
    assert.equal(row.regression, false);
  });

  it('distribution: bins cover every value and the CDF ends at 1', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
    const d = distribution('x', 'X', 'ms', values);
    assert.equal(
      d.counts.reduce((a, b) => a + b, 0),
      1000,
    );
    assert.deepEqual(d.cdf[d.cdf.length - 1], [999, 1]);
    for (let i = 1; i < d.cdf.length; i++) assert.ok(d.cdf[i][0] >= d.cdf[i - 1][0] && d.cdf[i][1] > d.cdf[i - 1][1]);
    assert.equal(distribution('e', 'E', 'ms', []).count, 0);
  });
});
