// Modern workloads as a user runs them from spec files: an embedded server (`inference-lab serve`)
// whose vLLM serves a model with two LoRA adapters and a reasoning model (docs/embedded-server.md),
// then three *.bench.json files in the workspace, each opened and run with "Run Benchmark Spec
// File": multi-turn sessions, a LoRA traffic split, and a reasoning model under MLPerf Offline.
// Each results panel's workload chart (TTFT by turn, LoRA adapters, Reasoning) is compared, every
// table cell and every drawn point, with the saved result file, and photographed. Last, a workload
// from the Run Benchmark picker: "Shared-prefix groups…" on the extension's embedded vLLM (whose
// prefix cache counts hits), its input box's validation, and the panel's prefix-cache chart
// against the result file.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readCharts } from '../chartValues.mjs';
import { fmt, prefixCacheTable } from '../../oracle/resultFile.cjs';
import { canvasDrawn, startBenchmark } from './30-bench.journey.mjs';
import { newestResult } from './32-capacity.journey.mjs';

const state = { url: '', server: undefined, results: {} };
const shotDir = () => path.resolve(process.env.SCREENSHOT_DIR || 'test-results/screenshots');
const same = (a, b) => typeof a === 'number' && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

/** The embedded server as the CLI runs it, with the models these workloads need; free ports. */
async function startServer(root, dir) {
  const config = path.join(dir, 'workloads-server.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      portBase: 0,
      personalities: Object.fromEntries(
        ['tgi', 'triton', 'torchserve', 'tfserving', 'ollama', 'tei', 'rayserve'].map((p) => [p, { enabled: false }]),
      ),
      models: [
        { name: 'tiny-llm', kind: 'text-generation', lora: [{ name: 'sql-lora' }, { name: 'chat-lora' }] },
        { name: 'tiny-reasoner', kind: 'text-generation', reasoningTokens: 16 },
      ],
    }),
  );
  const child = spawn(process.execPath, [path.join(root, 'dist', 'cli.js'), 'serve', '--config', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  state.server = child;
  process.once('exit', () => child.kill());
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not listen: ${err}`)), 30000);
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.includes('"listening"'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line).endpoints.vllm);
      }
    });
  });
}

const specs = (url) => ({
  sessions: {
    url,
    group: 'text-generation',
    api: 'openai-chat',
    model: 'tiny-llm',
    load: { sessions: { users: 2, turns: 3, thinkTimeSec: 0.05, conversations: 4 } },
    text: { inputTokens: { mean: 16 }, outputTokens: { mean: 8 } },
  },
  lora: {
    url,
    group: 'text-generation',
    api: 'openai-chat',
    model: 'tiny-llm',
    load: { concurrency: [4] },
    requests: 40,
    text: {
      inputTokens: { mean: 16 },
      outputTokens: { mean: 8 },
      lora: [
        { name: 'sql-lora', weight: 3 },
        { name: 'chat-lora', weight: 1 },
        { name: 'tiny-llm', weight: 1 },
      ],
    },
  },
  reasoning: {
    url,
    group: 'text-generation',
    api: 'openai-chat',
    model: 'tiny-reasoner',
    // MLPerf's minimums (600 s, 24576 queries) lowered for a quick look: the verdict line names them.
    load: { offline: { queries: 16, minThroughput: 50, minDurationSec: 0.1, minQueries: 16 } },
    text: { inputTokens: { mean: 16 }, outputTokens: { mean: 24 } },
  },
});

/** Waits for the chart, reads the newest result and the chart's table and drawn datasets. */
async function panelChart(wv, resultsDir, before, chartId) {
  await wv.locator('.status-complete').first().waitFor({ timeout: 180000 });
  await wv.locator(`#chart-${chartId}`).waitFor({ timeout: 30000 });
  const dir = newestResult(resultsDir);
  if (!dir || dir === before) throw new Error(`no new result in ${resultsDir}`);
  const result = JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8'));
  const charts = await readCharts(wv);
  const chart = charts.find((c) => c.id === chartId);
  if (!chart) throw new Error(`no ${chartId} chart among ${charts.map((c) => c.id).join(', ')}`);
  if (!(await canvasDrawn(wv, `#chart-${chartId}`))) throw new Error(`the ${chartId} chart is blank`);
  return { chart, result };
}

/** The message under the quick input's box once it says something matching `re`. */
async function inputMessage(page, re) {
  await page
    .waitForFunction(
      (src) =>
        new RegExp(src).test(document.querySelector('.quick-input-widget .quick-input-message')?.textContent ?? ''),
      re.source,
      { timeout: 30000 },
    )
    .catch(() => undefined);
  return page.locator('.quick-input-widget .quick-input-message').textContent();
}

/** Opens the spec file in the editor (Go to File) and runs it from the palette; waits for the panel's charts. */
async function runSpec(page, H, run, name, chartId) {
  const resultsDir = path.join(run.workspace, '.inference-lab', 'results');
  const before = fs.existsSync(resultsDir) ? newestResult(resultsDir) : undefined;
  await H.runCommand(page, 'View: Close All Editor Groups');
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 30000 });
  await page.keyboard.type(`${name}.bench.json`);
  await page
    .locator('.quick-input-widget .monaco-list-row', { hasText: `${name}.bench.json` })
    .first()
    .waitFor({ timeout: 30000 });
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab', { hasText: `${name}.bench.json` }).waitFor({ timeout: 30000 });
  await H.runCommand(page, 'Inference Lab: Run Benchmark Spec File');
  const wv = H.webviewFrame(page);
  const { chart, result } = await panelChart(wv, resultsDir, before, chartId);
  state.results[name] = result;
  return { wv, chart, result };
}

