/**
 * LoRA traffic: the embedded vLLM lists adapters as vLLM does for
 * `--lora-modules` and serves them by name; a benchmark splits its requests
 * over adapters by weight, and each adapter's report (result, CLI table,
 * results-panel chart) is checked against the records read independently.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { linearPercentile, near } from './linearPercentile';
import { EV_CHOICE, type RawRecord } from '../../../src/core/bench/record';
import { parseLora } from '../../../src/core/bench/loraText';
import { resultProblems } from '../../../src/core/bench/resultFile';
import { resultToJson, type BenchResult } from '../../../src/core/bench/result';
import { runBenchmark } from '../../../src/core/bench/runBenchmark';
import type { BenchSpec } from '../../../src/core/bench/spec';
import { normalizeSpec } from '../../../src/core/bench/specNormalize';
import { formatSummaryTable } from '../../../src/core/bench/summaryTable';
import { loraPicker } from '../../../src/core/bench/workload/lora';
import { validateConfig } from '../../../src/core/embedded/config';
import { buildRunView } from '../../../src/core/results/runView';
import { loraChart } from '../../../webview/results/loraChart';
import { fmt } from '../../../webview/results/model';
import { raw, withServer } from '../embedded/helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'il-lora-'));
const FAST = { prefillBaseMs: 1, prefillPerTokenMs: 0, decodePerTokenMs: 1, jitter: 0 };
const config = {
  models: [
    {
      name: 'tiny-llm',
      kind: 'text-generation' as const,
      latency: FAST,
      lora: [{ name: 'sql-lora', path: '/adapters/sql' }, { name: 'chat-lora' }],
    },
    { name: 'mini-embed', kind: 'embedding' as const },
  ],
};
const lora = [
  { name: 'sql-lora', weight: 3 },
  { name: 'chat-lora', weight: 1 },
  { name: 'tiny-llm', weight: 1 },
];

describe('LoRA: the embedded vLLM serves adapters as --lora-modules does', () => {
  it('/v1/models lists each adapter after the base models with root = path, parent = base, no max_model_len; each is served by name', async () => {
    await withServer(['vllm'], config, async (ep) => {
      const list = JSON.parse((await raw(ep.vllm, '/v1/models')).body);
      assert.deepEqual(
        list.data.map((m: Record<string, unknown>) => [m.id, m.root, m.parent, m.max_model_len]),
        [
          ['tiny-llm', 'tiny-llm', null, 8192],
          ['mini-embed', 'mini-embed', null, 512],
          ['sql-lora', '/adapters/sql', 'tiny-llm', null],
          ['chat-lora', '/adapters/chat-lora', 'tiny-llm', null],
        ],
      );
      for (const name of ['sql-lora', 'chat-lora']) {
        const res = await raw(ep.vllm, '/v1/chat/completions', {
          method: 'POST',
          body: { model: name, messages: [{ role: 'user', content: 'hi' }], max_tokens: 3 },
        });
        assert.equal(res.status, 200);
        assert.equal(JSON.parse(res.body).model, name);
      }
      const missing = await raw(ep.vllm, '/v1/completions', {
        method: 'POST',
        body: { model: 'nope-lora', prompt: 'hi', max_tokens: 3 },
      });
      assert.equal(missing.status, 404);
    });
  });

  it('config: an adapter name that is also a model or another adapter is refused, and so are adapters on a non-text model', () => {
    assert.throws(
      () => validateConfig({ models: [{ name: 'a', kind: 'text-generation', lora: [{ name: 'a' }] }] }),
      /LoRA adapter "a" of "a" reuses a model or adapter name/,
    );
    assert.throws(
      () => validateConfig({ models: [{ name: 'e', kind: 'embedding', lora: [{ name: 'x' }] }] }),
      /model "e": LoRA adapters are for text-generation models/,
    );
  });
});

describe('LoRA: the split', () => {
  it('request i gets the same adapter wherever it is planned, and the counts stay within 2 of the weights at every length', () => {
    const pick = loraPicker(lora);
    const again = loraPicker(lora);
    const counts = [0, 0, 0];
    for (let i = 0; i < 2000; i++) {
      const k = pick(i);
      assert.equal(again(i), k);
      counts[k]++;
      const n = i + 1;
      for (let a = 0; a < 3; a++) assert.ok(Math.abs(counts[a] - (n * lora[a].weight) / 5) <= 2, `n=${n} ${counts}`);
    }
    assert.deepEqual(counts, [1200, 400, 400]);
  });

  it('validation: clear errors for bad adapters, APIs and loads', () => {
    const spec = (extra: object): BenchSpec => ({
      url: 'http://127.0.0.1:1',
      group: 'text-generation',
      load: { concurrency: [1] },
      requests: 10,
      ...extra,
    });
    assert.throws(
      () => normalizeSpec(spec({ text: { lora: [{ name: 'a' }, { name: 'a' }] } })),
      /lora: adapter "a" is listed twice/,
    );
    assert.throws(
      () => normalizeSpec(spec({ text: { lora: [{ name: 'a', weight: 0 }] } })),
      /lora: adapter "a" needs a positive weight \(got 0\)/,
    );
    assert.throws(
      () => normalizeSpec(spec({ api: 'tgi', text: { lora: [{ name: 'a' }] } })),
      /use api openai-chat or openai-completions \(not tgi\)/,
    );
    assert.throws(
      () =>
        normalizeSpec(
          spec({ requests: undefined, load: { trace: { file: 't.jsonl' } }, text: { lora: [{ name: 'a' }] } }),
        ),
      /not with load.trace/,
    );
    assert.deepEqual(parseLora('sql-lora=3, chat-lora ,x=0.5'), [
      { name: 'sql-lora', weight: 3 },
      { name: 'chat-lora' },
      { name: 'x', weight: 0.5 },
    ]);
    assert.throws(() => parseLora('a=-1'), /--lora: adapter "a" needs a positive weight \(got "-1"\)/);
    assert.throws(() => parseLora('a=b=c'), /needs a positive weight/);
  });

  it('an adapter the server does not list stops the run before any request, named in the error', async () => {
    await withServer(['vllm'], config, async (ep) => {
      await assert.rejects(
        runBenchmark(
          {
            url: ep.vllm,
            group: 'text-generation',
            api: 'openai-chat',
            model: 'tiny-llm',
            load: { concurrency: [1] },
            requests: 2,
            text: { lora: [{ name: 'sql-lora' }, { name: 'typo-lora' }] },
          },
          { recordsPath: path.join(dir, 'typo.records.jsonl') },
        ),
        (e: Error) =>
          /lora: .* does not serve the adapter "typo-lora" \(it lists tiny-llm, mini-embed, sql-lora, chat-lora\)/.test(
            e.message,
          ),
      );
      assert.equal(fs.existsSync(path.join(dir, 'typo.records.jsonl')), false);
    });
  });
});

describe('LoRA: benchmarked, reported per adapter', () => {
  let result: BenchResult;
  const recordsPath = path.join(dir, 'lora.records.jsonl');
  let records: RawRecord[];

  it('the records name each request’s adapter by the split; each adapter’s summary is computed from its own records', async () => {
    result = await withServer(['vllm'], config, (ep) =>
      runBenchmark(
        {
          url: ep.vllm,
          group: 'text-generation',
          api: 'openai-chat',
          model: 'tiny-llm',
          load: { concurrency: [2, 4] },
          requests: 50,
          warmup: 2,
          text: { inputTokens: { mean: 16 }, outputTokens: { mean: 6 }, ignoreEos: true, lora },
        },
        { recordsPath },
      ),
    );
    records = fs
      .readFileSync(recordsPath, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .filter((r) => typeof r.i === 'number' && !r.w);
    // The split written out here: the fractional parts of i·(√5 − 1)/2 over the cumulative weights 3/5, 4/5, 1.
    const expected = (i: number) => {
      const u = (i * ((Math.sqrt(5) - 1) / 2)) % 1;
      return u < 0.6 ? 0 : u < 0.8 ? 1 : 2;
    };
    for (const r of records) assert.equal(r.ad, expected(r.i), `request ${r.i}`);
    for (const s of result.steps) {
      const mine = records.filter((r) => r.s === s.index);
      assert.equal(mine.length, 50);
      assert.deepEqual(
        s.summary.adapters!.map((a) => a.name),
        lora.map((a) => a.name),
      );
      s.summary.adapters!.forEach((a, k) => {
        const of = mine.filter((r) => r.ad === k);
        assert.equal(a.summary.counts.completed, of.length);
        assert.equal(a.summary.counts.total, of.length);
        // vLLM's definitions, from the records: TTFT = first chunk with choices, E2E = last one.
        const choices = (r: RawRecord) => r.ev!.filter((_, j) => j % 2 === 0 && r.ev![j + 1] & EV_CHOICE);
        const ttft = linearPercentile(
          of.map((r) => choices(r)[0]),
          50,
        );
        const e2e = linearPercentile(
          of.map((r) => choices(r).at(-1)!),
          99,
        );
        assert.ok(near(a.summary.metrics.ttft.percentiles['50'], ttft), `${a.name} ttft p50 ≠ ${ttft}`);
        assert.ok(near(a.summary.metrics.e2el.percentiles['99'], e2e), `${a.name} e2el p99 ≠ ${e2e}`);
        assert.equal(a.summary.metrics.ttft.count, of.length);
      });
      assert.equal(
        s.summary.adapters!.reduce((n, a) => n + a.summary.counts.total, 0),
        s.summary.counts.total,
      );
    }
    assert.deepEqual(resultProblems(JSON.parse(resultToJson(result))), []);
  });

  it('the CLI prints one row per step and adapter with its share and figures', () => {
    const lines = formatSummaryTable(result).split('\n');
    const at = lines.findIndex((l) => l.startsWith('LoRA adapters:'));
    assert.ok(at > 0, lines.join('\n'));
    const header = lines[at + 1].split(/\s{2,}/);
    assert.deepEqual(header.slice(0, 5), ['step', 'adapter', 'share %', 'ok', 'failed']);
    const rows = lines.slice(at + 2, at + 2 + 6).map((l) => l.split(/\s+/));
    const ttftP99 = header.indexOf('ttft p99');
    result.steps.forEach((s, si) =>
      s.summary.adapters!.forEach((a, k) => {
        const row = rows[si * 3 + k];
        assert.equal(row[0], s.label);
        assert.equal(row[1], a.name);
        assert.equal(row[2], ((100 * a.summary.counts.total) / 50).toFixed(1));
        assert.equal(row[3], String(a.summary.counts.completed));
        assert.equal(row[ttftP99], a.summary.metrics.ttft.percentiles['99'].toFixed(1));
      }),
    );
  });

  it('the results panel’s LoRA chart: bars and table are each adapter’s numbers', async () => {
    const view = await buildRunView({ id: 'l', name: 'lora', status: 'complete' }, result, recordsPath);
    const chart = loraChart([view])!;
    const cells: string[][] = [];
    const ttftP99: Array<{ x: string; y: number }> = [];
    for (const s of result.steps)
      for (const a of s.summary.adapters!) {
        const m = a.summary.metrics;
        cells.push([
          s.label,
          a.name,
          String(a.summary.counts.total),
          fmt((100 * a.summary.counts.total) / 50),
          String(a.summary.counts.completed),
          String(a.summary.counts.failed),
          fmt(a.summary.throughput.request_throughput.value),
          fmt(a.summary.throughput.output_throughput.value),
          fmt(m.ttft.percentiles['50']),
          fmt(m.ttft.percentiles['99']),
          fmt(m.e2el.percentiles['50']),
          fmt(m.e2el.percentiles['99']),
        ]);
        ttftP99.push({ x: `${s.label} · ${a.name}`, y: m.ttft.percentiles['99'] });
      }
    assert.deepEqual(chart.table.rows, cells);
    assert.deepEqual(chart.series.find((x) => x.label === 'TTFT p99 (ms)')!.points, ttftP99);
  });
});
