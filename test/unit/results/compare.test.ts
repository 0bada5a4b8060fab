/**
 * Compare: verdicts only on direction-aware quality metrics and only beyond
 * run-to-run noise (bootstrap intervals from the raw records); counts are
 * context; differing workloads are not comparable, step by step.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, describe, it } from 'node:test';
import type { BenchGroup, ProfileName } from '../../../src/core/bench/spec';
import { bootstrapDifference, compareRuns } from '../../../src/core/results/compare';
import { stepSamples } from '../../../src/core/results/compareSamples';
import { buildRunView } from '../../../src/core/results/runView';
import { formatSummaryTable } from '../../../src/core/bench/summaryTable';
import { headline } from '../../../src/shared/results';
import { makeRun, type FixtureOptions } from './groupFixtures';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

async function run(group: BenchGroup, profile: ProfileName, name: string, o: FixtureOptions = {}) {
  const made = await makeRun(group, profile, o);
  dirs.push(made.dir);
  const view = await buildRunView({ id: name, name, status: 'complete' }, made.result, made.recordsPath);
  return { view, samples: await stepSamples(made.result, made.recordsPath), result: made.result };
}

async function compare(group: BenchGroup, profile: ProfileName, a: FixtureOptions, b: FixtureOptions) {
  const base = await run(group, profile, 'base', a);
  const other = await run(group, profile, 'other', b);
  return compareRuns(base.view, other.view, { samples: { baseline: base.samples, run: other.samples } });
}

describe('compare', () => {
  it('never judges counts (tokens, peak concurrency, completed): they are context rows', async () => {
    // 33 % more generated tokens per request: more work done, not a regression.
    const c = await compare('text-generation', 'vllm', { outputTokens: 12 }, { outputTokens: 16, seed: 8 });
    const counted = c.rows.filter((r) =>
      /Total (input|generated) tokens|Peak concurrent|Completed requests/.test(r.metric),
    );
    assert.ok(counted.length >= 4);
    for (const r of counted) {
      assert.equal(r.kind, 'context', r.metric);
      assert.equal(r.regression, false, r.metric);
      assert.equal(r.verdict, undefined, r.metric);
    }
    assert.ok(counted.some((r) => r.metric === 'Total generated tokens' && Math.abs(r.change - 1 / 3) < 1e-9));
  });

  it('marks steps not comparable when the workloads differ, and then judges nothing', async () => {
    const c = await compare('text-generation', 'vllm', { outputTokens: 12 }, { outputTokens: 16 });
    assert.ok(c.steps.length === 2 && c.steps.every((s) => !s.comparable));
    assert.match(c.steps[0].reasons.join('; '), /output tokens: mean 12 vs mean 16/);
    assert.ok(c.rows.filter((r) => r.kind === 'quality').every((r) => r.verdict === 'not comparable' && !r.regression));
    const d = await compare('text-generation', 'vllm', { concurrency: [1, 4] }, { concurrency: [1, 8], requests: 30 });
    const byStep = new Map(d.steps.map((s) => [s.step, s]));
    assert.deepEqual(byStep.get('c=8')?.reasons.includes('the baseline has no such step'), true);
    assert.deepEqual(byStep.get('c=4')?.reasons.includes('this run has no such step'), true);
    assert.match(byStep.get('c=1')!.reasons.join('; '), /requests per step: 40 vs 30/);
  });

  it('calls a 1.5× slower server a regression with an interval wholly above zero', async () => {
    for (const group of ['text-generation', 'embeddings', 'image-classification'] as const) {
      const c = await compare(group, 'vllm', { seed: 1 }, { seed: 2, slower: 1.5 });
      const e2e = c.rows.filter((r) => r.kind === 'quality' && r.unit === 'ms' && r.metric.startsWith('E2E latency'));
      assert.ok(e2e.length >= 2);
      for (const r of e2e) {
        assert.equal(r.verdict, 'regression', `${group} ${r.step} ${r.metric}`);
        assert.ok(r.ci && r.ci.low > 0 && r.ci.high >= r.ci.low && r.ci.level === 0.95, JSON.stringify(r.ci));
        assert.ok(
          r.ci!.low <= r.value - r.baseline && r.value - r.baseline <= r.ci!.high,
          'the observed difference lies in its interval',
        );
      }
      const rps = c.rows.find((r) => r.metric === 'Requests/s')!;
      assert.equal(rps.kind, 'quality');
      assert.equal(rps.higherIsBetter, true);
      assert.equal(rps.verdict, 'regression', 'fewer requests/s from a slower server');
    }
  });

  it('calls the same server measured twice (different noise) within noise, never a regression', async () => {
    for (const profile of ['vllm', 'genai-perf', 'guidellm', 'aiperf'] as const) {
      const c = await compare('text-generation', profile, { seed: 1 }, { seed: 2 });
      const quality = c.rows.filter((r) => r.kind === 'quality');
      assert.ok(quality.length >= 6, profile);
      assert.ok(
        quality.every((r) => !r.regression),
        `${profile}: ${quality
          .filter((r) => r.regression)
          .map((r) => `${r.step} ${r.metric} ${r.change}`)
          .join(', ')}`,
      );
      assert.ok(
        quality.some((r) => r.ci),
        'intervals are shown',
      );
    }
  });

  it('without records there is no interval and no verdict', async () => {
    const base = await run('embeddings', 'vllm', 'base');
    const other = await run('embeddings', 'vllm', 'other', { slower: 2 });
    const c = compareRuns(base.view, other.view);
    assert.ok(c.rows.filter((r) => r.kind === 'quality').every((r) => r.verdict === 'no interval' && !r.regression));
  });

  it('bootstraps the same interval for the same seed, a different one for another', () => {
    const a = Array.from({ length: 200 }, (_, i) => 10 + (i % 17));
    const b = a.map((x) => x + 3);
    const one = bootstrapDifference(a, b, 0.5, 500, 3)!;
    assert.deepEqual(bootstrapDifference(a, b, 0.5, 500, 3), one);
    assert.ok(one.low <= 3 && one.high >= 3);
    assert.ok(bootstrapDifference(a, b, 'mean', 500, 3)!.low > 2);
  });
});

describe('CLI summary and headline read through the accessors', () => {
  it('prints only the group’s own metric definitions, and numbers where the result has them', async () => {
    for (const profile of ['vllm', 'genai-perf', 'guidellm', 'aiperf'] as const) {
      for (const group of ['embeddings', 'image-classification'] as const) {
        const { result } = await run(group, profile, 'x');
        const text = formatSummaryTable(result);
        assert.doesNotMatch(text, /ttft|tpot|itl/i, `${group} ${profile}`);
        const [head, ...rows] = text.split('\n').slice(1, 1 + 1 + result.steps.length);
        assert.match(head, group === 'embeddings' ? /inputs\/s/ : /images\/s/);
        for (const r of rows) assert.doesNotMatch(r, /–/, `${group} ${profile}: ${r}`);
      }
      const { result } = await run('text-generation', profile, 'x');
      const text = formatSummaryTable(result);
      assert.match(text, /ttft p50/);
      for (const r of text.split('\n').slice(2, 2 + result.steps.length))
        assert.doesNotMatch(r, /–/, `text ${profile}: ${r}`);
    }
  });

  it('heads a run with its main rate and E2E p99', async () => {
    const { view } = await run('image-classification', 'guidellm', 'x');
    const last = view.steps.at(-1)!;
    assert.match(headline(view), new RegExp(`^${last.rates.itemsPerSec!.toFixed(1)} images/s, p99 \\d+(\\.\\d)? ms$`));
  });
});
