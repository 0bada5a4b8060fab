/** The per-request view and the token timeline, read from the raw records. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, describe, it } from 'node:test';
import { readRecordsFile } from '../../../src/core/bench/recordsFile';
import { requestTimeline, stepRequests } from '../../../src/core/results/requests';
import { makeRun } from './groupFixtures';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('requests of a step', () => {
  it('lists every measured request of the step with start, TTFT, E2E, tokens and status, sorted over the whole step', async () => {
    const { result, recordsPath, dir } = await makeRun('text-generation', 'vllm');
    dirs.push(dir);
    const records = [];
    for await (const l of readRecordsFile(recordsPath))
      if (l.kind === 'record' && l.record.s === 1) records.push(l.record);
    const step = result.steps[1];
    const v = await stepRequests('r', recordsPath, step, 'vllm', { key: 'e2eMs', descending: true });
    assert.equal(v.total, records.length);
    assert.equal(v.stepLabel, step.label);
    assert.deepEqual(
      v.rows.map((r) => r.e2eMs),
      records.map((r) => r.e).sort((a, b) => b - a),
    );
    const slowest = records.find((r) => r.i === v.rows[0].i)!;
    assert.deepEqual(v.rows[0], {
      i: slowest.i,
      startMs: slowest.t,
      ttftMs: slowest.ev![0],
      e2eMs: slowest.e,
      inputTokens: 32,
      outputTokens: 16,
      items: 1,
      status: 200,
      error: undefined,
    });
    // The slowest request is the step's p100: its E2E is the top of the summary's distribution.
    assert.equal(v.rows[0].e2eMs, Math.max(...records.map((r) => r.e)));
    const byTtft = await stepRequests('r', recordsPath, step, 'vllm', { key: 'ttftMs', descending: false }, 5);
    assert.equal(byTtft.rows.length, 5);
    assert.equal(byTtft.total, records.length);
    assert.deepEqual(
      byTtft.rows.map((r) => r.ttftMs),
      records
        .map((r) => r.ev![0])
        .sort((a, b) => a - b)
        .slice(0, 5),
    );
  });

  it('opens one request’s token timeline: every streamed event with its time and kind', async () => {
    const { result, recordsPath, dir } = await makeRun('text-generation', 'guidellm', { outputTokens: 6 });
    dirs.push(dir);
    let rec;
    for await (const l of readRecordsFile(recordsPath)) if (l.kind === 'record' && l.record.i === 7) rec = l.record;
    const t = (await requestTimeline('r', recordsPath, 7, new Map(result.steps.map((s) => [s.index, s.label]))))!;
    assert.equal(t.events.length, 8);
    assert.deepEqual(
      t.events.map((e) => e.t),
      rec!.ev!.filter((_, k) => k % 2 === 0),
    );
    assert.deepEqual(t.events[0].kinds, ['choice', 'text']);
    assert.deepEqual(
      t.events.slice(-2).map((e) => e.kinds),
      [['usage'], ['done']],
    );
    assert.equal(t.endMs, rec!.e);
    assert.equal(t.stepLabel, 'c=1');
    assert.equal(await requestTimeline('r', recordsPath, 100000, new Map()), undefined);
  });
});
