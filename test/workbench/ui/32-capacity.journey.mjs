// Capacity under an SLO as a user finds it: Run Benchmark from the palette →
// the embedded vLLM → "Capacity under an SLO…" → the SLO box → how sure each
// verdict should be. The results panel opens with the capacity chart; its
// table and the datasets Chart.js drew are compared, value by value, with the
// `capacity` of the saved result file; the chart and the panel are photographed.
import fs from 'node:fs';
import path from 'node:path';
import { readCharts } from '../chartValues.mjs';
import { canvasDrawn, startBenchmark } from './30-bench.journey.mjs';

const state = { dir: '', result: undefined };
const shotDir = () => path.resolve(process.env.SCREENSHOT_DIR || 'test-results/screenshots');
const names = { ttft: 'TTFT', tpot: 'TPOT', e2el: 'E2E', goodput: 'any bound' };
// The panel shows shares in % to three decimals; the result holds fractions.
const pct = (v) => Number((100 * v).toFixed(3));
const near = (a, b) => a !== null && Math.abs(a - b) <= 0.0005 + 1e-9;

export function newestResult(resultsDir) {
  const dirs = fs
    .readdirSync(resultsDir)
    .map((d) => path.join(resultsDir, d))
    .filter((d) => fs.existsSync(path.join(d, 'result.json')));
  dirs.sort(
    (a, b) => fs.statSync(path.join(b, 'result.json')).mtimeMs - fs.statSync(path.join(a, 'result.json')).mtimeMs,
  );
  return dirs[0];
}

/** Every cell and every drawn point of the capacity chart against the result's capacity search. */
function checkCapacity(chart, result) {
  const problems = [];
  const cap = result.capacity;
  const search = cap.searches[0];
  const points = [...search.points].sort((a, b) => a.load - b.load);
  const metrics = Object.keys(points[0].judgement.tests);
  const want = points.map((p) => [
    String(p.load),
    p.judgement.verdict,
    String(p.judgement.requests),
    metrics
      .map((m) => {
        const t = p.judgement.tests[m];
        return `${names[m]} ${pct(t.share)} % (≤ ${pct(t.upper)} %)`;
      })
      .join(', '),
    p.scenario.line,
  ]);
  const header = ['Request rate (req/s)', 'Verdict', 'Requests judged', 'Share over bound (upper bound)', 'Scenario'];
  if (JSON.stringify(chart.header) !== JSON.stringify(header)) problems.push(`header ${JSON.stringify(chart.header)}`);
  if (chart.rows.length !== want.length)
    problems.push(`${chart.rows.length} rows, the result has ${want.length} points`);
  want.forEach((w, i) => {
    if (JSON.stringify(chart.rows[i]) !== JSON.stringify(w))
      problems.push(`row ${i}: ${JSON.stringify(chart.rows[i])} != ${JSON.stringify(w)}`);
  });
  const drawn = (label) => chart.drawn.find((d) => d.label === label);
  for (const m of metrics) {
    const share = drawn(`share over ${names[m]} bound (%)`);
    const upper = drawn(`${names[m]}: upper confidence bound (%)`);
    if (!share || !upper) {
      problems.push(`no datasets for ${m}: ${chart.drawn.map((d) => d.label).join(', ')}`);
      continue;
    }
    for (const [set, key] of [
      [share, 'share'],
      [upper, 'upper'],
    ]) {
      if (set.points.length !== points.length) problems.push(`${set.label}: ${set.points.length} points`);
      points.forEach((p, i) => {
        const [x, y] = set.points[i] ?? [];
        if (x !== p.load || !near(y, 100 * p.judgement.tests[m][key]))
          problems.push(`${set.label} point ${i}: (${x}, ${y}) != (${p.load}, ${100 * p.judgement.tests[m][key]})`);
      });
    }
  }
  for (const d of chart.drawn)
    if (d.inside !== d.points.length)
      problems.push(`${d.label}: ${d.inside} of ${d.points.length} points inside the plot`);
  const allowed = drawn('allowed share (%)');
  const share = 100 * Object.values(points[0].judgement.tests)[0].allowed;
  if (!allowed || allowed.points.some(([, y]) => !near(y, share)))
    problems.push(`allowed share ${JSON.stringify(allowed?.points)} != ${share}`);
  return problems;
}

