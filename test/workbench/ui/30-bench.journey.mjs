// Benchmarks as a user runs them: from the palette, against the embedded
// server; the live chart moves while it runs; the final charts are drawn and
// their tables hold the numbers of the saved result file; a second run is
// cancelled and stays saved as incomplete; the two are compared; CSV export.
// Every chart of every group is checked against the result file under every
// profile (its table AND the datasets Chart.js drew), and photographed.
import fs from 'node:fs';
import path from 'node:path';
import { checkCharts, oracle, profiles, readCharts } from '../chartValues.mjs';
import { fmt } from '../../oracle/resultFile.cjs';

const state = { resultsDir: '', runs: [] };

/** Chooses a metric profile in the panel's dropdown with the keyboard, like a user, and waits for the re-render. */
async function chooseProfile(page, wv, target) {
  const current = await wv.locator('#profile').evaluate((el) => el.value);
  if (current === target) return;
  const before = await wv.locator('body').getAttribute('data-rendered');
  // The dropdown's list lives in the element's shadow root: open it and move down to the option.
  await wv.locator('#profile').click();
  for (let i = profiles.indexOf(current); i < profiles.indexOf(target); i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await wv.locator(`body:not([data-rendered="${before}"])`).waitFor({ timeout: 60000 });
  const chosen = await wv.locator('#profile').evaluate((el) => el.value);
  if (chosen !== target) throw new Error(`profile is ${chosen}, wanted ${target}`);
}

/** Every chart of the panel against the result (recomputed by the core for the other profiles), under each profile. */
async function checkEveryProfile(page, wv, root, runDir) {
  const seen = [];
  for (const profile of profiles) {
    await chooseProfile(page, wv, profile);
    const charts = await readCharts(wv);
    const problems = checkCharts(charts, oracle(root, runDir, profile));
    if (problems.length)
      throw new Error(
        `${profile}: ${problems.slice(0, 6).join('; ')}${problems.length > 6 ? ` (+${problems.length - 6} more)` : ''}`,
      );
    seen.push(`${profile}: ${charts.length} charts`);
  }
  await chooseProfile(page, wv, profiles[0]).catch(() => undefined);
  return seen;
}

/** Closes the notification toasts so that they do not cover the charts in the screenshots. */
async function clearToasts(page, H) {
  await H.runCommand(page, 'Notifications: Clear All Notifications').catch(() => undefined);
  await page.waitForTimeout(200);
}

/** Chooses the quick-pick row containing `text` (typing filters the list). */
async function pickItem(page, text, { type = true } = {}) {
  const qi = page.locator('.quick-input-widget');
  await qi.waitFor({ state: 'visible', timeout: 30000 });
  if (type) await page.keyboard.type(text);
  await qi.locator('.monaco-list-row', { hasText: text }).first().waitFor({ timeout: 30000 });
  await page.keyboard.press('Enter');
}

/** The placeholder of the quick pick now showing (each step of the flow has its own question). */
async function question(page) {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 30000 });
  await page.waitForFunction(
    () => !!document.querySelector('.quick-input-widget input')?.getAttribute('placeholder'),
    null,
    { timeout: 30000 },
  );
  return input.getAttribute('placeholder');
}

/** Palette → server → group → model (asked only when the server lists several) → preset. */
export async function startBenchmark(page, H, { server, group, model, preset }) {
  await H.runCommand(page, 'Inference Lab: Run Benchmark…');
  await pickItem(page, server);
  await pickItem(page, group);
  if (/model/i.test((await question(page)) ?? '')) await pickItem(page, model);
  await pickItem(page, preset);
}

function newestResult() {
  const dirs = fs
    .readdirSync(state.resultsDir)
    .map((d) => path.join(state.resultsDir, d))
    .filter((d) => fs.existsSync(path.join(d, 'run.json')));
  dirs.sort((a, b) =>
    JSON.parse(fs.readFileSync(path.join(b, 'run.json'))).createdAt.localeCompare(
      JSON.parse(fs.readFileSync(path.join(a, 'run.json'))).createdAt,
    ),
  );
  return dirs[0];
}

/** True when the canvas has painted pixels (not a blank element). */
export async function canvasDrawn(frame, selector) {
  return frame.locator(selector).evaluate((c) => {
    const ctx = c.getContext('2d');
    const { data } = ctx.getImageData(0, 0, c.width, c.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 4 * 16) if (data[i] > 0) painted++;
    return painted > 50;
  });
}

async function shootSections(frame, shotDir, prefix) {
  const ids = await frame.locator('section.chart').evaluateAll((els) => els.map((e) => e.id));
  for (const id of ids)
    await frame
      .locator(`#${id}`)
      .screenshot({ path: path.join(shotDir, `${prefix}-${id.replace('section-', '')}.png`) });
  return ids;
}

