import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { recomputeProfile, summarizeRecordsFile } from '../../../src/core/bench/recompute';
import { decodeLine, encodeRecord, ms3, type RawRecord } from '../../../src/core/bench/record';
import { readRecordsFile } from '../../../src/core/bench/recordsFile';
import { resultFromJson, resultToJson, type BenchResult } from '../../../src/core/bench/result';
import { readResultFile, resultProblems, writeResultFile } from '../../../src/core/bench/resultFile';
import { runBenchmark } from '../../../src/core/bench/runBenchmark';
import { parseSpecText } from '../../../src/core/bench/specFile';
import { BenchSpecError } from '../../../src/core/bench/specNormalize';
import { openAiHandler, startServer, type FakeServer } from './fakeServers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-results-'));

describe('result file, records and recomputation', () => {
  let srv: FakeServer;
  let result: BenchResult;
  const records = path.join(dir, 'run.records.jsonl');
  before(async () => {
    srv = await startServer(openAiHandler((n) => ({ ttftMs: 5 + (n % 3) * 5, tokenMs: 2, tokens: 1 + (n % 4) })));
    result = await runBenchmark(
      {
        url: srv.url,
        group: 'text-generation',
        api: 'openai-chat',
        model: 'fake-llm',
        load: { concurrency: [2, 3] },
        requests: 12,
        warmup: 2,
        slo: { ttft: 12, tpot: 20 },
      },
      { recordsPath: records },
    );
  });
  after(() => srv.close());

  it('conforms to the result JSON Schema and survives a write/read round trip', () => {
    assert.deepEqual(resultProblems(JSON.parse(resultToJson(result))), []);
    const file = path.join(dir, 'r.json');
    writeResultFile(file, result);
    assert.deepEqual(readResultFile(file), JSON.parse(JSON.stringify(result)));
  });

  it('names the tool, machine, server and config, and never an API key', () => {
    assert.equal(result.tool.name, 'inference-lab');
    assert.ok(result.machine.cpus > 0);
    assert.equal(result.config.api, 'openai-chat');
    assert.equal(result.config.model, 'fake-llm');
    assert.equal(result.steps[0].requests.warmup, 2);
    assert.doesNotMatch(resultToJson(result), /authorization|bearer/i);
  });

  it('rejects a file that is not a result', () => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ schema: 'something else' }));
    assert.throws(() => readResultFile(file), /is not a benchmark result/);
  });

  it('recomputes another profile from the raw records, and back again exactly', async () => {
    const g = await recomputeProfile(result, records, 'guidellm');
    assert.equal(g.profile, 'guidellm');
    assert.ok(
      g.steps.every((s) => s.summary.profile === 'guidellm' && s.summary.metrics.time_to_first_token_ms.count === 12),
    );
    const back = await recomputeProfile(g, records, 'vllm');
    assert.deepEqual(
      back.steps.map((s) => s.summary),
      result.steps.map((s) => s.summary),
    );
    assert.deepEqual(back.goodput, result.goodput);
  });

  it('rebuilds summaries from the records alone (step markers give the windows)', async () => {
    const { summaries, steps } = await summarizeRecordsFile(records, 'vllm', {
      group: 'text-generation',
      percentiles: result.config.percentiles,
      slo: result.config.slo,
    });
    assert.equal(steps.get(1)?.label, 'c=3');
    assert.deepEqual(summaries.get(1), result.steps[1].summary);
  });

  it('reads a records file whose last line was cut short by a crash', async () => {
    const copy = path.join(dir, 'cut.jsonl');
    fs.writeFileSync(copy, fs.readFileSync(records, 'utf8') + '{"i":99,"s":1,"n":1,"q":3');
    let n = 0;
    for await (const l of readRecordsFile(copy)) if (l.kind === 'record') n++;
    assert.equal(n, 2 * 12 + 2 * 2);
  });

  it('encodes records compactly and decodes them unchanged', () => {
    const r: RawRecord = {
      i: 3,
      s: 1,
      n: 1,
      q: 10.1234567,
      t: 10.5,
      h: 2,
      e: 30.25,
      st: 200,
      ev: [5.5, 3, 9, 1],
      iu: 4,
      io: 4,
      ou: 2,
      oo: 2,
      bo: 10,
      bi: 20,
      ek: 'in-stream',
      er: 'bad "thing"',
    };
    const line = encodeRecord(r);
    assert.ok(line.endsWith('}\n'));
    const d = decodeLine(line);
    assert.equal(d?.kind, 'record');
    assert.deepEqual(d?.kind === 'record' && d.record, { ...r, q: 10.123 });
  });

  it('prints times exactly as String(Math.round(v * 1000) / 1000) does, fast path or not', () => {
    const check = (v: number) => assert.equal(ms3(v), String(Math.round(v * 1000) / 1000), `value ${v}`);
    for (let k = 0; k < 2_000_000; k++) check(k / 1000);
    let seed = 99;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 300_000; i++) {
      check((rnd() * 2 ** 31) / 1000); // anywhere on the integer path, unrounded input
      check(Math.round(rnd() * 2 ** 31) / 1000 + 1e-9); // just above a microsecond
      check(-rnd() * 1000); // negative: the general path
      check(2 ** 31 / 1000 + rnd() * 1e9); // above the integer range
    }
    for (const v of [
      0,
      -0,
      0.0004,
      0.0005,
      2147483.647,
      2147483.648,
      1e21,
      Number.MAX_SAFE_INTEGER,
      NaN,
      Infinity,
      -Infinity,
    ])
      check(v);
  });

  it('keeps Infinity rates through JSON as "inf"', () => {
    const text = resultToJson({
      ...result,
      config: { ...result.config, load: { ...result.config.load, rate: [2, Infinity] } },
    });
    assert.match(text, /"inf"/);
    assert.deepEqual(resultFromJson(text).config.load.rate, [2, Infinity]);
  });
});

describe('spec files', () => {
  it('accepts YAML with lengths as numbers and "inf" rates', () => {
    const s = parseSpecText(
      'url: http://127.0.0.1:8000\ngroup: text-generation\nload: { rate: [1, inf], burstiness: 0.5 }\ntext: { inputTokens: 64, outputTokens: { mean: 32, std: 4 } }\n',
    );
    assert.deepEqual(s.load.rate, [1, Infinity]);
    assert.deepEqual(s.text?.inputTokens, { mean: 64 });
    assert.deepEqual(s.text?.outputTokens, { mean: 32, std: 4 });
  });
  it('lists every problem of an invalid spec', () => {
    assert.throws(
      () =>
        parseSpecText('{"url": "x", "group": "audio", "load": {"concurrency": [0]}, "colour": "red"}', 'my.bench.json'),
      (e: unknown) =>
        e instanceof BenchSpecError &&
        /my\.bench\.json/.test(e.message) &&
        /colour/.test(e.message) &&
        /group/.test(e.message) &&
        /concurrency\/0/.test(e.message),
    );
  });
  it('reports unparsable text clearly', () => {
    assert.throws(() => parseSpecText('url: [unclosed', 'x.yaml'), /x\.yaml: cannot parse as JSON or YAML/);
  });
});
