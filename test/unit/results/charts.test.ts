/**
 * The chart models of the results panel against the result file, for every
 * group × profile: each table cell and each drawn point is the file's number
 * (read here by the tool's literal key names, independently of the panel's
 * accessors), never "–" or an empty series where the file has a value.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, describe, it } from 'node:test';
import { resultFromJson, resultToJson, type BenchResult, type StepResult } from '../../../src/core/bench/result';
import { buildRunView } from '../../../src/core/results/runView';
import type { RunView } from '../../../src/shared/results';
import {
  batchChart,
  chartModels,
  distributionCharts,
  kneeChart,
  percentileChart,
  throughputChart,
  type ChartModel,
} from '../../../webview/results/model';
import { fileKeys, figure, fmt, itemKey } from '../../oracle/resultFile.cjs';
import { groups, makeRun, profiles, type FixtureOptions } from './groupFixtures';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

async function view(
  group: (typeof groups)[number],
  profile: (typeof profiles)[number],
  name?: string,
  opts: FixtureOptions = {},
): Promise<{ run: RunView; file: BenchResult }> {
  const { result, recordsPath, dir } = await makeRun(group, profile, opts);
  dirs.push(dir);
  // Read back as the panel does: through the JSON text of the file.
  const file = resultFromJson(resultToJson(result));
  const run = await buildRunView(
    { id: `${group}-${profile}`, name: name ?? `${group} ${profile}`, status: 'complete' },
    file,
    recordsPath,
  );
  return { run, file };
}

const cell = (m: ChartModel, row: string[], header: string) => {
  const i = m.table.header.indexOf(header);
  assert.ok(i >= 0, `${m.id}: no column "${header}" in ${m.table.header.join(' | ')}`);
  return row[i];
};
const itemHeader = (group: string) =>
  group === 'image-classification' ? 'Images/s (images/s)' : 'Inputs/s (inputs/s)';

function noGaps(m: ChartModel): void {
  for (const h of m.table.header) assert.ok(h.trim(), `${m.id}: a column without a header`);
  for (const row of m.table.rows)
    for (const c of row) assert.notEqual(c, '–', `${m.id}: "–" in row ${row.join(' | ')}`);
  assert.ok(m.series.length > 0, `${m.id}: no series`);
  for (const s of m.series) {
    assert.ok(s.label.trim(), `${m.id}: a series without a name`);
    assert.ok(s.points.length > 0, `${m.id}: series "${s.label}" is empty`);
    for (const p of s.points) assert.ok(Number.isFinite(p.y), `${m.id}: series "${s.label}" has no value at ${p.x}`);
  }
  if (m.series.some((s) => s.y2)) assert.ok(m.y2Label?.trim(), `${m.id}: the right axis has no title`);
}

for (const group of groups) {
  for (const profile of profiles) {
    describe(`results charts: ${group} × ${profile}`, () => {
      it('throughput versus concurrency: requests/s and the main rate of every step, one series per batch size', async () => {
        const { run, file } = await view(group, profile);
        const m = throughputChart([run]);
        noGaps(m);
        const text = group === 'text-generation';
        const mainHeader = text ? 'Output tokens/s (tok/s)' : itemHeader(group);
        assert.equal(m.table.rows.length, file.steps.length);
        for (const s of file.steps) {
          const row = m.table.rows.find(
            (r) =>
              cell(m, r, 'Concurrency') === String(s.load.concurrency) &&
              (text || cell(m, r, 'Batch size') === String(s.load.batchSize)),
          );
          assert.ok(row, `a row for ${s.label}`);
          assert.equal(cell(m, row, 'Requests/s'), fmt(figure(s, fileKeys.requests[profile])));
          assert.equal(
            cell(m, row, mainHeader),
            fmt(figure(s, text ? fileKeys.outputTokens[profile] : itemKey(group))),
          );
        }
        const batches = [...new Set(file.steps.map((s) => s.load.batchSize))];
        const left = m.series.filter((s) => !s.y2);
        assert.equal(left.length, batches.length, 'one requests/s line per batch size');
        for (const b of batches) {
          const steps = file.steps.filter((s) => s.load.batchSize === b);
          const line = text ? left[0] : left.find((s) => s.label.startsWith(`batch ${b}:`));
          assert.ok(line, `a line for batch ${b}`);
          assert.deepEqual(
            line.points.map((p) => p.y),
            steps.map((s) => figure(s, fileKeys.requests[profile])),
          );
        }
        assert.equal(m.y2Label, mainHeader);
      });

      it('the knee: E2E p50/p99 against requests/s, points in throughput order', async () => {
        // Steps not in throughput order (as a sweep or a hand-written list may run them).
        const { run, file } = await view(group, profile, undefined, { concurrency: [4, 1, 2] });
        const m = kneeChart([run], 'e2e');
        noGaps(m);
        const [key, toMs] = fileKeys.e2e[profile];
        for (const s of m.series) {
          const xs = s.points.map((p) => p.x as number);
          assert.deepEqual(
            xs,
            [...xs].sort((a, b) => a - b),
            `${s.label}: x sorted`,
          );
        }
        for (const s of file.steps) {
          const row = m.table.rows.find((r) => cell(m, r, 'Step') === s.label)!;
          assert.equal(cell(m, row, 'Requests/s'), fmt(figure(s, fileKeys.requests[profile])));
          const label = m.table.header[2].replace(' p50 (ms)', '');
          assert.equal(cell(m, row, `${label} p99 (ms)`), fmt(s.summary.metrics[key].percentiles['99'] * toMs));
          const p99 = m.series.find(
            (x) =>
              x.label.endsWith('p99') &&
              (group === 'text-generation' || x.label.startsWith(`batch ${s.load.batchSize}:`)),
          )!;
          assert.ok(
            p99.points.some(
              (p) =>
                p.x === figure(s, fileKeys.requests[profile]) &&
                Math.abs(p.y - s.summary.metrics[key].percentiles['99'] * toMs) < 1e-9,
            ),
          );
        }
      });

      it('percentiles per step: every step, one colour per percentile', async () => {
        const { run, file } = await view(group, profile);
        const m = percentileChart([run], 'e2e');
        noGaps(m);
        const [key, toMs] = fileKeys.e2e[profile];
        for (const s of file.steps) {
          const row = m.table.rows.find((r) => r[0] === s.label)!;
          assert.equal(cell(m, row, 'p50 (ms)'), fmt(s.summary.metrics[key].percentiles['50'] * toMs));
          assert.equal(cell(m, row, 'p99 (ms)'), fmt(s.summary.metrics[key].percentiles['99'] * toMs));
        }
        assert.equal(new Set(m.series.map((s) => s.color)).size, 4);
        if (group === 'text-generation') {
          const t = percentileChart([run], 'ttft');
          noGaps(t);
          assert.equal(
            cell(t, t.table.rows[0], 'p50 (ms)'),
            fmt(file.steps[0].summary.metrics[fileKeys.ttft[profile]].percentiles['50']),
          );
        }
      });

      it('distributions: visible histogram bars (one bin wide), CDF ending at 1, the same name as the percentile chart', async () => {
        const { run } = await view(group, profile);
        const charts = distributionCharts([run]);
        assert.equal(charts.length, group === 'text-generation' ? 2 : 1);
        const e2eName = percentileChart([run], 'e2e').title.replace(' percentiles per step', '');
        for (const m of charts) {
          noGaps(m);
          const bars = m.series.find((s) => s.type === 'bar')!;
          const d = run.distributions.find((x) => `dist-${x.key}` === m.id)!;
          assert.ok(
            bars.barWidth && Math.abs(bars.barWidth - (d.binEnd - d.bins[0]) / d.bins.length) < 1e-9,
            'bars are one bin wide',
          );
          assert.ok(Math.abs(bars.points.reduce((a, p) => a + p.y, 0) - 1) < 1e-9, 'shares add up to 1');
          assert.equal(m.series.find((s) => s.type === 'line')!.points.at(-1)!.y, 1);
        }
        if (group === 'text-generation') {
          const gap = charts.find((m) => m.id === 'dist-gap')!;
          assert.equal(gap.yLabel, 'Share of token gaps');
          assert.ok(gap.series[0].label.includes('token gaps'));
        } else {
          assert.equal(charts[0].title, `${e2eName} distribution (histogram and CDF)`);
        }
      });

      if (group !== 'text-generation') {
        it('batch chart: best step of each batch size, named in its row', async () => {
          const { run, file } = await view(group, profile);
          const m = batchChart([run])!;
          noGaps(m);
          for (const b of [1, 8]) {
            const steps = file.steps.filter((s) => s.load.batchSize === b);
            const best: StepResult = steps.reduce((x: StepResult, y: StepResult) =>
              figure(y, itemKey(group))! > figure(x, itemKey(group))! ? y : x,
            );
            const row = m.table.rows.find((r) => r[0] === String(b))!;
            assert.equal(row[1], best.label);
            assert.equal(row[2], fmt(figure(best, itemKey(group))));
          }
        });
      }

      it('every chart of the panel has its numbers (compare of two runs too)', async () => {
        const { run } = await view(group, profile);
        const { run: other } = await view(group, profile, 'second');
        for (const runs of [[run], [run, other]]) {
          const models = chartModels(runs);
          assert.ok(models.length >= (group === 'text-generation' ? 5 : 5));
          for (const m of models) noGaps(m);
          const p = models.find((x) => x.id.startsWith('percentiles-'))!;
          if (runs.length > 1) {
            const colours = new Map<string, Set<number>>();
            for (const s of p.series) {
              const pct = s.label.split(': ')[1];
              colours.set(pct, (colours.get(pct) ?? new Set()).add(s.color));
            }
            assert.equal(
              new Set([...colours.values()].map((c) => [...c][0])).size,
              4,
              'each percentile its own colour',
            );
            assert.notEqual(p.series[0].shade, p.series[4].shade, 'runs differ in shade');
          }
        }
      });
    });
  }
}
