/**
 * Importing peer tools' result files, on files the real tools wrote
 * (test/fixtures/peers, commands in its README): the imported figures equal
 * the file's own, each metric is labelled with the tool and version, the
 * rebuilt per-request records give back the tool's own numbers when
 * recomputed under that tool's profile, and bad files give errors naming the
 * file and the problem.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { recomputeProfile } from '../../../src/core/bench/recompute';
import { importIntoStore, readPeerResult } from '../../../src/core/results/import/peerImport';
import { ResultsStore } from '../../../src/core/results/resultsStore';

const FIX = path.resolve(__dirname, '..', '..', 'fixtures', 'peers');
const fx = (p: string) => path.join(FIX, p);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the peers' files, read as they are
const json = (p: string) => JSON.parse(fs.readFileSync(fx(p), 'utf8')) as Record<string, any>;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'peer-import-'));

function near(actual: number | undefined, expected: number, what: string, tol = 1e-9): void {
  assert.ok(
    actual !== undefined && Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)),
    `${what}: expected ${expected}, got ${actual}`,
  );
}

/** Rebuilt records keep times to the microsecond (the records file's resolution): means agree within 0.5 µs. */
const US = 0.0005;
function nearUs(actual: number | undefined, expected: number, what: string): void {
  assert.ok(
    actual !== undefined && Math.abs(actual - expected) <= US,
    `${what}: expected ${expected} ± ${US} ms, got ${actual}`,
  );
}

