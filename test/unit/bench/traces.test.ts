/**
 * Trace replay: Mooncake JSONL, Azure CSV and BurstGPT CSV are read and
 * checked line by line (a bad line names file and line), and a replay
 * against the embedded vLLM sends each line at its recorded time (scaled by
 * the speed) with the recorded input and output lengths.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readRecordsFile } from '../../../src/core/bench/recordsFile';
import type { RawRecord } from '../../../src/core/bench/record';
import { runBenchmark } from '../../../src/core/bench/runBenchmark';
import { parseSpecText } from '../../../src/core/bench/specFile';
import { BenchSpecError, normalizeSpec } from '../../../src/core/bench/specNormalize';
import { percentileLinear, sortedCopy } from '../../../src/core/stats/percentile';
import { countTokens } from '../../../src/core/bench/workload/tokens';
import { checkTracePrompts, promptVocabulary } from '../../../src/core/bench/workload/serverTokenizer';
import {
  MOONCAKE_BLOCK,
  readTrace,
  scanTrace,
  tracePrompt,
  type TraceEntry,
} from '../../../src/core/bench/workload/traces';
import { withServer } from '../embedded/helpers';

const root = path.resolve(__dirname, '..', '..', '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-traces-'));
const write = (name: string, text: string) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
};
const badLine = (where: RegExp) => (e: unknown) => e instanceof BenchSpecError && where.test(e.message);

const mooncake = [
  { timestamp: 0, input_length: 600, output_length: 3, hash_ids: [1, 2] },
  { timestamp: 150, input_length: 40, output_length: 2, hash_ids: [7] },
  { timestamp: 150, input_length: 520, output_length: 4, hash_ids: [1, 9] },
  { timestamp: 400, input_length: 8, output_length: 0, hash_ids: [3] },
  { timestamp: 900, input_length: 12, output_length: 5 },
]
  .map((j) => JSON.stringify(j))
  .join('\n');
const azure =
  'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:46.7130000,396,109\n2023-11-16 18:15:47.0000001,100,0\n2023-11-16 18:15:48.1805900,20,3\n';
const burst =
  'Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n5,ChatGPT,472,18,490,Conversation log\n5.5,GPT-4,1087,0,1087,Conversation log\n45,ChatGPT,200,3,203,API log\n';

async function entries(file: string, format: 'mooncake' | 'azure' | 'burstgpt') {
  const out = [];
  for await (const e of readTrace(file, format)) out.push(e);
  return out;
}

describe('traces', () => {
  it('reads Mooncake JSONL, Azure CSV and BurstGPT CSV; zero-output lines are skipped and counted', async () => {
    const m = write('mooncake.jsonl', mooncake);
    const scan = await scanTrace(m, undefined);
    assert.deepEqual(scan, {
      format: 'mooncake',
      requests: 4,
      skipped: 1,
      skipReasons: ['output_length 0'],
      firstMs: 0,
      lastMs: 900,
    });

    const a = write('azure.csv', azure);
    assert.deepEqual(await scanTrace(a, undefined), {
      format: 'azure',
      requests: 3,
      skipped: 1,
      skipReasons: ['0 generated tokens'],
      firstMs: Date.UTC(2023, 10, 16, 18, 15, 46) + 680.59,
      lastMs: Date.UTC(2023, 10, 16, 18, 15, 48) + 180.59,
    });
    const ae = (await entries(a, 'azure')) as TraceEntry[];
    assert.deepEqual(
      ae
        .slice(0, 2)
        .map((e) => [Math.round((e.atMs - ae[0].atMs) * 1000) / 1000, e.inputTokens, e.outputTokens, e.line]),
      [
        [0, 374, 44, 2],
        [32.41, 396, 109, 3],
      ],
    );

    const b = write('burst.csv', burst);
    const bs = await scanTrace(b, undefined);
    assert.deepEqual([bs.format, bs.requests, bs.skipped, bs.firstMs, bs.lastMs], ['burstgpt', 2, 1, 5000, 45000]);
    assert.deepEqual(bs.skipReasons, ['0 response tokens (a failed request in the original log)']);
  });

  it('a bad line names the file and the line, before anything is sent', async () => {
    const cases: Array<[string, string, RegExp]> = [
      [
        'm1.jsonl',
        '{"timestamp":0,"input_length":5,"output_length":1}\n{"timestamp":"soon","input_length":5,"output_length":1}\n',
        /m1\.jsonl:2: "timestamp" must be milliseconds/,
      ],
      ['m2.jsonl', '{"timestamp":0,"input_length":5,"output_length":1}\n\nnot json\n', /m2\.jsonl:3: not a JSON line/],
      [
        'm3.jsonl',
        '{"timestamp":0,"input_length":0,"output_length":1}\n',
        /m3\.jsonl:1: "input_length" must be a whole number of tokens ≥ 1/,
      ],
      [
        'm4.jsonl',
        '{"timestamp":10,"input_length":5,"output_length":1}\n{"timestamp":5,"input_length":5,"output_length":1}\n',
        /m4\.jsonl:2: timestamps go backwards/,
      ],
      [
        'm5.jsonl',
        '{"timestamp":0,"input_length":5,"output_length":1,"hash_ids":["a"]}\n',
        /m5\.jsonl:1: "hash_ids" must be a list of integers/,
      ],
      [
        'a1.csv',
        'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.68,10,2\nyesterday,10,2\n',
        /a1\.csv:3: "yesterday" is not a timestamp/,
      ],
      [
        'a2.csv',
        'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.68,ten,2\n',
        /a2\.csv:2: "ten" is not a whole number of input tokens/,
      ],
      [
        'a3.csv',
        'TIMESTAMP,Tokens\n2023-11-16 18:15:46.68,10\n',
        /a3\.csv:1: the header has no "contexttokens" column/,
      ],
      [
        'b1.csv',
        'Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n1,ChatGPT,10\n',
        /b1\.csv:2: expected at least 4 comma-separated fields, found 3/,
      ],
      [
        'b2.csv',
        'Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n1,ChatGPT,10,2.5,12,x\n',
        /b2\.csv:2: "2\.5" is not a whole number of output tokens/,
      ],
    ];
    for (const [name, text, where] of cases)
      await assert.rejects(scanTrace(write(name, text), undefined), badLine(where), name);
    await assert.rejects(
      scanTrace(path.join(dir, 'nope.jsonl'), undefined),
      badLine(/The trace .*nope\.jsonl does not exist/),
    );
    await assert.rejects(
      scanTrace(
        write('empty.csv', 'Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n'),
        undefined,
      ),
      badLine(/has no requests/),
    );
  });

  it('Mooncake hash ids become shared 512-token blocks; every prompt has exactly its input length', () => {
    const e = (line: number, inputTokens: number, hashIds?: number[]): TraceEntry => ({
      atMs: 0,
      inputTokens,
      outputTokens: 1,
      hashIds,
      line,
    });
    const a = tracePrompt(e(1, 600, [1, 2]), 0).prompt.split(' ');
    const b = tracePrompt(e(3, 520, [1, 9]), 0).prompt.split(' ');
    const c = tracePrompt(e(2, 40, [7]), 0).prompt.split(' ');
    assert.deepEqual([a.length, b.length, c.length], [600, 520, 40]);
    assert.deepEqual(a.slice(0, MOONCAKE_BLOCK), b.slice(0, MOONCAKE_BLOCK), 'hash id 1 is the same block in both');
    assert.notDeepEqual(a.slice(MOONCAKE_BLOCK), b.slice(MOONCAKE_BLOCK, 600), 'ids 2 and 9 differ');
    assert.equal(countTokens(a.join(' ')), 600);
    // More tokens than the ids cover: the rest is seeded by the line.
    assert.equal(tracePrompt(e(4, 700, [1]), 0).prompt.split(' ').length, 700);
  });

  it("with the server's tokenizer: prompts of the trace's lengths in its tokens (BOS and template too), blocks still shared", async () => {
    // A tokenizer like a chat template's: 3 tokens around the prompt, then the word pieces.
    const tok = { source: 'test tokenizer (+3)', count: async (text: string) => countTokens(text) + 3 };
    const vocab = await promptVocabulary(tok);
    assert.equal(vocab.base, 4, '"the" costs 1 + the 3 template tokens');
    const e = (line: number, inputTokens: number, hashIds?: number[]): TraceEntry => ({
      atMs: 0,
      inputTokens,
      outputTokens: 1,
      hashIds,
      line,
    });
    const items = [e(1, 600, [1, 2]), e(2, 520, [1, 9]), e(3, 40), e(4, 2)].map((x) => tracePrompt(x, 0, vocab));
    assert.deepEqual(
      await Promise.all(items.map((it) => tok.count(it.prompt))),
      [600, 520, 40, 4],
      'the server counts each input length of the trace (a line shorter than the template gets the shortest prompt)',
    );
    assert.deepEqual(
      items.map((it) => it.inputTokens),
      [600, 520, 40, 4],
    );
    const [a, b] = [items[0].prompt.split(' '), items[1].prompt.split(' ')];
    // Block 1 is the first word (4 tokens) and 508 words: the same in both prompts.
    assert.deepEqual(a.slice(0, 509), b.slice(0, 509));
    assert.notDeepEqual(a.slice(509, 520), b.slice(509, 520));
    const checked = await checkTracePrompts(items, tok);
    assert.deepEqual(checked.warnings, []);
    assert.match(checked.source, /the first 4 checked before the replay/);
    const off = await checkTracePrompts(items, { ...tok, count: async (t: string) => countTokens(t) + 4 });
    assert.match(off.warnings[0], /4 of the first 4 differ from the trace's input lengths/);
  });

  it('spec and flags: one load mode, text generation only, positive speed', () => {
    const n = normalizeSpec(
      parseSpecText('url: http://x\ngroup: text-generation\nload:\n  trace: { file: t.csv, speed: 4 }\n'),
    );
    assert.deepEqual([n.load.mode, n.load.trace, n.requests], ['trace', { file: 't.csv', speed: 4 }, undefined]);
    assert.throws(
      () => parseSpecText('url: http://x\ngroup: text-generation\nload:\n  trace: { file: t.csv, speed: 0 }\n'),
      /trace\/speed/,
    );
    assert.throws(
      () => parseSpecText('url: http://x\ngroup: text-generation\nload:\n  trace: { file: t.csv, format: sharegpt }\n'),
      /trace\/format/,
    );
    assert.throws(
      () => normalizeSpec({ url: 'http://x', group: 'embeddings', load: { trace: { file: 't.csv' } } }),
      /trace replay is for text-generation/,
    );
    assert.throws(
      () => normalizeSpec({ url: 'http://x', group: 'text-generation', load: { trace: { file: 't.csv' }, rate: [2] } }),
      /Choose one load mode: rate, trace/,
    );
  });

  it('the CLI stops at a bad trace line with exit 2, before contacting the server', async () => {
    const bad = write('cli-bad.jsonl', '{"timestamp":0,"input_length":5,"output_length":1}\n{"timestamp":1}\n');
    const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
      const p = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          'src/cli/main.ts',
          'bench',
          '--url',
          'http://127.0.0.1:9',
          '--group',
          'text-generation',
          '--trace',
          bad,
          '--speed',
          '2',
        ],
        { cwd: root, env: { ...process.env, NODE_OPTIONS: '' } },
      );
      let stderr = '';
      p.stderr.on('data', (d: Buffer) => (stderr += d));
      p.on('close', (code) => resolve({ code: code ?? -1, stderr }));
    });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /cli-bad\.jsonl:2: "input_length" must be a whole number/);
  });

  it('replays a Mooncake trace against the embedded vLLM at the recorded times, scaled by the speed', async () => {
    const file = write('replay.jsonl', mooncake);
    const recordsPath = path.join(dir, 'replay.records.jsonl');
    await withServer(['vllm'], {}, async (ep) => {
      const r = await runBenchmark(
        {
          url: ep.vllm,
          group: 'text-generation',
          api: 'openai-completions',
          model: 'tiny-llm',
          load: { trace: { file, speed: 2 } },
        },
        { recordsPath },
      );
      assert.equal(r.steps.length, 1);
      const step = r.steps[0];
      assert.deepEqual(step.load, {
        mode: 'rate',
        rate: 4 / 0.45,
        batchSize: 1,
        trace: { file, format: 'mooncake', speed: 2 },
      });
      assert.equal(step.label, 'trace ×2 rate=8.889/s');
      assert.deepEqual(r.workload?.trace, {
        file,
        format: 'mooncake',
        speed: 2,
        requests: 4,
        skipped: 1,
        skipReasons: ['output_length 0'],
        recordedSec: 0.9,
      });
      const recs: RawRecord[] = [];
      for await (const l of readRecordsFile(recordsPath)) if (l.kind === 'record') recs.push(l.record);
      recs.sort((x, y) => x.i - y.i);
      // Scheduled at (timestamp − first) / speed after the first send, to the microsecond of the records file.
      assert.deepEqual(
        recs.map((x) => Math.round(x.q - recs[0].q)),
        [0, 75, 75, 450],
      );
      assert.deepEqual(
        recs.map((x) => [x.io, x.iu, x.ou]),
        [
          [600, 600, 3],
          [40, 40, 2],
          [520, 520, 4],
          [12, 12, 5],
        ],
      );
      // Lateness figures are those of the records (t − q).
      const late = sortedCopy(recs.map((x) => Math.round((x.t - x.q) * 1000) / 1000));
      const t = step.trace!;
      assert.equal(t.requests, 4);
      assert.equal(t.skipped, 1);
      assert.ok(
        Math.abs(t.latenessP50Ms - percentileLinear(late, 50)) < 0.002,
        `p50 ${t.latenessP50Ms} vs ${percentileLinear(late, 50)}`,
      );
      assert.ok(Math.abs(t.latenessMaxMs - late[late.length - 1]) < 0.002);
      assert.ok(Math.abs(t.scheduleSec - 0.45) < 1e-9, `schedule span ${t.scheduleSec}`);
      assert.ok(Math.abs(t.requestedRate - 4 / 0.45) < 1e-9);
      // Achieved: requests over the span of the actual sends (first schedule to the last send), as the records show it.
      const sendSpan = (Math.max(...recs.map((x) => x.t)) - recs[0].q) / 1000;
      assert.ok(
        Math.abs(t.achievedRate - 4 / sendSpan) / t.achievedRate < 0.01,
        `achieved ${t.achievedRate} vs records ${4 / sendSpan}`,
      );
      assert.equal(step.summary.counts.completed, 4);
    });
  });
});