/** Table rows and drawn datasets against what the result file says, cell by cell and point by point. */
function compare(chart, header, rows, datasets) {
  const problems = [];
  if (JSON.stringify(chart.header) !== JSON.stringify(header))
    problems.push(`header ${JSON.stringify(chart.header)} != ${JSON.stringify(header)}`);
  if (chart.rows.length !== rows.length) problems.push(`${chart.rows.length} rows, the result has ${rows.length}`);
  rows.forEach((w, i) => {
    const got = chart.rows[i] ?? [];
    w.forEach((cell, j) => {
      if (got[j] !== cell) problems.push(`row ${i} "${header[j]}": ${got[j]} != ${cell}`);
    });
  });
  const labels = chart.drawn.map((d) => d.label);
  if (JSON.stringify(labels) !== JSON.stringify(datasets.map((d) => d.label)))
    problems.push(`datasets ${JSON.stringify(labels)} != ${JSON.stringify(datasets.map((d) => d.label))}`);
  for (const want of datasets) {
    const d = chart.drawn.find((x) => x.label === want.label);
    if (!d) continue;
    if (d.points.length !== want.points.length)
      problems.push(`${want.label}: ${d.points.length} points, the result has ${want.points.length}`);
    want.points.forEach(([x, y], i) => {
      const [px, py] = d.points[i] ?? [];
      if (String(px) !== String(x) || !same(py, y))
        problems.push(`${want.label} point ${i}: (${px}, ${py}) != (${x}, ${y})`);
    });
    if (d.inside !== d.points.length)
      problems.push(`${want.label}: ${d.inside} of ${d.points.length} points inside the plot`);
  }
  return problems;
}

async function photograph(page, H, shot, wv, chartId, name) {
  await H.runCommand(page, 'Notifications: Clear All Notifications').catch(() => undefined);
  await wv.locator(`#section-${chartId}`).scrollIntoViewIfNeeded();
  await wv.locator(`#section-${chartId}`).screenshot({ path: path.join(shotDir(), `${name}-chart.png`) });
  await shot(`${name}-panel`);
}

const fail = (what, problems) => {
  if (problems.length)
    throw new Error(
      `${what}: ${problems.slice(0, 6).join('; ')}${problems.length > 6 ? ` (+${problems.length - 6})` : ''}`,
    );
};

