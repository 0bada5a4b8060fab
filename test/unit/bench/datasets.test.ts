/**
 * Prompt datasets: JSONL (Hugging Face style columns, chat messages), ShareGPT
 * JSON arrays and Parquet files, read as a stream that stops at maxPrompts;
 * a bad entry names the file and its line, entry or row. Then a run against
 * the embedded vLLM server sends exactly those prompts.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readRecordsFile } from '../../../src/core/bench/recordsFile';
import { runBenchmark } from '../../../src/core/bench/runBenchmark';
import { parseSpecText } from '../../../src/core/bench/specFile';
import { BenchSpecError, normalizeSpec } from '../../../src/core/bench/specNormalize';
import { readDataset, type DatasetOptions } from '../../../src/core/bench/workload/datasets';
import { countTokens } from '../../../src/core/bench/workload/tokens';
import { withServer } from '../embedded/helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-datasets-'));
const write = (name: string, text: string | Uint8Array) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
};
const opts = (p: string, more: Partial<DatasetOptions> = {}): DatasetOptions => ({
  path: p,
  maxPrompts: 1024,
  outputTokens: { mean: 7 },
  seed: 0,
  ...more,
});
const badEntry = (where: RegExp) => (e: unknown) => e instanceof BenchSpecError && where.test(e.message);

const shareGpt = [
  {
    id: 'a',
    conversations: [
      { from: 'human', value: 'What is the capital of France?' },
      { from: 'gpt', value: 'Paris is the capital of France.' },
    ],
  },
  { id: 'b', conversations: [{ from: 'human', value: 'Only a question, no answer' }] },
  {
    id: 'c',
    conversations: [
      { from: 'system', value: 'Be brief.' },
      { from: 'human', value: 'Name a colour.' },
      { from: 'gpt', value: 'Blue.' },
      { from: 'human', value: 'Another?' },
      { from: 'gpt', value: 'Red.' },
    ],
  },
];

describe('datasets', () => {
  it('JSONL: prompt columns of Hugging Face datasets, chat messages, reference answers as output lengths', async () => {
    const p = write(
      'hf.jsonl',
      [
        '{"question":"How many legs has a spider?","answer":"Eight legs, as every spider."}',
        '',
        '{"instruction":"Say hello","output_tokens":5}',
        '{"messages":[{"role":"system","content":"Be kind."},{"role":"user","content":"Hi there"},{"role":"assistant","content":"Hello! How can I help?"}]}',
        '{"text":"plain text row"}',
      ].join('\n'),
    );
    const ds = await readDataset(opts(p));
    assert.equal(ds.format, 'jsonl');
    assert.deepEqual(
      ds.items.map((x) => [x.prompt, x.inputTokens, x.outputTokens]),
      [
        [
          'How many legs has a spider?',
          countTokens('How many legs has a spider?'),
          countTokens('Eight legs, as every spider.'),
        ],
        ['Say hello', 2, 5],
        ['Be kind.\nHi there', countTokens('Be kind.\nHi there'), countTokens('Hello! How can I help?')],
        ['plain text row', 3, 7],
      ],
    );
    // The assistant's reply is what the server should produce, not part of the prompt.
    assert.deepEqual(ds.items[2].messages, [
      { role: 'system', content: 'Be kind.' },
      { role: 'user', content: 'Hi there' },
    ]);
  });

  it('ShareGPT JSON: first human turn and its reply, one-turn conversations skipped and counted', async () => {
    const ds = await readDataset(opts(write('sharegpt.json', JSON.stringify(shareGpt, null, 1))));
    assert.equal(ds.format, 'json');
    assert.deepEqual([ds.read, ds.skipped, ds.items.length], [3, 1, 2]);
    assert.deepEqual(ds.skipReasons, ['a conversation without a human turn and its reply']);
    assert.deepEqual(ds.items[0], {
      prompt: 'What is the capital of France?',
      messages: [{ role: 'user', content: 'What is the capital of France?' }],
      inputTokens: countTokens('What is the capital of France?'),
      outputTokens: countTokens('Paris is the capital of France.'),
    });
    assert.deepEqual([ds.items[1].prompt, ds.items[1].outputTokens], ['Name a colour.', countTokens('Blue.')]);
  });

  it('Parquet (snappy, several row groups): rows as entries, read only up to maxPrompts', async () => {
    const n = 1000;
    const { parquetWriteBuffer } = await import('hyparquet-writer');
    const buf = parquetWriteBuffer({
      columnData: [
        { name: 'prompt', data: Array.from({ length: n }, (_, k) => `prompt number ${k}`), type: 'STRING' },
        {
          name: 'completion',
          data: Array.from({ length: n }, (_, k) => 'ok '.repeat((k % 5) + 1).trim()),
          type: 'STRING',
        },
      ],
      rowGroupSize: 300,
    });
    const p = write('hf.parquet', new Uint8Array(buf));
    const all = await readDataset(opts(p));
    assert.equal(all.format, 'parquet');
    assert.equal(all.items.length, n);
    assert.deepEqual([all.items[999].prompt, all.items[999].outputTokens], ['prompt number 999', 5]);
    const some = await readDataset(opts(p, { maxPrompts: 10 }));
    assert.deepEqual([some.items.length, some.read], [10, 10]);
    const custom = await readDataset(opts(p, { promptField: 'completion', maxPrompts: 2 }));
    assert.deepEqual(
      custom.items.map((x) => x.prompt),
      ['ok', 'ok ok'],
    );
    await assert.rejects(
      readDataset(opts(p, { promptField: 'missing' })),
      badEntry(/hf\.parquet: row 1: the prompt field "missing"/),
    );
    await assert.rejects(
      readDataset(opts(write('fake.parquet', 'not parquet at all'))),
      badEntry(/fake\.parquet: not a Parquet file/),
    );
  });

  it('streams: reading stops at maxPrompts, so a bad line past it is never read', async () => {
    const lines = Array.from({ length: 50 }, (_, k) => JSON.stringify({ prompt: `p${k}` }));
    const p = write('long.jsonl', `${lines.join('\n')}\nthis is not json\n`);
    assert.equal((await readDataset(opts(p, { maxPrompts: 50 }))).items.length, 50);
    await assert.rejects(readDataset(opts(p, { maxPrompts: 51 })), badEntry(/long\.jsonl:51: not a JSON line/));
    const arr = write('long.json', `[${lines.join(',\n')}, {"prompt": 3}]`);
    assert.equal((await readDataset(opts(arr, { maxPrompts: 50 }))).read, 50);
    await assert.rejects(
      readDataset(opts(arr, { maxPrompts: 51 })),
      badEntry(/long\.json: entry 51: expected a "prompt" string/),
    );
  });

  it('names the file and the line, entry or field of a bad entry', async () => {
    await assert.rejects(
      readDataset(opts(write('bad.jsonl', '{"prompt":"a"}\n{"prompt": 3}\n'))),
      badEntry(/bad\.jsonl:2: expected a "prompt" string/),
    );
    await assert.rejects(
      readDataset(opts(write('bad2.jsonl', '{"messages":[{"role":"user"}]}\n'))),
      badEntry(/bad2\.jsonl:1: messages\[0\] needs a string "role" and "content"/),
    );
    await assert.rejects(
      readDataset(opts(write('bad.json', '[{"conversations":[{"from":"robot","value":"x"}]}]'))),
      badEntry(/bad\.json: entry 1: conversations\[0\] needs "from"/),
    );
    await assert.rejects(
      readDataset(opts(write('obj.json', '{"prompt":"x"}'))),
      badEntry(/obj\.json: expected a JSON array/),
    );
    await assert.rejects(
      readDataset(opts(write('cut.json', '[{"prompt":"x"}, {"prompt": "y'))),
      badEntry(/cut\.json: not valid JSON after entry 1/),
    );
    await assert.rejects(
      readDataset(opts(path.join(dir, 'missing.jsonl'))),
      badEntry(/The dataset .*missing\.jsonl does not exist/),
    );
    await assert.rejects(
      readDataset(opts(write('skips.json', JSON.stringify([shareGpt[1]])))),
      badEntry(/has no usable prompts \(1 skipped: a conversation without/),
    );
  });

  it('spec fields are validated: format names, maxPrompts, and dataset options without a dataset', () => {
    assert.throws(
      () =>
        parseSpecText('{"url":"http://x","group":"text-generation","text":{"dataset":"a.csv","datasetFormat":"csv"}}'),
      /text\/datasetFormat must be equal to one of the allowed values|datasetFormat/,
    );
    assert.throws(
      () => parseSpecText('{"url":"http://x","group":"text-generation","text":{"dataset":"a.jsonl","maxPrompts":0}}'),
      /maxPrompts/,
    );
    assert.throws(
      () => normalizeSpec({ url: 'http://x', group: 'text-generation', load: {}, text: { promptField: 'q' } }),
      /need a dataset/,
    );
    const n = normalizeSpec(
      parseSpecText('url: http://x\ngroup: text-generation\ntext:\n  dataset: d.parquet\n  promptField: question\n'),
    );
    assert.deepEqual([n.text.dataset, n.text.promptField, n.text.maxPrompts], ['d.parquet', 'question', 1024]);
  });

  it('a run against the embedded vLLM sends the dataset prompts and records where they came from', async () => {
    const p = write('run.json', JSON.stringify(shareGpt));
    const recordsPath = path.join(dir, 'run.records.jsonl');
    await withServer(['vllm'], {}, async (ep) => {
      const r = await runBenchmark(
        {
          url: ep.vllm,
          group: 'text-generation',
          api: 'openai-chat',
          model: 'tiny-llm',
          load: { concurrency: [2] },
          requests: 6,
          text: { dataset: p },
        },
        { recordsPath },
      );
      assert.deepEqual(r.workload, {
        dataset: {
          path: p,
          format: 'json',
          prompts: 2,
          read: 3,
          skipped: 1,
          skipReasons: ['a conversation without a human turn and its reply'],
        },
      });
      const recs = [];
      for await (const l of readRecordsFile(recordsPath)) if (l.kind === 'record') recs.push(l.record);
      assert.equal(recs.length, 6);
      // Requests cycle through the two prompts. Their input length is counted by the server's tokenize endpoint (chat
      // template included), so it equals the server's own usage count; the output length is the dataset reply's.
      assert.match(r.server.tokenizer ?? '', /tokenize/);
      const words = [countTokens('What is the capital of France?'), countTokens('Name a colour.')];
      const expectOut = [countTokens('Paris is the capital of France.'), countTokens('Blue.')];
      for (const x of recs) {
        assert.equal(x.io, x.iu, `input count of request ${x.i}: ours from /tokenize, the server's from usage`);
        assert.ok(x.io! > words[x.i % 2], 'the chat template adds tokens to the words');
        assert.equal(x.ou, expectOut[x.i % 2], `generated tokens of request ${x.i}`);
      }
    });
  });
});