export const steps = [
  {
    name: 'Run Benchmark → Capacity under an SLO… on the embedded vLLM (ttft=500,tpot=50, quick look): the search runs to its capacity statement',
    async run({ page, H, run }) {
      const resultsDir = path.join(run.workspace, '.inference-lab', 'results');
      await H.openInferenceLabView(page);
      await H.runCommand(page, 'View: Close All Editor Groups');
      await startBenchmark(page, H, {
        server: 'vLLM',
        group: 'Text generation',
        model: 'tiny-llm',
        preset: 'Capacity under an SLO',
      });
      // The SLO box, prefilled with the example: replace it with what the user types.
      const input = page.locator('.quick-input-widget input');
      await page.waitForFunction(
        () => /SLO in ms/.test(document.querySelector('.quick-input-widget .quick-input-message')?.textContent ?? ''),
        null,
        { timeout: 30000 },
      );
      await input.fill('ttft=500,tpot=50');
      await page.keyboard.press('Enter');
      const qi = page.locator('.quick-input-widget');
      await qi.locator('.monaco-list-row', { hasText: 'Quick look' }).first().waitFor({ timeout: 30000 });
      await page.keyboard.type('Quick look');
      await page.keyboard.press('Enter');
      const wv = H.webviewFrame(page);
      await wv.locator('.status-complete').first().waitFor({ timeout: 600000 });
      await wv.locator('#chart-capacity').waitFor({ timeout: 30000 });
      state.dir = newestResult(resultsDir);
      state.result = JSON.parse(fs.readFileSync(path.join(state.dir, 'result.json'), 'utf8'));
      const cap = state.result.capacity;
      if (!cap) throw new Error('the result has no capacity search');
      if (cap.percentile !== 90 || cap.confidence !== 0.9 || cap.slo.ttft !== 500 || cap.slo.tpot !== 50)
        throw new Error(`search settings ${JSON.stringify({ ...cap, searches: undefined })}`);
      H.log(`32-capacity: ${cap.searches[0].statement}`);
    },
  },
  {
    name: 'the capacity chart: its title is the statement, its table and drawn datasets equal the result file point by point; photographed',
    async run({ page, H, shot }) {
      const wv = H.webviewFrame(page);
      const charts = await readCharts(wv);
      const chart = charts.find((c) => c.id === 'capacity');
      if (!chart) throw new Error(`no capacity chart among ${charts.map((c) => c.id).join(', ')}`);
      if (charts[0].id !== 'capacity') throw new Error(`the capacity chart is not first: ${charts[0].id}`);
      const problems = checkCapacity(chart, state.result);
      if (problems.length) throw new Error(problems.slice(0, 6).join('; '));
      const title = await wv.locator('#section-capacity h2, #section-capacity h3').first().textContent();
      const statement = state.result.capacity.searches[0].statement;
      if (!title.includes(statement)) throw new Error(`title "${title}" does not state "${statement}"`);
      if (!(await canvasDrawn(wv, '#chart-capacity'))) throw new Error('the capacity chart is blank');
      H.log(`32-capacity: ${chart.rows.length} points checked, datasets ${chart.drawn.map((d) => d.label).join(', ')}`);
      await H.runCommand(page, 'Notifications: Clear All Notifications').catch(() => undefined);
      await wv.locator('#section-capacity').scrollIntoViewIfNeeded();
      await wv.locator('#section-capacity').screenshot({ path: path.join(shotDir(), '38-capacity-chart.png') });
      await shot('38-capacity-panel');
      await H.runCommand(page, 'View: Close All Editor Groups');
    },
  },
];