export const steps = [
  {
    name: 'Run Benchmark from the palette: quick text-generation run on the embedded vLLM; final charts drawn and tables equal to the result file',
    async run({ page, H, shot, run }) {
      state.resultsDir = path.join(run.workspace, '.inference-lab', 'results');
      await H.openInferenceLabView(page);
      await startBenchmark(page, H, { server: 'vLLM', group: 'Text generation', model: 'tiny-llm', preset: 'quick' });
      const wv = H.webviewFrame(page);
      await wv.locator('.status-complete').first().waitFor({ timeout: 120000 });
      await wv.locator('#chart-throughput').waitFor();
      for (const id of ['#chart-throughput', '#chart-percentiles-e2e', '#chart-dist-ttft', '#chart-dist-gap']) {
        if (!(await canvasDrawn(wv, id))) throw new Error(`${id} is blank`);
      }
      const dir = newestResult();
      state.runs.push(dir);
      const result = JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8'));
      const cells = await wv.locator('#table-percentiles-e2e tbody tr').first().locator('td').allTextContents();
      const e2e = result.steps[0].summary.metrics.e2el.percentiles;
      const expected = [result.steps[0].label, fmt(e2e['50']), fmt(e2e['90']), fmt(e2e['95']), fmt(e2e['99'])];
      if (JSON.stringify(cells.slice(0, 5)) !== JSON.stringify(expected))
        throw new Error(`table ${JSON.stringify(cells)} != result ${JSON.stringify(expected)}`);
      await shot('30-bench-text-generation');
    },
  },
  {
    name: 'every chart of the text-generation run matches the result file under each profile (vLLM, GenAI-Perf, GuideLLM, AIPerf), and is photographed',
    async run({ page, H, root }) {
      const wv = H.webviewFrame(page);
      const seen = await checkEveryProfile(page, wv, root, state.runs[0]);
      H.log(`30-bench text generation: ${seen.join(', ')}`);
      await clearToasts(page, H);
      const shotDir = path.resolve(process.env.SCREENSHOT_DIR || 'test-results/screenshots');
      const ids = await shootSections(wv, shotDir, '30-text-generation');
      if (ids.length < 5) throw new Error(`expected at least 5 charts, got ${ids.join(', ')}`);
    },
  },
  {
    name: 'one click on a percentile bar lists that step’s requests slowest first; sorting by a column and a click on a request open its token timeline',
    async run({ page, H }) {
      const wv = H.webviewFrame(page);
      const result = JSON.parse(fs.readFileSync(path.join(state.runs[0], 'result.json'), 'utf8'));
      const step = result.steps[result.steps.length - 1];
      const records = fs
        .readFileSync(path.join(state.runs[0], 'records.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
        .filter((r) => r.s === step.index && typeof r.i === 'number' && !r.w);
      const canvas = wv.locator('#chart-percentiles-e2e');
      await canvas.scrollIntoViewIfNeeded();
      const drawn = JSON.parse(await canvas.getAttribute('data-drawn'));
      const p99 = drawn.find((d) => d.label === 'p99');
      const k = p99.points.findIndex(([x]) => x === step.label);
      const size = await canvas.evaluate((c) => ({ w: c.width, cw: c.clientWidth }));
      const scale = size.cw / size.w;
      // Just inside the top of the step's p99 bar (Chart.js gives canvas pixels; the click is in CSS pixels).
      const [bx, by] = p99.px[k];
      const before = await wv.locator('body').getAttribute('data-requests');
      await canvas.click({ position: { x: bx * scale, y: (by + 3) * scale } });
      await wv
        .locator(`body[data-requests]${before ? `:not([data-requests="${before}"])` : ''}`)
        .waitFor({ timeout: 30000 });
      const header = await wv.locator('#requests thead th').allTextContents();
      const rows = await wv
        .locator('#requests tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
      const e2eCol = header.findIndex((h) => h.startsWith('E2E'));
      if (!header[e2eCol].endsWith('▼')) throw new Error(`not sorted by E2E, slowest first: ${header.join(' | ')}`);
      if (rows.length !== records.length)
        throw new Error(`${rows.length} rows, the step has ${records.length} requests`);
      const slowest = records.reduce((a, b) => (b.e > a.e ? b : a));
      if (rows[0][0] !== String(slowest.i) || rows[0][e2eCol] !== fmt(slowest.e))
        throw new Error(`first row ${rows[0]} is not the slowest request ${slowest.i} (${slowest.e} ms)`);
      // Sort by start time: ascending.
      const sorted = await wv.locator('body').getAttribute('data-requests');
      await wv.locator('#requests thead th', { hasText: 'Start' }).click();
      await wv.locator(`body:not([data-requests="${sorted}"])`).waitFor({ timeout: 30000 });
      const starts = (await wv.locator('#requests tbody tr td:nth-child(2)').allTextContents()).map(Number);
      if (starts.some((v, i) => i && v < starts[i - 1]))
        throw new Error(`start column not ascending: ${starts.slice(0, 10)}`);
      // The first request's token timeline: every streamed event of its record.
      const first = await wv.locator('#requests tbody tr').first().getAttribute('data-request');
      await wv.locator('#requests tbody tr').first().click();
      await wv.locator(`body[data-timeline="${first}"]`).waitFor({ timeout: 30000 });
      const rec = records.find((r) => String(r.i) === first);
      const events = await wv.locator('#timeline-table tbody tr').count();
      if (events !== rec.ev.length / 2)
        throw new Error(`timeline has ${events} events, the record ${rec.ev.length / 2}`);
      const times = await wv.locator('#timeline-table tbody tr td:nth-child(2)').allTextContents();
      if (times[0] !== fmt(rec.ev[0])) throw new Error(`first event at ${times[0]}, the record says ${rec.ev[0]}`);
      if (!(await canvasDrawn(wv, '#chart-timeline'))) throw new Error('the timeline chart is blank');
      await clearToasts(page, H);
      await wv.locator('#section-requests').screenshot({
        path: path.join(
          path.resolve(process.env.SCREENSHOT_DIR || 'test-results/screenshots'),
          '30-text-generation-requests-timeline.png',
        ),
      });
    },
  },
  {
    name: 'a standard run shows the live chart updating, and Cancel keeps it saved as incomplete',
    async run({ page, H, shot }) {
      await startBenchmark(page, H, {
        server: 'vLLM',
        group: 'Text generation',
        model: 'tiny-llm',
        preset: 'standard',
      });
      const wv = H.webviewFrame(page);
      await wv.locator('#live-throughput').waitFor({ timeout: 60000 });
      await wv.locator('body[data-live-points]').waitFor({ timeout: 30000 });
      const first = Number(await wv.locator('body').getAttribute('data-live-points'));
      await wv.locator(`body:not([data-live-points="${first}"])`).waitFor({ timeout: 30000 });
      await shot('31-bench-live');
      const toast = page.locator('.notification-toast', { hasText: 'Benchmark' }).first();
      await toast.hover();
      await toast.locator('.monaco-button, a.monaco-button', { hasText: 'Cancel' }).first().click();
      await wv.locator('.status-incomplete').first().waitFor({ timeout: 60000 });
      state.runs.push(newestResult());
      const meta = JSON.parse(fs.readFileSync(path.join(state.runs[1], 'run.json'), 'utf8'));
      if (meta.status !== 'incomplete') throw new Error(`run.json status ${meta.status}`);
      // The runs view refreshes when the saved run is written: wait for the row to say so.
      const row = page.locator('.part.sidebar .monaco-list-row', { hasText: 'standard' }).first();
      await row.waitFor({ timeout: 15000 });
      try {
        await page
          .locator('.part.sidebar .monaco-list-row', { hasText: 'standard' })
          .filter({ hasText: 'incomplete' })
          .first()
          .waitFor({ timeout: 15000 });
      } catch {
        throw new Error(`the runs view does not say incomplete: "${await row.textContent()}"`);
      }
      await shot('32-bench-cancelled');
    },
  },
  {
    name: 'the two runs are compared on the same charts with a delta table, and CSV export writes the file',
    async run({ page, H, shot, run }) {
      const rows = page.locator('.part.sidebar .monaco-list-row', { hasText: 'Text generation' });
      await rows.nth(0).click();
      await rows.nth(1).click({ modifiers: ['Control'] });
      await H.runCommand(page, 'Inference Lab: Compare Benchmark Runs…');
      await page.locator('.tabs-container .tab', { hasText: 'Compare 2 runs' }).waitFor({ timeout: 30000 });
      const wv = H.webviewFrame(page);
      await wv.locator('#compare table.data tbody tr').first().waitFor({ timeout: 30000 });
      // The quick and the standard run ran different workloads: marked not comparable, step by step, with the reason.
      const why = await wv.locator('#compare table[id^="comparable-"] tbody tr').allTextContents();
      if (!why.length || !why.every((t) => /output tokens|requests per step|no such step/.test(t)))
        throw new Error(`not-comparable rows: ${JSON.stringify(why)}`);
      const verdicts = await wv.locator('#compare table[id^="delta-"] tbody tr td:last-child').allTextContents();
      if (!verdicts.length || verdicts.some((t) => /regression/.test(t)))
        throw new Error(`verdicts: ${JSON.stringify(verdicts.slice(0, 5))}`);
      if (!verdicts.some((t) => /95 % CI of the difference \[[-+]/.test(t)))
        throw new Error(`no interval shown: ${JSON.stringify(verdicts.slice(0, 5))}`);
      const counts = await wv.locator('#compare table[id^="context-"] tbody tr').allTextContents();
      if (!counts.some((t) => /Total generated tokens/.test(t) && /context, not judged/.test(t)))
        throw new Error(`counts are not context rows: ${JSON.stringify(counts.slice(0, 5))}`);
      await clearToasts(page, H);
      await wv.locator('#compare').screenshot({
        path: path.join(
          path.resolve(process.env.SCREENSHOT_DIR || 'test-results/screenshots'),
          '33-compare-deltas.png',
        ),
      });
      await shootSections(wv, path.resolve(process.env.SCREENSHOT_DIR || 'test-results/screenshots'), '33-compare');
      await shot('33-bench-compare');
      await wv.locator('vscode-button[data-export="csv"]').first().click();
      const exportsDir = path.join(run.workspace, '.inference-lab', 'exports');
      const deadline = Date.now() + 20000;
      while (!(fs.existsSync(exportsDir) && fs.readdirSync(exportsDir).some((f) => f.endsWith('.csv')))) {
        if (Date.now() > deadline) throw new Error('no CSV in .inference-lab/exports');
        await page.waitForTimeout(250);
      }
      const csv = fs
        .readFileSync(
          path.join(
            exportsDir,
            fs.readdirSync(exportsDir).find((f) => f.endsWith('.csv')),
          ),
          'utf8',
        )
        .trim()
        .split('\n');
      if (csv.length < 2 || !csv[0].startsWith('step,mode')) throw new Error(`unexpected CSV: ${csv[0]}`);
      await page
        .locator('.notifications-toasts .notification-list-item-message', { hasText: 'Exported CSV' })
        .waitFor({ timeout: 10000 });
      await shot('34-bench-export-csv');
    },
  },
  {
    name: 'embeddings and image classification runs: every chart matches the result file under each profile, and is photographed',
    async run({ page, H, root }) {
      const shotDir = path.resolve(process.env.SCREENSHOT_DIR || 'test-results/screenshots');
      await page.keyboard.press('Escape');
      await H.runCommand(page, 'View: Close All Editor Groups');
      await startBenchmark(page, H, { server: 'vLLM', group: 'Embeddings', model: 'mini-embed', preset: 'quick' });
      let wv = H.webviewFrame(page);
      await wv.locator('.status-complete').first().waitFor({ timeout: 120000 });
      await wv.locator('#chart-batch').waitFor();
      if (!(await canvasDrawn(wv, '#chart-batch'))) throw new Error('embeddings batch chart is blank');
      H.log(`30-bench embeddings: ${(await checkEveryProfile(page, wv, root, newestResult())).join(', ')}`);
      await clearToasts(page, H);
      await shootSections(wv, shotDir, '35-embeddings');
      await H.runCommand(page, 'View: Close All Editor Groups');
      await startBenchmark(page, H, {
        server: 'Triton',
        group: 'Image classification',
        model: 'resnet50',
        preset: 'quick',
      });
      wv = H.webviewFrame(page);
      await wv.locator('.status-complete').first().waitFor({ timeout: 180000 });
      await wv.locator('#chart-batch').waitFor();
      if (!(await canvasDrawn(wv, '#chart-batch'))) throw new Error('classification batch chart is blank');
      H.log(`30-bench image classification: ${(await checkEveryProfile(page, wv, root, newestResult())).join(', ')}`);
      await clearToasts(page, H);
      await shootSections(wv, shotDir, '36-image-classification');
    },
  },
  {
    name: 'a results panel left open comes back after the window reloads (restored from its saved UI state)',
    async run({ page, H, shot }) {
      const tab = page.locator('.tabs-container .tab', { hasText: 'image-classification' }).first();
      await tab.waitFor({ timeout: 10000 });
      await H.runCommand(page, 'Developer: Reload Window');
      await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 90000 });
      await page
        .locator('.tabs-container .tab', { hasText: 'image-classification' })
        .first()
        .waitFor({ timeout: 60000 });
      const wv = H.webviewFrame(page);
      await wv.locator('.status-complete').first().waitFor({ timeout: 60000 });
      await wv.locator('#chart-batch').waitFor({ timeout: 30000 });
      if (!(await canvasDrawn(wv, '#chart-batch'))) throw new Error('the restored panel did not draw its charts');
      await shot('37-bench-restored-after-reload');
      // Leave the workbench tidy for the journeys after this one: editors closed, the runs view folded.
      await H.runCommand(page, 'View: Close All Editor Groups');
      const runsHeader = page.locator('.part.sidebar .pane-header', { hasText: 'Benchmark Runs' }).first();
      if ((await runsHeader.getAttribute('aria-expanded')) === 'true') await runsHeader.click();
    },
  },
];
