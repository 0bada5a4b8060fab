/**
 * vLLM's conformance checks (OpenAI API, SSE with usage, /metrics, /tokenize). Run once against the real
 * vLLM on CPU and once against the embedded vLLM personality: identical assertions.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EV_TEXT, type RawRecord } from '../../src/core/bench/record';
import type { HttpWire } from '../../src/core/request/build/wire';
import type { ServerMetricsResult } from '../../src/core/bench/serverMetrics/types';
import { checkProbe, cli, runCopies, sendTemplate, serversTree, treeLabels, type Target } from './conformance';

export interface Outcome {
  probe?: string;
  tree?: string;
  request?: string;
  copyAs?: string;
  bench?: string;
  tokens?: string;
  serverMetrics?: string;
  capacity?: string;
  sharedPrefix?: string;
  multiTurn?: string;
  trace?: string;
}

type Check = (t: Target, o: Outcome) => Promise<void>;

export const vllmChecks: Record<keyof Outcome, Check> = {
  async probe(t, o) {
    const p = await checkProbe(t);
    o.probe = `${p.kind} ${p.version}`;
  },

  async tree(t, o) {
    const node = await serversTree(t);
    const labels = treeLabels(node);
    assert.match(node.description ?? '', /^vLLM \d+\.\d+/, `server row: ${node.description}`);
    assert.ok(
      labels.model?.some((m) => m.startsWith(t.model)),
      `models ${JSON.stringify(labels.model)}`,
    );
    const gauges = labels.gauge ?? [];
    // The tree's gauges come from vllm:num_requests_running / _waiting / kv_cache_usage_perc / prompt_tokens_total.
    for (const g of ['Running requests = 0', 'Queued requests = 0'])
      assert.ok(gauges.includes(g), `gauge "${g}" missing from ${JSON.stringify(gauges)}`);
    assert.ok(
      gauges.some((x) => /^KV-cache use = \d/.test(x)),
      `no KV-cache gauge in ${JSON.stringify(gauges)}`,
    );
    const scraped = await (await fetch(`${t.url}/metrics`)).text();
    const promptTotal = /^vllm:prompt_tokens_total\{[^}]*\} ([\d.e+]+)$/m.exec(scraped)?.[1];
    assert.ok(promptTotal, 'vllm:prompt_tokens_total is not in /metrics');
    assert.ok(
      gauges.includes(`Prompt tokens (total) = ${Number(promptTotal)}`),
      `tree ${JSON.stringify(gauges)} vs vllm:prompt_tokens_total ${promptTotal}`,
    );
    // Requests (total) sums vllm:request_success_total over its finished_reason series (one per reason from start-up).
    const successes = [...scraped.matchAll(/^vllm:request_success_total\{[^}]*\} ([\d.e+]+)$/gm)];
    assert.equal(successes.length, 5, `request_success_total series: ${successes.length}`);
    const total = successes.reduce((a, m) => a + Number(m[1]), 0);
    assert.ok(
      gauges.includes(`Requests (total) = ${total}`),
      `tree ${JSON.stringify(gauges)} vs the sum of vllm:request_success_total ${total}`,
    );
    o.tree = `${labels.model?.length} model(s), gauges ${gauges.join('; ')}`;
  },

  async request(t, o) {
    const seen: string[] = [];
    for (const stream of [false, true]) {
      for (const template of ['openai-chat', 'openai-completions'] as const) {
        const { result } = await sendTemplate(t, template, (d) => ({
          ...d,
          params: { ...d.params, maxTokens: 8, temperature: 0, stream },
        }));
        assert.equal(result.ok, true, `${template} stream=${stream}: ${result.error?.message} ${result.status}`);
        assert.equal(result.status, 200);
        const gen = result.views.find((v) => v.type === 'generation');
        assert.ok(gen, `${template}: no generation view in ${result.views.map((v) => v.type).join(',')}`);
        if (stream) {
          const m = result.stream;
          assert.ok(m && m.ttftMs !== undefined && m.ttftMs > 0, `${template}: no TTFT`);
          assert.equal(
            m.server?.completionTokens,
            8,
            `${template}: usage.completion_tokens ${m.server?.completionTokens}`,
          );
          assert.ok(m.tokenCount >= 1 && m.tokenCount <= 8, `${template}: ${m.tokenCount} streamed events`);
          seen.push(
            `${template} SSE ttft ${m.ttftMs.toFixed(0)} ms, ${m.tokenCount} events, usage ${m.server?.promptTokens}+${m.server?.completionTokens}`,
          );
        } else seen.push(`${template} JSON ${result.timing.totalMs.toFixed(0)} ms`);
      }
    }
    o.request = seen.join('; ');
  },

  async copyAs(t, o) {
    const { wire } = await sendTemplate(t, 'openai-chat', (d) => ({
      ...d,
      params: { ...d.params, maxTokens: 4, stream: true },
    }));
    const { curl, python } = await runCopies(wire as HttpWire);
    assert.equal(curl.code, 0, `curl: ${curl.stderr}`);
    assert.match(curl.stdout, /data: \{.*"chat\.completion\.chunk"/, `curl printed ${curl.stdout.slice(0, 300)}`);
    assert.match(curl.stdout, /data: \[DONE\]/);
    assert.equal(python.code, 0, `python: ${python.stderr}`);
    assert.match(python.stdout, /^200 text\/event-stream/, `python printed ${python.stdout.slice(0, 300)}`);
    assert.match(python.stdout, /data: \[DONE\]/);
    o.copyAs = 'curl + Python (requests) streamed to [DONE]';
  },

  async bench(t, o) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'il-bench-'));
    const out = path.join(dir, 'result.json');
    const records = path.join(dir, 'records.jsonl');
    const r = await cli(
      [
        'bench',
        '--url',
        t.url,
        '--group',
        'text-generation',
        '--model',
        t.model,
        '--concurrency',
        '2',
        '--requests',
        '12',
        '--warmup',
        '0',
        '--input-tokens',
        '24',
        '--output-tokens',
        '12',
        '--out',
        out,
        '--records',
        records,
        '--quiet',
      ],
      300_000,
    );
    assert.equal(r.code, 0, `bench exited ${r.code}: ${r.stderr}${r.stdout}`);
    const result = JSON.parse(fs.readFileSync(out, 'utf8'));
    const recs = fs
      .readFileSync(records, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RawRecord);
    const ok = recs.filter((x) => x.st === 200 && !x.ek);
    assert.equal(ok.length, 12, `${ok.length}/12 requests succeeded: ${recs.find((x) => x.ek)?.er}`);
    benchStore.set(t.label, { result, recs: ok });
    o.bench = `12/12 ok at concurrency 2, tokenizer: ${result.server?.tokenizer ?? 'not recorded'}`;
    fs.rmSync(dir, { recursive: true, force: true });
  },

  async tokens(t, o) {
    const b = benchStore.get(t.label);
    assert.ok(b, 'the bench check did not run');
    const asked = b.recs.map((x) => x.io);
    const served = b.recs.map((x) => x.iu);
    assert.deepEqual(served, asked, 'prompt lengths asked vs server usage.prompt_tokens');
    assert.ok(
      asked.every((n) => n === 24),
      `asked ${asked.join(',')}`,
    );
    assert.deepEqual(
      b.recs.map((x) => x.ou),
      b.recs.map(() => 12),
      'usage.completion_tokens vs output asked',
    );
    // Each SSE event carries the text of one token (vLLM may hold back a token whose bytes end mid-character).
    const textEvents = b.recs.map((x) => (x.ev ?? []).filter((f, k) => k % 2 === 1 && (f & EV_TEXT) !== 0).length);
    assert.ok(
      textEvents.every((n, k) => n >= 1 && n <= b.recs[k].ou!),
      `text events per request ${textEvents.join(',')} vs usage ${b.recs.map((x) => x.ou).join(',')}`,
    );
    assert.ok(b.result.server?.tokenizer, 'the result records which tokenizer counted the prompts');
    o.tokens = `prompt ${asked[0]}=${served[0]} (x${asked.length}), output 12=12, text events ${Math.min(...textEvents)}-${Math.max(...textEvents)}`;
  },

  /** The bench run's server metrics (scraped by default): mapped series from /metrics, counts equal to the client's. */
  async serverMetrics(t, o) {
    const b = benchStore.get(t.label);
    assert.ok(b, 'the bench check did not run');
    const sm = b.result.serverMetrics as ServerMetricsResult | undefined;
    assert.ok(sm?.enabled, 'the result has no serverMetrics');
    assert.equal(sm.url, `${t.url}/metrics`);
    assert.equal(sm.scrapes.failed, 0, `scrapes failed: ${sm.scrapes.lastError}`);
    assert.ok(sm.scrapes.ok >= 2, `${sm.scrapes.ok} scrapes`);
    const sources = Object.fromEntries(sm.server.series.map((s) => [s.key, s.source]));
    for (const [key, name] of Object.entries({
      requestsRunning: 'vllm:num_requests_running',
      requestsWaiting: 'vllm:num_requests_waiting',
      kvCacheUsage: 'vllm:kv_cache_usage_perc',
      requestsPerSec: 'vllm:request_success_total',
      promptTokensPerSec: 'vllm:prompt_tokens_total',
      generationTokensPerSec: 'vllm:generation_tokens_total',
      ttftMean: 'vllm:time_to_first_token_seconds',
      itlMean: 'vllm:inter_token_latency_seconds',
      e2eMean: 'vllm:e2e_request_latency_seconds',
      queueTimeMean: 'vllm:request_queue_time_seconds',
    })) {
      assert.equal(sources[key], name, `${key} read from ${sources[key]}`);
    }
    // 12 requests of 24 prompt and 12 output tokens (in the server's own tokens): the server's counters moved by exactly that.
    const check = (k: string) => sm.crossChecks.find((c) => c.key === k);
    assert.deepEqual([check('promptTokens')?.server, check('promptTokens')?.client], [12 * 24, 12 * 24]);
    assert.deepEqual([check('generationTokens')?.server, check('generationTokens')?.client], [12 * 12, 12 * 12]);
    assert.ok(
      sm.crossChecks.every((c) => c.ok),
      JSON.stringify(sm.crossChecks),
    );
    o.serverMetrics = `${sm.scrapes.ok} scrapes of ${sm.url}, ${sm.server.series.length} series; cross-checks ${sm.crossChecks.map((c) => `${c.key} ${c.server.toFixed(1)}/${c.client.toFixed(1)}`).join(', ')}; GPU: ${sm.gpu.source}`;
  },

  /**
   * A capacity search under an SLO (concurrency 1 to 4, p80 TTFT ≤ 2 s, 90 % confidence, 20 to 80 requests a point):
   * a tiny model answers in tens of ms, so every point passes, each at its first look, and the capacity is the
   * highest concurrency tried. Prompt lengths are the server's tokens, so every judged request's usage shows 24.
   */
  async capacity(t, o) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'il-capacity-'));
    const spec = path.join(dir, 'capacity.bench.yaml');
    fs.writeFileSync(
      spec,
      [
        `url: ${t.url}`,
        'group: text-generation',
        `model: ${t.model}`,
        'load:',
        '  capacity: { dimension: concurrency, start: 1, max: 4, percentile: 80, confidence: 0.9, minRequests: 20, maxRequests: 80 }',
        'slo: { ttft: 2000 }',
        'text: { inputTokens: 24, outputTokens: 8 }',
        '',
      ].join('\n'),
    );
    const out = path.join(dir, 'result.json');
    const records = path.join(dir, 'records.jsonl');
    const r = await cli(['bench', '--spec', spec, '--out', out, '--records', records, '--quiet'], 300_000);
    assert.equal(r.code, 0, `bench --capacity exited ${r.code}: ${r.stderr}${r.stdout}`);
    const result = JSON.parse(fs.readFileSync(out, 'utf8')) as {
      capacity: {
        searches: Array<{
          capacity: number;
          failedAt: number | null;
          statement: string;
          points: Array<{ load: number; judgement: { verdict: string; requests: number } }>;
        }>;
      };
    };
    const s = result.capacity.searches[0];
    assert.deepEqual(
      s.points.map((p) => [p.load, p.judgement.verdict, p.judgement.requests]),
      [
        [1, 'pass', 20],
        [2, 'pass', 20],
        [4, 'pass', 20],
      ],
      s.statement,
    );
    assert.deepEqual([s.capacity, s.failedAt], [4, null]);
    assert.match(
      r.stdout,
      /Capacity: capacity at least concurrency 4, the highest load tried: p80 TTFT ≤ 2000 ms holds at concurrency 4 \(90 % confidence, 20 requests\)\./,
    );
    const recs = readRecords(records);
    assert.ok(
      recs.length >= 60 && recs.every((x) => x.st === 200 && x.iu === 24 && x.ou === 8),
      `${recs.length} records; usage ${[...new Set(recs.map((x) => `${x.iu}/${x.ou}`))].join(', ')}`,
    );
    o.capacity = s.statement;
    fs.rmSync(dir, { recursive: true, force: true });
  },

  /**
   * Shared-prefix groups (2 × 300 server tokens, 16-token questions, concurrency 1): the prefix cache hits (vLLM
   * on CPU caches 128-token blocks, the embedded one 16), and the hit rate from the responses'
   * usage.prompt_tokens_details.cached_tokens equals the server's own prefix_cache_hits / queries counters.
   */
  async sharedPrefix(t, o) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'il-prefix-'));
    const out = path.join(dir, 'result.json');
    const records = path.join(dir, 'records.jsonl');
    const r = await cli(
      [
        'bench',
        ...['--url', t.url, '--group', 'text-generation', '--model', t.model, '--api', 'openai-completions'],
        ...['--concurrency', '1', '--requests', '12', '--prefix-groups', '2', '--prefix-tokens', '300'],
        ...['--input-tokens', '16', '--output-tokens', '4', '--out', out, '--records', records, '--quiet'],
      ],
      300_000,
    );
    assert.equal(r.code, 0, `bench --prefix-groups exited ${r.code}: ${r.stderr}${r.stdout}`);
    const result = JSON.parse(fs.readFileSync(out, 'utf8')) as {
      prefixCache?: {
        server?: { queries: number; hits: number; hitRate: number; source: string };
        usage?: { requests: number; promptTokens: number; cachedTokens: number; hitRate: number };
      };
    };
    const recs = readRecords(records);
    assert.deepEqual(
      recs.map((x) => [x.io, x.iu]),
      recs.map(() => [316, 316]),
      'prompt = 300-token prefix + 16-token question, as the server counts it',
    );
    // Request 1 opens group 1; every other request finds its group's prefix (request 0: the test request sent prompt 0).
    const cached = recs.map((x) => x.ic ?? -1);
    assert.ok(cached[1] === 0 && cached.every((c, i) => i === 1 || c > 0), `cached tokens per request ${cached}`);
    const { server, usage } = result.prefixCache ?? {};
    assert.ok(server && usage, `prefixCache ${JSON.stringify(result.prefixCache)}`);
    assert.ok(server.hitRate > 0, `hit rate ${server.hitRate}`);
    assert.deepEqual(
      [usage.cachedTokens, usage.promptTokens, usage.hitRate],
      [server.hits, server.queries, server.hitRate],
      `usage ${JSON.stringify(usage)} vs server counters ${JSON.stringify(server)}`,
    );
    assert.equal(
      usage.cachedTokens,
      cached.reduce((a, b) => a + b, 0),
    );
    assert.match(r.stdout, /Prefix-cache hit rate: server counters \d+\.\d %/);
    o.sharedPrefix = `hit rate ${(100 * server.hitRate).toFixed(1)} % (${server.hits} of ${server.queries} tokens, ${server.source}) = usage.cached_tokens ${usage.cachedTokens} of ${usage.promptTokens}; per request ${cached.join(',')}`;
    fs.rmSync(dir, { recursive: true, force: true });
  },

  /**
   * Multi-turn sessions (2 users × 3 turns, 20-token user messages, 6-token answers, 100 ms think time): each
   * turn's prompt is the whole history, counted by the server's /tokenize before it is sent, and equals the
   * usage.prompt_tokens it reports; it grows turn by turn by at least the new user message.
   */
  async multiTurn(t, o) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'il-sessions-'));
    const out = path.join(dir, 'result.json');
    const records = path.join(dir, 'records.jsonl');
    const r = await cli(
      [
        'bench',
        ...['--url', t.url, '--group', 'text-generation', '--model', t.model, '--sessions', '2', '--turns', '3'],
        ...['--think-time', '100ms', '--input-tokens', '20', '--output-tokens', '6'],
        ...['--out', out, '--records', records, '--quiet'],
      ],
      300_000,
    );
    assert.equal(r.code, 0, `bench --sessions exited ${r.code}: ${r.stderr}${r.stdout}`);
    const recs = readRecords(records);
    assert.equal(recs.length, 6);
    const lengths: string[] = [];
    for (const cv of [0, 1]) {
      const turns = recs.filter((x) => x.cv === cv).sort((a, b) => a.tn! - b.tn!);
      assert.deepEqual(
        turns.map((x) => x.tn),
        [1, 2, 3],
      );
      assert.deepEqual(
        turns.map((x) => x.io),
        turns.map((x) => x.iu),
        'the /tokenize count of each history = usage.prompt_tokens',
      );
      assert.ok(turns.every((x) => x.ou === 6));
      for (let k = 1; k < 3; k++)
        assert.ok(turns[k].iu! >= turns[k - 1].iu! + 20, `turn ${k + 1}: ${turns[k].iu} after ${turns[k - 1].iu}`);
      lengths.push(turns.map((x) => x.iu).join('→'));
    }
    const result = JSON.parse(fs.readFileSync(out, 'utf8')) as {
      steps: Array<{
        sessions: { completed: number; byTurn: Array<{ requests: number; inputTokens: { mean: number } }> };
      }>;
    };
    const s = result.steps[0].sessions;
    assert.equal(s.completed, 2);
    assert.deepEqual(
      s.byTurn.map((b) => b.requests),
      [2, 2, 2],
    );
    assert.match(r.stdout, /Sessions: 2 users, 3 turns, think time 0\.1 s/);
    o.multiTurn = `prompt tokens by turn ${lengths.join(', ')} (= usage.prompt_tokens)`;
    fs.rmSync(dir, { recursive: true, force: true });
  },

  /**
   * A Mooncake trace replayed: each line's prompt is built in the server's tokens before the schedule starts and
   * equals its usage.prompt_tokens (600 tokens over hash ids [1, 2]: the shared 512-token block 1 and part of 2).
   */
  async trace(t, o) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'il-trace-'));
    const file = path.join(dir, 'mooncake.jsonl');
    const lines = [
      { timestamp: 0, input_length: 300, output_length: 3, hash_ids: [1] },
      { timestamp: 100, input_length: 40, output_length: 2, hash_ids: [7] },
      { timestamp: 150, input_length: 520, output_length: 4, hash_ids: [1, 9] },
      { timestamp: 300, input_length: 600, output_length: 2, hash_ids: [1, 2] },
      { timestamp: 400, input_length: 12, output_length: 5 },
    ];
    fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n'));
    const out = path.join(dir, 'result.json');
    const records = path.join(dir, 'records.jsonl');
    const r = await cli(
      [
        'bench',
        ...['--url', t.url, '--group', 'text-generation', '--model', t.model, '--api', 'openai-completions'],
        ...['--trace', file, '--out', out, '--records', records, '--quiet'],
      ],
      300_000,
    );
    assert.equal(r.code, 0, `bench --trace exited ${r.code}: ${r.stderr}${r.stdout}`);
    const recs = readRecords(records).sort((a, b) => a.i - b.i);
    assert.deepEqual(
      recs.map((x) => [x.iu, x.ou]),
      lines.map((l) => [l.input_length, l.output_length]),
      "the server's usage = the trace's input and output lengths",
    );
    const result = JSON.parse(fs.readFileSync(out, 'utf8')) as { server: { tokenizer?: string }; warnings: string[] };
    assert.match(
      result.server.tokenizer ?? '',
      /server \/tokenize .*trace prompts built from its per-word counts, the first 5 checked/,
    );
    assert.deepEqual(result.warnings, []);
    o.trace = `usage.prompt_tokens ${recs.map((x) => x.iu).join(', ')} = the trace's input lengths; ${result.server.tokenizer}`;
    fs.rmSync(dir, { recursive: true, force: true });
  },
};

function readRecords(file: string): RawRecord[] {
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as RawRecord)
    .filter((x) => typeof x.i === 'number' && !x.w);
}

const benchStore = new Map<
  string,
  { result: { server?: { tokenizer?: string } } & Record<string, unknown>; recs: RawRecord[] }
>();