/** Imports into a fresh store and recomputes the run under `profile` from the rebuilt records. */
async function recomputed(file: string, profile: 'vllm' | 'genai-perf' | 'guidellm' | 'aiperf') {
  const store = new ResultsStore(fs.mkdtempSync(path.join(tmp, 'store-')));
  const meta = await importIntoStore(store, fx(file));
  const r = (await store.result(meta.id))!;
  assert.ok(r.recordsPath && fs.existsSync(r.recordsPath), 'records written beside the run');
  return { stored: r, again: await recomputeProfile(r, r.recordsPath, profile), list: await store.list() };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('vllm bench serve --save-result', () => {
  const file = 'vllm/vllm-bench-serve.json';
  const j = json(file);
  it('takes the summary as vLLM wrote it, labelled with the tool', async () => {
    const { result, records } = await readPeerResult(fx(file));
    assert.equal(result.tool.name, 'vllm bench serve');
    assert.equal(result.profile, 'vllm');
    assert.equal(result.imported?.perRequest, true);
    const s = result.steps[0];
    assert.equal(s.label, 'c=2');
    assert.deepEqual(s.summary.counts, {
      completed: j.completed,
      failed: j.failed,
      cancelled: 0,
      total: j.completed + j.failed,
    });
    near(s.summary.metrics.ttft.mean, j.mean_ttft_ms, 'ttft mean');
    near(s.summary.metrics.ttft.percentiles['99'], j.p99_ttft_ms, 'ttft p99');
    near(s.summary.metrics.tpot.median, j.median_tpot_ms, 'tpot median');
    near(s.summary.metrics.e2el.percentiles['90'], j.p90_e2el_ms, 'e2el p90');
    near(s.summary.throughput.output_throughput.value, j.output_throughput, 'output tok/s');
    assert.match(s.summary.metrics.itl.label, /as reported by vllm bench serve \(version not recorded in the file\)/);
    assert.equal(records?.length, j.num_prompts);
  });
  it('rebuilds per-request records that give back its TTFT, TPOT and E2E under the vllm profile', async () => {
    const { again, list } = await recomputed(file, 'vllm');
    const s = again.steps[0].summary;
    nearUs(s.metrics.ttft.mean, j.mean_ttft_ms, 'ttft mean');
    nearUs(s.metrics.tpot.mean, j.mean_tpot_ms, 'tpot mean');
    nearUs(s.metrics.itl.mean, j.mean_itl_ms, 'itl mean');
    nearUs(s.metrics.e2el.mean, 1000 * mean(j.latencies), 'e2el mean');
    near(s.throughput.total_output_tokens.value, j.total_output_tokens, 'output tokens');
    assert.equal(list.length, 1);
    assert.equal(list[0].status, 'complete');
  });
});

describe('AIPerf profile export', () => {
  const j = json('aiperf/profile_export_aiperf.json');
  it('reads the JSON blocks, version, load and per-request JSONL beside it', async () => {
    const { result, records } = await readPeerResult(fx('aiperf/profile_export_aiperf.json'));
    assert.deepEqual(result.tool, { name: 'AIPerf', version: j.aiperf_version });
    const s = result.steps[0];
    assert.equal(s.label, 'c=2');
    near(s.summary.metrics.time_to_first_token.mean, j.time_to_first_token.avg, 'ttft avg');
    near(s.summary.metrics.inter_token_latency.percentiles['50'], j.inter_token_latency.p50, 'itl p50');
    near(s.summary.throughput.request_throughput.value, j.request_throughput.avg, 'req/s');
    assert.equal(s.summary.counts.completed, j.request_count.avg);
    assert.match(
      s.summary.metrics.time_to_first_token.label,
      new RegExp(`as reported by AIPerf ${j.aiperf_version.replace(/\./g, '\\.')}`),
    );
    assert.equal(records?.length, j.request_count.avg);
  });
  it('recomputed under the aiperf profile, the records give back TTFT, latency and ITL', async () => {
    const { again } = await recomputed('aiperf/profile_export_aiperf.json', 'aiperf');
    const s = again.steps[0].summary;
    nearUs(s.metrics.time_to_first_token.mean, j.time_to_first_token.avg, 'ttft');
    nearUs(s.metrics.request_latency.mean, j.request_latency.avg, 'request latency');
    nearUs(s.metrics.inter_token_latency.mean, j.inter_token_latency.avg, 'itl');
    nearUs(s.metrics.inter_chunk_latency.mean, j.inter_chunk_latency.avg, 'icl');
  });
  it('imports the JSONL by finding its summary, and the CSV summary table', async () => {
    const viaJsonl = await readPeerResult(fx('aiperf/profile_export.jsonl'));
    near(viaJsonl.result.steps[0].summary.metrics.request_latency.mean, j.request_latency.avg, 'same run');
    const csv = await readPeerResult(fx('aiperf/profile_export_aiperf.csv'));
    near(
      csv.result.steps[0].summary.metrics.time_to_first_token.mean,
      Math.round(j.time_to_first_token.avg * 100) / 100,
      'csv ttft (2 decimals)',
    );
    assert.equal(csv.records, undefined);
  });
});

describe('GenAI-Perf profile export', () => {
  const j = json('genai-perf/profile_export_genai_perf.json');
  it('reads the JSON blocks, load and model; labelled without a version (the file has none)', async () => {
    const { result, records } = await readPeerResult(fx('genai-perf/profile_export_genai_perf.json'));
    assert.deepEqual(result.tool, { name: 'GenAI-Perf', version: 'unknown' });
    assert.equal(result.profile, 'genai-perf');
    assert.deepEqual([result.server.url, result.server.model], ['http://127.0.0.1:18050', 'tiny-llm']);
    const s = result.steps[0];
    assert.equal(s.label, 'c=2');
    near(s.summary.metrics.time_to_first_token.mean, j.time_to_first_token.avg, 'ttft avg');
    near(s.summary.metrics.time_to_first_token.std, j.time_to_first_token.std, 'ttft std');
    near(s.summary.metrics.time_to_second_token.percentiles['99'], j.time_to_second_token.p99, 'ttst p99');
    near(s.summary.metrics.inter_token_latency.percentiles['50'], j.inter_token_latency.p50, 'itl p50');
    near(s.summary.metrics.request_latency.max, j.request_latency.max, 'latency max');
    near(
      s.summary.metrics.output_token_throughput_per_user.mean,
      j.output_token_throughput_per_user.avg,
      'per-user tok/s',
    );
    near(s.summary.throughput.request_throughput.value, j.request_throughput.avg, 'req/s');
    near(s.summary.throughput.output_token_throughput.value, j.output_token_throughput.avg, 'tok/s');
    assert.equal(s.summary.counts.completed, j.request_count.avg);
    assert.match(s.summary.metrics.request_latency.label, /as reported by GenAI-Perf/);
    assert.equal(records, undefined);
  });
  it('the CSV gives the same table to its two decimals', async () => {
    const csv = (await readPeerResult(fx('genai-perf/profile_export_genai_perf.csv'))).result.steps[0].summary;
    for (const k of ['time_to_first_token', 'inter_token_latency', 'request_latency'] as const)
      near(csv.metrics[k].mean, Math.round(j[k].avg * 100) / 100, `csv ${k}`);
    near(csv.metrics.request_latency.percentiles['90'], Math.round(j.request_latency.p90 * 100) / 100, 'csv p90');
    near(csv.throughput.request_throughput.value, Math.round(j.request_throughput.avg * 100) / 100, 'csv req/s');
  });
});

describe('GuideLLM benchmarks', () => {
  const j = json('guidellm/benchmarks.json');
  const b = j.benchmarks[0];
  it('JSON and YAML give the same run, from the successful status blocks', async () => {
    const a = await readPeerResult(fx('guidellm/benchmarks.json'));
    const y = await readPeerResult(fx('guidellm/benchmarks.yaml'));
    assert.deepEqual(a.result.tool, { name: 'GuideLLM', version: j.metadata.guidellm_version });
    const s = a.result.steps[0].summary;
    near(s.metrics.time_to_first_token_ms.mean, b.metrics.time_to_first_token_ms.successful.mean, 'ttft');
    near(
      s.metrics.time_to_first_token_ms.percentiles['0.1'],
      b.metrics.time_to_first_token_ms.successful.percentiles.p001,
      'p001 is the 0.1th',
    );
    near(
      s.metrics.request_latency.percentiles['99.9'],
      b.metrics.request_latency.successful.percentiles.p999,
      'p999 is the 99.9th',
    );
    assert.equal(s.counts.completed, b.metrics.request_totals.successful);
    assert.equal(a.result.steps[0].label, 'concurrent c=2');
    assert.deepEqual(y.result.steps[0].summary.metrics, s.metrics);
    assert.equal(
      a.records?.length,
      b.requests.successful.length + b.requests.errored.length + b.requests.incomplete.length,
    );
  });
  it('recomputed under the guidellm profile, TTFT and request latency come back', async () => {
    const { again } = await recomputed('guidellm/benchmarks.json', 'guidellm');
    const s = again.steps[0].summary;
    const ok = b.requests.successful as Array<{ time_to_first_token_ms: number; request_latency: number }>;
    nearUs(s.metrics.time_to_first_token_ms.mean, mean(ok.map((r) => r.time_to_first_token_ms)), 'ttft');
    nearUs(1000 * s.metrics.request_latency.mean, 1000 * mean(ok.map((r) => r.request_latency)), 'latency');
  });
  it('reads the CSV (three header rows, Percentiles cells)', async () => {
    const c = await readPeerResult(fx('guidellm/benchmarks.csv'));
    const s = c.result.steps[0].summary;
    near(s.metrics.time_to_first_token_ms.mean, b.metrics.time_to_first_token_ms.successful.mean, 'ttft mean', 1e-6);
    near(
      s.metrics.time_to_first_token_ms.percentiles['99'],
      b.metrics.time_to_first_token_ms.successful.percentiles.p99,
      'ttft p99',
      1e-6,
    );
    assert.equal(s.counts.completed, b.metrics.request_totals.successful);
    const yml = parseYaml(fs.readFileSync(fx('guidellm/benchmarks.yaml'), 'utf8')) as { benchmarks: unknown[] };
    assert.equal(c.result.steps.length, yml.benchmarks.length);
  });
});

describe('inference-perf reports', () => {
  const j = json('inference-perf/summary_lifecycle_metrics.json');
  it('converts seconds to ms under the vllm keys, with per-request records', async () => {
    const { result, records } = await readPeerResult(fx('inference-perf/summary_lifecycle_metrics.json'));
    assert.equal(result.tool.name, 'inference-perf');
    const s = result.steps[0].summary;
    near(s.metrics.ttft.mean, 1000 * j.successes.latency.time_to_first_token.mean, 'ttft ms');
    near(s.metrics.e2el.median, 1000 * j.successes.latency.request_latency.median, 'e2el median');
    near(
      s.metrics.ntpot.percentiles['99'],
      1000 * j.successes.latency.normalized_time_per_output_token.p99,
      'ntpot p99',
    );
    near(s.throughput.request_throughput.value, j.successes.throughput.requests_per_sec, 'req/s');
    assert.equal(records?.length, j.successes.count + j.failures.count);
    const stage = await readPeerResult(fx('inference-perf/stage_0_lifecycle_metrics.json'));
    assert.equal(
      stage.result.steps[0].label,
      `c=${json('inference-perf/stage_0_lifecycle_metrics.json').load_summary.concurrency}`,
    );
  });
  it('recomputed, TTFT (vllm profile) and request latency (end − start, guidellm profile) come back', async () => {
    const { again } = await recomputed('inference-perf/summary_lifecycle_metrics.json', 'vllm');
    nearUs(again.steps[0].summary.metrics.ttft.mean, 1000 * j.successes.latency.time_to_first_token.mean, 'ttft');
    const g = (await recomputed('inference-perf/summary_lifecycle_metrics.json', 'guidellm')).again.steps[0].summary;
    nearUs(1000 * g.metrics.request_latency.mean, 1000 * j.successes.latency.request_latency.mean, 'request latency');
  });
});

describe('bad files', () => {
  const write = (name: string, text: string) => {
    const p = path.join(tmp, name);
    fs.writeFileSync(p, text);
    return p;
  };
  const rejects = (p: string, re: RegExp) =>
    assert.rejects(readPeerResult(p), (e: Error) => e.name === 'ImportError' && re.test(e.message));
  it('names the file and what is wrong', async () => {
    await rejects(
      write('cut.json', fs.readFileSync(fx('vllm/vllm-bench-serve.json'), 'utf8').slice(0, 500)),
      /^cut\.json: not valid JSON/,
    );
    await rejects(write('empty.json', ''), /^empty\.json: the file is empty/);
    await rejects(
      write('other.json', '{"hello": 1, "world": 2}'),
      /^other\.json: not a result of vllm bench serve, GuideLLM, AIPerf, GenAI-Perf or inference-perf \(top-level keys: hello, world\)/,
    );
    const v = json('vllm/vllm-bench-serve.json');
    await rejects(
      write('short.json', JSON.stringify({ ...v, ttfts: v.ttfts.slice(1) })),
      /^short\.json: per-request array "start_times" has 6 entries, "ttfts" has 5/,
    );
    await rejects(write('x.csv', 'a,b\n1,2\n'), /^x\.csv: unknown CSV layout/);
    await rejects(path.join(tmp, 'missing.json'), /^missing\.json: cannot read \(ENOENT\)/);
    await rejects(write('bad.yaml', 'benchmarks: [\n'), /^bad\.yaml: not valid YAML/);
  });
  it("accepts Python's bare NaN and Infinity tokens", async () => {
    const v = json('vllm/vllm-bench-serve.json');
    const text = JSON.stringify({ ...v, request_rate: '@INF@', std_itl_ms: '@NAN@' })
      .replace('"@INF@"', 'Infinity')
      .replace('"@NAN@"', 'NaN');
    const r = await readPeerResult(write('py.json', text));
    assert.equal(r.result.steps[0].load.mode, 'concurrency');
    assert.ok(Number.isNaN(r.result.steps[0].summary.metrics.itl.std));
  });
});