export const steps = [
  {
    name: 'inference-lab serve with LoRA adapters and a reasoning model; three spec files written into the workspace',
    async run({ page, H, root, run }) {
      state.url = await startServer(root, run.workspace ? path.dirname(run.workspace) : root);
      for (const [name, spec] of Object.entries(specs(state.url)))
        fs.writeFileSync(path.join(run.workspace, `${name}.bench.json`), `${JSON.stringify(spec, null, 2)}\n`);
      const models = await (await fetch(`${state.url}/v1/models`)).json();
      const ids = models.data.map((m) => m.id);
      if (JSON.stringify(ids) !== JSON.stringify(['tiny-llm', 'tiny-reasoner', 'sql-lora', 'chat-lora']))
        throw new Error(`the server lists ${ids.join(', ')}`);
      await H.openInferenceLabView(page);
      H.log(`33-workloads: serving ${ids.join(', ')} at ${state.url}`);
    },
  },
  {
    name: 'multi-turn sessions spec: the "TTFT by turn" chart — title, every table cell and drawn point equal the result file; photographed',
    async run({ page, H, shot, run }) {
      const { wv, chart, result } = await runSpec(page, H, run, 'sessions', 'sessions');
      const s = result.steps[0].sessions;
      if (!s || s.byTurn.length !== 3) throw new Error(`sessions in the result: ${JSON.stringify(s)?.slice(0, 200)}`);
      const header = [
        'Turn',
        'Requests',
        'Succeeded',
        'Prompt tokens (mean)',
        'TTFT mean (ms)',
        'TTFT p50 (ms)',
        'TTFT p90 (ms)',
        'TTFT p99 (ms)',
        'E2E mean (ms)',
      ];
      // Counts as integers; means and milliseconds as every table of the panel writes figures.
      const rows = s.byTurn.map((t) => [
        ...[t.turn, t.requests, t.succeeded].map(String),
        ...[t.inputTokens.mean, t.ttftMs.mean, t.ttftMs.p50, t.ttftMs.p90, t.ttftMs.p99, t.e2elMs.mean].map(fmt),
      ]);
      const line = (label, f) => ({ label, points: s.byTurn.map((t) => [String(t.turn), f(t)]) });
      fail(
        'sessions chart',
        compare(chart, header, rows, [
          line('TTFT mean (ms)', (t) => t.ttftMs.mean),
          line('TTFT p50 (ms)', (t) => t.ttftMs.p50),
          line('TTFT p99 (ms)', (t) => t.ttftMs.p99),
          line('Prompt tokens (mean)', (t) => t.inputTokens.mean),
        ]),
      );
      // The history grows: each turn's prompt is longer than the one before.
      const prompts = s.byTurn.map((t) => t.inputTokens.mean);
      if (!prompts.every((p, i) => i === 0 || p > prompts[i - 1])) throw new Error(`prompt tokens by turn ${prompts}`);
      const title = await wv.locator('#section-sessions h2, #section-sessions h3').first().textContent();
      const want = `${s.users} users × ${s.turns} turns, think time ${s.thinkTimeSec} s; ${s.completed} of ${s.conversations} conversations completed (duration p50 ${s.durationSec.p50} s)`;
      if (!title.includes(want)) throw new Error(`title "${title}" does not say "${want}"`);
      H.log(`33-workloads sessions: prompt tokens by turn ${prompts.join(' → ')}, rows ${chart.rows.length}`);
      await photograph(page, H, shot, wv, 'sessions', '39-sessions');
    },
  },
  {
    name: 'LoRA split spec: the "LoRA adapters" chart — every table cell and drawn bar equal the per-adapter summaries of the result file; photographed',
    async run({ page, H, shot, run }) {
      const { wv, chart, result } = await runSpec(page, H, run, 'lora', 'lora');
      const step = result.steps[0];
      const adapters = step.summary.adapters;
      if (!adapters || adapters.map((a) => a.name).join() !== 'sql-lora,chat-lora,tiny-llm')
        throw new Error(`adapters in the result: ${JSON.stringify(adapters?.map((a) => a.name))}`);
      const sent = step.requests.sent;
      const m = (a, key, p) => a.summary.metrics[key].percentiles[p];
      const tp = (a, key) => a.summary.throughput[key].value;
      const header = [
        'Step',
        'Adapter',
        'Requests',
        'Share of requests (%)',
        'Completed',
        'Failed',
        'Requests/s',
        'Output tokens/s',
        'TTFT p50 (ms)',
        'TTFT p99 (ms)',
        'E2E latency p50 (ms)',
        'E2E latency p99 (ms)',
      ];
      const rows = adapters.map((a) => [
        step.label,
        a.name,
        String(a.summary.counts.total),
        fmt((100 * a.summary.counts.total) / sent),
        String(a.summary.counts.completed),
        String(a.summary.counts.failed),
        fmt(tp(a, 'request_throughput')),
        fmt(tp(a, 'output_throughput')),
        fmt(m(a, 'ttft', '50')),
        fmt(m(a, 'ttft', '99')),
        fmt(m(a, 'e2el', '50')),
        fmt(m(a, 'e2el', '99')),
      ]);
      const bars = (label, key, p) => ({ label, points: adapters.map((a) => [a.name, m(a, key, p)]) });
      fail(
        'LoRA chart',
        compare(chart, header, rows, [
          bars('TTFT p50 (ms)', 'ttft', '50'),
          bars('TTFT p99 (ms)', 'ttft', '99'),
          bars('E2E latency p50 (ms)', 'e2el', '50'),
          bars('E2E latency p99 (ms)', 'e2el', '99'),
        ]),
      );
      const total = adapters.reduce((n, a) => n + a.summary.counts.total, 0);
      if (total !== sent) throw new Error(`adapters add up to ${total} requests, the step sent ${sent}`);
      H.log(`33-workloads LoRA: ${adapters.map((a) => `${a.name} ${a.summary.counts.total}`).join(', ')} of ${sent}`);
      await photograph(page, H, shot, wv, 'lora', '40-lora');
    },
  },
  {
    name: 'reasoning model under MLPerf Offline: the "Reasoning" chart equals summary.reasoning cell by cell and bar by bar; photographed',
    async run({ page, H, shot, run }) {
      const { wv, chart, result } = await runSpec(page, H, run, 'reasoning', 'reasoning');
      const header = [
        'Step',
        'Requests with reasoning',
        'First reasoning token p50 (ms)',
        'First reasoning token p99 (ms)',
        'First answer token p50 (ms)',
        'First answer token p99 (ms)',
        'Reasoning tokens per request',
        'Answer tokens per request',
        'Reasoning tokens',
        'Answer tokens',
        'Token counts',
      ];
      const steps = result.steps.filter((s) => s.summary.reasoning);
      if (!steps.length) throw new Error('the result has no reasoning summary');
      const p = (s, key, q) => s.summary.reasoning[key].percentiles[q];
      const rows = steps.map((s) => {
        const x = s.summary.reasoning;
        return [
          s.label,
          String(x.requests),
          fmt(p(s, 'timeToFirstReasoningToken', '50')),
          fmt(p(s, 'timeToFirstReasoningToken', '99')),
          fmt(p(s, 'timeToFirstOutputToken', '50')),
          fmt(p(s, 'timeToFirstOutputToken', '99')),
          fmt(x.reasoningTokens.mean),
          fmt(x.answerTokens.mean),
          String(x.totalReasoningTokens),
          String(x.totalAnswerTokens),
          x.serverCounted === x.requests ? 'server usage' : `server usage for ${x.serverCounted} of ${x.requests}`,
        ];
      });
      const bars = (label, key, q) => ({ label, points: steps.map((s) => [s.label, p(s, key, q)]) });
      fail(
        'Reasoning chart',
        compare(chart, header, rows, [
          bars('first reasoning token p50 (ms)', 'timeToFirstReasoningToken', '50'),
          bars('first reasoning token p99 (ms)', 'timeToFirstReasoningToken', '99'),
          bars('first answer token p50 (ms)', 'timeToFirstOutputToken', '50'),
          bars('first answer token p99 (ms)', 'timeToFirstOutputToken', '99'),
        ]),
      );
      const x = steps[0].summary.reasoning;
      if (x.reasoningTokens.mean !== 16 || x.serverCounted !== x.requests)
        throw new Error(`reasoning tokens per request ${x.reasoningTokens.mean}, server counted ${x.serverCounted}`);
      H.log(`33-workloads reasoning: ${chart.rows.map((r) => r.join(' | ')).join('; ')}`);
      // The MLPerf Offline verdict: one line per step under the run's name, as the result file words it.
      const verdicts = await wv.locator('.run [data-offline-step]').allTextContents();
      const want = result.offline.map((o) => o.line);
      if (!want.length || JSON.stringify(verdicts) !== JSON.stringify(want))
        throw new Error(`Offline verdict lines ${JSON.stringify(verdicts)} != result.offline ${JSON.stringify(want)}`);
      const o = result.offline[0];
      if (
        !/ran [\d.]+ s → PASS \(valid; minimums set in the spec: 0\.1 s, 16 queries; MLPerf's are 600 s, 24576\)$/.test(
          want[0],
        ) ||
        !o.valid ||
        !(o.durationSec >= 0.1) ||
        o.invalidReasons.length
      )
        throw new Error(`Offline verdict ${want[0]} (${JSON.stringify({ ...o, line: undefined })})`);
      await wv
        .locator('.run')
        .first()
        .screenshot({ path: path.join(shotDir(), '41-offline-verdict.png') });
      await photograph(page, H, shot, wv, 'reasoning', '41-reasoning');
    },
  },
  {
    name: 'Run Benchmark → "Shared-prefix groups…" on the embedded vLLM: the box refuses bad numbers by name; the prefix-cache chart equals the result file; photographed',
    async run({ page, H, shot, run }) {
      const resultsDir = path.join(run.workspace, '.inference-lab', 'results');
      const before = fs.existsSync(resultsDir) ? newestResult(resultsDir) : undefined;
      await H.runCommand(page, 'View: Close All Editor Groups');
      await startBenchmark(page, H, {
        server: 'vLLM',
        group: 'Text generation',
        model: 'tiny-llm',
        preset: 'Shared-prefix groups',
      });
      const input = page.locator('.quick-input-widget input');
      const asked = await inputMessage(page, /Prefix tokens P/);
      if (!/Prefix tokens P, groups, requests per group, concurrency/.test(asked))
        throw new Error(`the box asks "${asked}"`);
      // Bad input: each complaint names what is wrong; Enter does not start a run.
      for (const [typed, want] of [
        ['256,4,8', /Four whole numbers from 1: prefix tokens, groups, requests per group, concurrency/],
        ['256,2000,1,4', /sharedPrefix: groups is a whole number from 1 to 1024/],
        ['256,4,8,20000', /concurrency: 20000 is above the maximum of 10000 concurrent requests/],
      ]) {
        await input.fill(typed);
        const said = await inputMessage(page, want);
        if (!want.test(said)) throw new Error(`"${typed}": the box says "${said}", not ${want}`);
        H.log(`33-workloads shared prefix: "${typed}" → ${said}`);
      }
      await input.fill('256,4,8,4');
      await page.keyboard.press('Enter');
      const wv = H.webviewFrame(page);
      const { chart, result } = await panelChart(wv, resultsDir, before, 'prefix-cache');
      const sp = result.config.text.sharedPrefix;
      if (
        sp?.groups !== 4 ||
        sp?.tokens !== 256 ||
        result.config.requests !== 32 ||
        result.config.load.concurrency?.[0] !== 4
      )
        throw new Error(
          `the run's spec ${JSON.stringify({ sp, requests: result.config.requests, load: result.config.load })}`,
        );
      const p = result.prefixCache;
      if (!p?.server) throw new Error(`the result has no server prefix-cache counts: ${JSON.stringify(p)}`);
      // The extension's embedded vLLM counts hits in its metrics but, like vLLM by default, sends no cached_tokens.
      const table = prefixCacheTable(result);
      fail(
        'prefix-cache chart',
        compare(chart, table.header, table.rows, [{ label: 'Hit rate (%)', points: table.bars }]),
      );
      // A hit rate is drawn on 0–100 % (auto-scaled, a 2 % bar filled the whole chart).
      const yRange = await wv
        .locator('#chart-prefix-cache')
        .evaluate((el) => (el.tagName === 'CANVAS' ? el : el.querySelector('canvas'))?.dataset.yRange);
      if (yRange !== '0..100') throw new Error(`prefix-cache chart y axis ${yRange}, not 0..100`);
      // 4 groups of 8 requests sharing 256-token prefixes: most prompt tokens after each group's first request hit.
      if (!(p.server.hitRate > 0.3))
        throw new Error(`hit rate ${p.server.hitRate} (${p.server.hits} of ${p.server.queries})`);
      const title = await wv.locator('#section-prefix-cache h2, #section-prefix-cache h3').first().textContent();
      const want = `Prefix cache: ${fmt(100 * p.server.hitRate)} % of prompt tokens hit (server counters)`;
      if (!title.includes(want)) throw new Error(`title "${title}" does not say "${want}"`);
      const name = await wv.locator('.run').first().textContent();
      if (!name.includes('4 groups sharing 256-token prefixes'))
        throw new Error(`the run is named "${name.slice(0, 160)}"`);
      H.log(`33-workloads shared prefix: ${chart.rows.map((r) => r.join(' | ')).join('; ')}`);
      await photograph(page, H, shot, wv, 'prefix-cache', '42-prefix-cache');
    },
  },
  {
    name: 'the embedded server of this journey stops',
    async run({ page, H }) {
      await H.runCommand(page, 'View: Close All Editor Groups');
      const child = state.server;
      if (child && child.exitCode === null) {
        child.removeAllListeners('exit');
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await gone;
      }
    },
  },
];
