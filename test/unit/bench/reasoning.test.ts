/**
 * Reasoning models: the embedded vLLM with a model whose answers start with
 * reasoning (`reasoningTokens`, as vLLM's reasoning parser streams it:
 * `delta.reasoning`, then `delta.content`, and
 * `usage.completion_tokens_details.reasoning_tokens`), benchmarked; the
 * result's `summary.reasoning` is checked against the records file read
 * independently, and the CLI table and the panel's chart against the result.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { linearPercentile, near } from './linearPercentile';
import { EV_CHOICE, EV_REASON, EV_TEXT, type RawRecord } from '../../../src/core/bench/record';
import { ReasoningTally } from '../../../src/core/bench/profiles/reasoning';
import { resultProblems } from '../../../src/core/bench/resultFile';
import { resultToJson, type BenchResult } from '../../../src/core/bench/result';
import { runBenchmark } from '../../../src/core/bench/runBenchmark';
import { formatSummaryTable } from '../../../src/core/bench/summaryTable';
import { buildRunView } from '../../../src/core/results/runView';
import { reasoningChart } from '../../../webview/results/reasoningChart';
import { fmt } from '../../../webview/results/model';
import { raw, withServer } from '../embedded/helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'il-reasoning-'));
const THINK = 6;
const config = {
  models: [
    {
      name: 'tiny-llm',
      kind: 'text-generation' as const,
      latency: { prefillBaseMs: 1, decodePerTokenMs: 1, jitter: 0 },
    },
    {
      name: 'tiny-reasoner',
      kind: 'text-generation' as const,
      reasoningTokens: THINK,
      latency: { prefillBaseMs: 2, prefillPerTokenMs: 0, decodePerTokenMs: 4, jitter: 0 },
    },
  ],
};

function measured(recordsPath: string): RawRecord[] {
  return fs
    .readFileSync(recordsPath, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((r) => typeof r.i === 'number' && !r.w);
}

const first = (r: RawRecord, flag: number) => {
  for (let k = 0; k < r.ev!.length; k += 2) if (r.ev![k + 1] & flag) return r.ev![k];
  return undefined;
};

describe('reasoning models: the embedded vLLM streams reasoning first', () => {
  it('stream: role chunk, THINK `reasoning` deltas, then `content`; usage counts the reasoning tokens; plain answers split message.reasoning / content', async () => {
    await withServer(['vllm'], config, async (ep) => {
      const body = (stream: boolean, max: number) => ({
        model: 'tiny-reasoner',
        messages: [{ role: 'user', content: 'why?' }],
        max_tokens: max,
        ignore_eos: true,
        stream,
        ...(stream && { stream_options: { include_usage: true } }),
      });
      const sse = await raw(ep.vllm, '/v1/chat/completions', { method: 'POST', body: body(true, 10) });
      const chunks = sse.body
        .split('\n\n')
        .filter((l) => l.startsWith('data: {'))
        .map((l) => JSON.parse(l.slice(6)));
      const deltas = chunks.filter((c) => c.choices.length).map((c) => c.choices[0].delta);
      assert.deepEqual(deltas[0], { role: 'assistant', content: '' });
      assert.deepEqual(
        deltas.slice(1).map((d) => Object.keys(d).join()),
        [...Array(THINK).fill('reasoning'), ...Array(10 - THINK).fill('content')],
      );
      assert.deepEqual(chunks.at(-1).usage, {
        prompt_tokens: chunks.at(-1).usage.prompt_tokens,
        total_tokens: chunks.at(-1).usage.prompt_tokens + 10,
        completion_tokens: 10,
        completion_tokens_details: { reasoning_tokens: THINK },
      });
      const plain = JSON.parse(
        (await raw(ep.vllm, '/v1/chat/completions', { method: 'POST', body: body(false, 10) })).body,
      );
      const m = plain.choices[0].message;
      assert.equal(
        m.reasoning,
        deltas
          .slice(1, 1 + THINK)
          .map((d) => d.reasoning)
          .join(''),
      );
      assert.equal(
        m.content,
        deltas
          .slice(1 + THINK)
          .map((d) => d.content)
          .join(''),
      );
      assert.deepEqual(plain.usage.completion_tokens_details, { reasoning_tokens: THINK });
      // A limit below the reasoning: all of it is reasoning, as a reasoning model cut short.
      const short = JSON.parse(
        (await raw(ep.vllm, '/v1/chat/completions', { method: 'POST', body: body(false, 4) })).body,
      );
      assert.equal(short.choices[0].message.content, '');
      assert.deepEqual(short.usage.completion_tokens_details, { reasoning_tokens: 4 });
      // Not a reasoning model: no details, reasoning null (as vLLM without a reasoning parser).
      const normal = JSON.parse(
        (
          await raw(ep.vllm, '/v1/chat/completions', {
            method: 'POST',
            body: { ...body(false, 4), model: 'tiny-llm' },
          })
        ).body,
      );
      assert.equal(normal.choices[0].message.reasoning, null);
      assert.equal('completion_tokens_details' in normal.usage, false);
    });
  });
});

describe('reasoning models: benchmarked', () => {
  let result: BenchResult;
  let records: RawRecord[];
  const recordsPath = path.join(dir, 'reasoner.records.jsonl');

  it('time to first reasoning and first answer token, and tokens apart, equal what the records say', async () => {
    result = await withServer(['vllm'], config, (ep) =>
      runBenchmark(
        {
          url: ep.vllm,
          group: 'text-generation',
          api: 'openai-chat',
          model: 'tiny-reasoner',
          load: { concurrency: [2] },
          requests: 12,
          warmup: 1,
          text: { inputTokens: { mean: 16 }, outputTokens: { mean: 10 }, ignoreEos: true },
        },
        { recordsPath },
      ),
    );
    records = measured(recordsPath);
    assert.equal(records.length, 12);
    const x = result.steps[0].summary.reasoning!;
    assert.equal(x.requests, 12);
    assert.equal(x.serverCounted, 12);
    // Per request: THINK reasoning tokens, the rest of the 10 the answer (the server's usage).
    assert.deepEqual(
      records.map((r) => [r.ru, r.ou, r.ro, r.oo]),
      records.map(() => [THINK, 10, THINK, 10 - THINK]),
    );
    assert.equal(x.reasoningTokens.mean, THINK);
    assert.equal(x.answerTokens.mean, 10 - THINK);
    assert.equal(x.totalReasoningTokens, 12 * THINK);
    assert.equal(x.totalAnswerTokens, 12 * (10 - THINK));
    // Every record: role chunk, then reasoning events (no text), then answer events.
    for (const r of records) {
      const kinds = [];
      for (let k = 1; k < r.ev!.length; k += 2)
        if (r.ev![k] & EV_CHOICE) kinds.push(r.ev![k] & EV_REASON ? 'r' : r.ev![k] & EV_TEXT ? 't' : '-');
      assert.equal(kinds.join(''), `-${'r'.repeat(THINK)}${'t'.repeat(10 - THINK)}`);
    }
    const ttfr = records.map((r) => first(r, EV_REASON)!);
    const ttfo = records.map((r) => first(r, EV_TEXT)!);
    for (const q of ['50', '90', '99']) {
      assert.ok(
        near(x.timeToFirstReasoningToken.percentiles[q], linearPercentile(ttfr, Number(q))),
        `first reasoning p${q}`,
      );
      assert.ok(
        near(x.timeToFirstOutputToken!.percentiles[q], linearPercentile(ttfo, Number(q))),
        `first answer p${q}`,
      );
    }
    // The answer comes after the reasoning (how long after is the latency model's, not checked here: timing).
    for (let i = 0; i < records.length; i++) assert.ok(ttfo[i] > ttfr[i], `${ttfo[i]} ≤ ${ttfr[i]}`);
    assert.deepEqual(resultProblems(JSON.parse(resultToJson(result))), []);
  });

  it('the CLI table prints the step’s figures', () => {
    const x = result.steps[0].summary.reasoning!;
    const text = formatSummaryTable(result);
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.startsWith('Reasoning: '));
    assert.ok(at > 0, text);
    assert.deepEqual(lines[at + 1].split(/\s+/), [
      'step',
      'requests',
      'reasoning',
      'p50',
      'reasoning',
      'p99',
      'answer',
      'p50',
      'answer',
      'p99',
      'reasoning',
      'tok',
      'answer',
      'tok',
      'counted',
      'by',
    ]);
    const f = (v: number) => v.toFixed(1);
    assert.deepEqual(lines[at + 2].split(/\s+/), [
      'c=2',
      '12',
      f(x.timeToFirstReasoningToken.percentiles['50']),
      f(x.timeToFirstReasoningToken.percentiles['99']),
      f(x.timeToFirstOutputToken!.percentiles['50']),
      f(x.timeToFirstOutputToken!.percentiles['99']),
      f(THINK),
      f(10 - THINK),
      'server',
    ]);
  });

  it('the results panel’s reasoning chart: bars and table are the result’s numbers', async () => {
    const view = await buildRunView({ id: 'r1', name: 'reasoner', status: 'complete' }, result, recordsPath);
    const chart = reasoningChart([view])!;
    const x = result.steps[0].summary.reasoning!;
    const p = (m: typeof x.timeToFirstReasoningToken, q: string) => m.percentiles[q];
    assert.deepEqual(
      chart.series.map((s) => [s.label, s.points]),
      [
        ['first reasoning token p50 (ms)', [{ x: 'c=2', y: p(x.timeToFirstReasoningToken, '50') }]],
        ['first reasoning token p99 (ms)', [{ x: 'c=2', y: p(x.timeToFirstReasoningToken, '99') }]],
        ['first answer token p50 (ms)', [{ x: 'c=2', y: p(x.timeToFirstOutputToken!, '50') }]],
        ['first answer token p99 (ms)', [{ x: 'c=2', y: p(x.timeToFirstOutputToken!, '99') }]],
      ],
    );
    assert.deepEqual(chart.table.rows, [
      [
        'c=2',
        '12',
        fmt(p(x.timeToFirstReasoningToken, '50')),
        fmt(p(x.timeToFirstReasoningToken, '99')),
        fmt(p(x.timeToFirstOutputToken!, '50')),
        fmt(p(x.timeToFirstOutputToken!, '99')),
        fmt(THINK),
        fmt(10 - THINK),
        String(12 * THINK),
        String(12 * (10 - THINK)),
        'server usage',
      ],
    ]);
  });

  it('no reasoning: the completions API (vLLM parses reasoning in chat only) and a plain model have no reasoning summary or chart', async () => {
    const r = await withServer(['vllm'], config, (ep) =>
      runBenchmark(
        {
          url: ep.vllm,
          group: 'text-generation',
          api: 'openai-completions',
          model: 'tiny-reasoner',
          load: { concurrency: [1] },
          requests: 3,
          warmup: 0,
          text: { inputTokens: { mean: 8 }, outputTokens: { mean: 4 }, ignoreEos: true },
        },
        { recordsPath: path.join(dir, 'plain.records.jsonl') },
      ),
    );
    assert.equal(r.steps[0].summary.reasoning, undefined);
    assert.ok(!formatSummaryTable(r).includes('Reasoning:'));
    const view = await buildRunView(
      { id: 'p', name: 'p', status: 'complete' },
      r,
      path.join(dir, 'plain.records.jsonl'),
    );
    assert.equal(reasoningChart([view]), undefined);
  });
});

describe('reasoning: token counts without the server’s', () => {
  it('our own counts of the reasoning text (ro) and the answer text (oo); server counts where sent, the share said', () => {
    const tally = new ReasoningTally([50]);
    const rec = (i: number, extra: Partial<RawRecord>): RawRecord => ({
      i,
      s: 0,
      n: 1,
      q: 0,
      t: 0,
      e: 50,
      st: 200,
      bo: 1,
      bi: 1,
      ev: [10, EV_CHOICE, 12, EV_CHOICE | EV_REASON, 30, EV_CHOICE | EV_TEXT],
      ...extra,
    });
    tally.add(rec(0, { ro: 7, oo: 3, ou: 9 })); // no ru: our counts
    tally.add(rec(1, { ru: 5, ou: 9, ro: 4, oo: 3 })); // the server's: 5 and 9 − 5
    tally.add(rec(2, { ev: [10, EV_CHOICE | EV_TEXT], oo: 5 })); // no reasoning: not counted
    tally.add(rec(3, { w: 1, ro: 100 })); // warm-up: not counted
    const x = tally.finish()!;
    assert.equal(x.requests, 2);
    assert.equal(x.serverCounted, 1);
    assert.equal(x.totalReasoningTokens, 7 + 5);
    assert.equal(x.totalAnswerTokens, 3 + 4);
    assert.equal(x.timeToFirstReasoningToken.percentiles['50'], 12);
    assert.equal(x.timeToFirstOutputToken!.percentiles['50'], 30);
    assert.equal(new ReasoningTally([50]).finish(), undefined);
  });
});
