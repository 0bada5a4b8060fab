import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resultFromJson } from '../../../src/core/bench/result';
import { deadPort, openAiHandler, startServer, type FakeServer } from './fakeServers';

const root = path.resolve(__dirname, '..', '..', '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cli-'));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'bench', ...args], {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d));
    p.stderr.on('data', (d: Buffer) => (stderr += d));
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('inference-lab bench: argument errors exit 2', () => {
  const cases: Array<[string, string[], RegExp]> = [
    [
      'unknown flag',
      ['--url', 'http://127.0.0.1:1', '--group', 'text-generation', '--bogus'],
      /Unknown option '--bogus'/,
    ],
    ['missing group', ['--url', 'http://127.0.0.1:1'], /--group is required/],
    ['bad group', ['--url', 'http://127.0.0.1:1', '--group', 'speech'], /group must be one of/],
    [
      'bad rate',
      ['--url', 'http://127.0.0.1:1', '--group', 'embeddings', '--rate', '2,fast'],
      /--rate: "fast" is not a number/,
    ],
    [
      'two load modes',
      ['--url', 'http://127.0.0.1:1', '--group', 'embeddings', '--rate', '2', '--concurrency', '4'],
      /Choose one load mode/,
    ],
    [
      'goodput without an SLO',
      ['--url', 'http://127.0.0.1:1', '--group', 'embeddings', '--min-goodput', '0.9'],
      /min-goodput needs an SLO/,
    ],
    ['bad SLO', ['--url', 'http://127.0.0.1:1', '--group', 'embeddings', '--slo', 'latency=3'], /--slo: "latency=3"/],
    ['bad duration', ['--url', 'http://127.0.0.1:1', '--group', 'embeddings', '--duration', 'soon'], /not a duration/],
    [
      'api of another group',
      ['--url', 'http://127.0.0.1:1', '--group', 'embeddings', '--api', 'tgi'],
      /does not belong to embeddings/,
    ],
    ['missing spec file', ['--spec', path.join(dir, 'nope.yaml')], /Spec file not found/],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const r = await cli(args);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    });
  }
});

describe('inference-lab bench against servers', () => {
  let srv: FakeServer;
  before(async () => (srv = await startServer(openAiHandler({ ttftMs: 30, tokenMs: 2, tokens: 4 }))));
  after(() => srv.close());
  const base = () => [
    '--url',
    srv.url,
    '--group',
    'text-generation',
    '--api',
    'openai-chat',
    '--model',
    'fake-llm',
    '--requests',
    '12',
    '--concurrency',
    '1,4',
  ];

  it('exits 3 when the server cannot be reached', async () => {
    const r = await cli([
      '--url',
      `http://127.0.0.1:${await deadPort()}`,
      '--group',
      'text-generation',
      '--api',
      'openai-completions',
      '--model',
      'm',
    ]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /Connection refused/);
  });

  it('exits 4 when the goodput target is missed, after writing the result', async () => {
    const out = path.join(dir, 'missed.json');
    const r = await cli([...base(), '--slo', 'ttft=5', '--min-goodput', '0.9', '--out', out]);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stdout, /MISSED/);
    const res = resultFromJson(fs.readFileSync(out, 'utf8'));
    assert.equal(res.goodput?.met, false);
    assert.equal(res.steps[0].summary.goodput?.good, 0);
  });

  it('exits 0 with a summary table, plain progress lines off a terminal, and a result plus records', async () => {
    const out = path.join(dir, 'ok.json');
    const r = await cli([
      ...base(),
      '--slo',
      'ttft=2000',
      '--min-goodput',
      '0.9',
      '--out',
      out,
      '--profile',
      'genai-perf',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /profile genai-perf \(GenAI-Perf 0\.0\.16\): responses = transport reads; ttft at first read with text/,
    );
    assert.match(r.stdout, /ttft p50/);
    assert.match(r.stdout, /^c=1 /m);
    assert.match(r.stderr, /^step 1: c=1$/m);
    assert.doesNotMatch(r.stderr, /\r/, 'no carriage returns when stderr is not a terminal');
    const res = resultFromJson(fs.readFileSync(out, 'utf8'));
    assert.equal(res.profile, 'genai-perf');
    assert.equal(res.steps.length, 2);
    assert.ok(fs.existsSync(res.recordsPath));
    assert.equal(res.recordsPath, path.join(dir, 'ok.records.jsonl'));
  });

  it('reads the options from a YAML spec file, flags overriding it', async () => {
    const spec = path.join(dir, 'run.bench.yaml');
    fs.writeFileSync(
      spec,
      `url: ${srv.url}\ngroup: text-generation\napi: openai-completions\nmodel: fake-llm\nload:\n  rate: [50, inf]\nrequests: 10\ntext:\n  inputTokens: 16\n  outputTokens: { mean: 4 }\n`,
    );
    const out = path.join(dir, 'spec.json');
    const r = await cli(['--spec', spec, '--out', out, '--requests', '6']);
    assert.equal(r.code, 0, r.stderr);
    const res = resultFromJson(fs.readFileSync(out, 'utf8'));
    assert.deepEqual(res.config.load.rate, [50, Infinity]);
    assert.equal(res.steps[1].summary.counts.completed, 6);
    assert.equal(res.steps[1].label, 'rate=inf/s');
  });
});
