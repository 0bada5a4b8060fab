// Server metrics as a user sees them: a benchmark on the embedded vLLM shows
// the server's series live while it runs (the charts grow), then, after the
// run, one chart per gauge group on the client's time axis, each with a table
// whose numbers equal the result file's series; the GPU line says plainly that
// this machine has no GPU telemetry; two runs' server series side by side.
import fs from 'node:fs';
import path from 'node:path';

const state = { resultsDir: '', runs: [] };
/** The panel's cell format (src/shared/serverMetrics.ts formatSeriesValue). */
const cell = (v, bound) => {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const n = String(Number(v.toPrecision(6)));
  return bound === 'ge' ? `≥ ${n}` : bound === 'le' ? `≤ ${n}` : n;
};
/** A line's name in table headers (lineName in src/shared/serverMetrics.ts). */
const lineName = (l) => `${l.label}${l.entity ? ` [${l.entity}]` : ''} (${l.unit})`;
const groupOf = (source, s) => (source === 'server' && s.group === 'gpu' ? 'gpu-server' : s.group);

/**
 * Everything the live sections show at one instant: the server section's tables (header + rows) and each chart's x
 * range and colours — the live client charts at the top (#live) and every chart of the live server section.
 */
const liveSnapshot = (wv) =>
  wv.locator('#server-live').evaluate((sec) => ({
    tables: [...sec.querySelectorAll('table')].map((t) => ({
      group: t.dataset.group,
      header: [...t.querySelectorAll('thead th')].map((th) => th.textContent),
      rows: [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent)),
    })),
    charts: [...document.querySelectorAll('#live canvas'), ...sec.querySelectorAll('canvas')].map((c) => ({
      id: c.id,
      xMin: c.dataset.xMin,
      xMax: c.dataset.xMax,
      colors: c.dataset.colors,
      hiddenLonePoints: c.dataset.hiddenLonePoints,
    })),
  }));

/**
 * One time axis: every chart spans the same x range, 0 to the latest time shown (whole seconds, ≥ 1). `times` are the
 * times the charts hold, in seconds, as the result file has them (the caller takes them from it or from tables that
 * were checked against it).
 */
function oneAxis(where, charts, times) {
  const expected = `0..${Math.max(1, Math.ceil(Math.max(...times)))}`;
  const wrong = charts.filter((c) => `${c.xMin}..${c.xMax}` !== expected);
  if (wrong.length)
    throw new Error(
      `${where}: x ranges ${JSON.stringify(wrong.map((c) => [c.id, c.xMin, c.xMax]))}, expected ${expected} (the latest time ${Math.max(...times)} s)`,
    );
  return expected;
}

/**
 * The live tables against the result file after the run: each server row, at its time, equals the result's row
 * at that time, column by column (by line name); each live client row i counts the requests that ended, on the
 * records' clock, between the previous row's time and its own (req/s × interval).
 */
function liveEqualsResult(snap, result, recordsFile) {
  const sm = result.serverMetrics;
  const sets = [['server', sm.server], ['gpu', sm.gpu], ...(sm.container ? [['container', sm.container]] : [])];
  let compared = 0;
  for (const tbl of snap.tables.filter((x) => x.group !== 'client')) {
    const [source, set] = sets.find(([src, st]) => st.series.some((s) => groupOf(src, s) === tbl.group)) ?? [];
    if (!set) throw new Error(`live table ${tbl.group} has no series in the result`);
    const lines = tbl.header.slice(1).map((name) => {
      const l = set.series.find((s) => groupOf(source, s) === tbl.group && lineName(s) === name);
      if (!l) throw new Error(`live column ${name} (${tbl.group}) is not in the result`);
      return l;
    });
    for (const row of tbl.rows) {
      const i = set.t.findIndex((t) => cell(t / 1000) === row[0]);
      if (i < 0) throw new Error(`live ${tbl.group} row at ${row[0]} s: no result reading at that time`);
      const expected = [row[0], ...lines.map((l) => cell(l.values[i], l.bounds?.[i]))];
      if (JSON.stringify(row) !== JSON.stringify(expected))
        throw new Error(`live ${tbl.group} row ${JSON.stringify(row)} != result ${JSON.stringify(expected)}`);
      compared += row.length;
    }
  }
  const recordLines = fs.readFileSync(recordsFile, 'utf8').split('\n');
  // Each step counts from its own start (warm-up first): an interval holding a step start is not one step's count.
  const stepStarts = recordLines.filter((l) => l.startsWith('{"step"')).map((l) => JSON.parse(l).step.start / 1000);
  const ends = recordLines
    .filter((l) => l.startsWith('{"i"'))
    .map((l) => JSON.parse(l))
    .filter((r) => !r.w && r.ek === undefined && r.x === undefined && r.st >= 200 && r.st < 300)
    .map((r) => (r.t + r.e) / 1000);
  const client = snap.tables.find((x) => x.group === 'client');
  if (!client || client.rows.length < 3) throw new Error(`live client table: ${client?.rows.length} rows`);
  for (const row of client.rows)
    if (row[1] === '0' && (row[2] !== '–' || row[3] !== '–'))
      throw new Error(`live client row ${JSON.stringify(row)}: a latency for an interval in which nothing completed`);
  let checked = 0;
  for (let i = 1; i < client.rows.length; i++) {
    const [a, b] = [Number(client.rows[i - 1][0]), Number(client.rows[i][0])];
    if (stepStarts.some((x) => x > a - 1e-4 && x <= b + 1e-4)) continue;
    const counted = Math.round(Number(client.rows[i][1]) * (b - a));
    const ended = ends.filter((x) => x > a && x <= b).length;
    // Times are shown to 6 digits: a request ending within that rounding of a boundary may fall on either side.
    const edge = ends.filter((x) => Math.abs(x - a) < 1e-4 || Math.abs(x - b) < 1e-4).length;
    if (Math.abs(counted - ended) > edge)
      throw new Error(
        `live client row ${b} s: ${counted} requests by req/s × interval, ${ended} ended on the records' clock`,
      );
    checked++;
  }
  if (checked < 2 || compared < 20)
    throw new Error(`only ${checked} client intervals and ${compared} server cells checked`);
  return { compared, checked };
}

/** Chooses the row containing `text`; returns the question it answered (the input's placeholder). */
async function pickItem(page, text) {
  const qi = page.locator('.quick-input-widget');
  await qi.waitFor({ state: 'visible', timeout: 30000 });
  await page.keyboard.type(text);
  await qi.locator('.monaco-list-row', { hasText: text }).first().waitFor({ timeout: 30000 });
  const asked = await qi.locator('input').getAttribute('placeholder');
  await page.keyboard.press('Enter');
  return asked;
}

const placeholder = (page) => page.locator('.quick-input-widget input').getAttribute('placeholder');

/** Waits until the quick pick asks another question than `before`. */
async function nextQuestion(page, before) {
  await page.waitForFunction(
    (b) => {
      const p = document.querySelector('.quick-input-widget input')?.getAttribute('placeholder');
      return !!p && p !== b;
    },
    before,
    { timeout: 30000 },
  );
  return placeholder(page);
}

async function startBenchmark(page, H, preset) {
  await H.runCommand(page, 'Inference Lab: Run Benchmark…');
  const serverQuestion = await pickItem(page, 'vLLM');
  await nextQuestion(page, serverQuestion);
  const groupQuestion = await pickItem(page, 'Text generation');
  const next = await nextQuestion(page, groupQuestion);
  if (/model/i.test(next ?? '')) {
    await pickItem(page, 'tiny-llm');
    await nextQuestion(page, next);
  }
  await pickItem(page, preset);
}

function newestResult() {
  const dirs = fs
    .readdirSync(state.resultsDir)
    .map((d) => path.join(state.resultsDir, d))
    .filter((d) => fs.existsSync(path.join(d, 'result.json')));
  dirs.sort(
    (a, b) =>
      fs.statSync(path.join(b, 'run.json')).birthtimeMs - fs.statSync(path.join(a, 'run.json')).birthtimeMs ||
      b.localeCompare(a),
  );
  return dirs[0];
}

/** True when the canvas differs from a blank canvas of its size (the chart painted). */
const canvasDrawn = (frame, selector) =>
  frame.locator(selector).evaluate((c) => {
    const blank = Object.assign(document.createElement('canvas'), { width: c.width, height: c.height });
    return c.width > 0 && c.toDataURL() !== blank.toDataURL();
  });

/** Every server table of the run equals the result file's series, cell for cell. */
async function tablesEqualResult(wv, result, runId) {
  const sm = result.serverMetrics;
  const sets = [['server', sm.server], ['gpu', sm.gpu], ...(sm.container ? [['container', sm.container]] : [])];
  let compared = 0;
  for (const [source, set] of sets) {
    const groups = [
      ...new Set(set.series.map((s) => (source === 'server' && s.group === 'gpu' ? 'gpu-server' : s.group))),
    ];
    for (const g of groups) {
      const lines = set.series.filter((s) => groupOf(source, s) === g);
      const table = wv.locator(`#server-metrics table[data-run="${runId}"][data-group="${g}"]`);
      const rows = await table
        .locator('tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
      const expected = set.t.map((t, i) => [cell(t / 1000), ...lines.map((l) => cell(l.values[i], l.bounds?.[i]))]);
      if (JSON.stringify(rows) !== JSON.stringify(expected))
        throw new Error(
          `table ${g}: ${JSON.stringify(rows.slice(0, 3))}… != result ${JSON.stringify(expected.slice(0, 3))}…`,
        );
      compared += rows.length * (lines.length + 1);
    }
  }
  if (compared < 50) throw new Error(`only ${compared} cells compared`);
  return compared;
}

export const steps = [
  {
    name: 'server series grow live while a run goes, then each gauge group has a chart and a table equal to the result file',
    async run({ page, H, shot, run }) {
      state.resultsDir = path.join(run.workspace, '.inference-lab', 'results');
      await H.openInferenceLabView(page);
      await startBenchmark(page, H, 'standard');
      const wv = H.webviewFrame(page);
      await wv.locator('#server-live').waitFor({ timeout: 60000 });
      await wv.locator('body[data-server-live-points]').waitFor({ timeout: 30000 });
      const first = Number(await wv.locator('body').getAttribute('data-server-live-points'));
      await wv.locator(`body:not([data-server-live-points="${first}"])`).waitFor({ timeout: 30000 });
      const later = Number(await wv.locator('body').getAttribute('data-server-live-points'));
      if (!(later > first)) throw new Error(`live server points did not grow: ${first} → ${later}`);
      await wv.locator('#server-live h3[data-group="requests"]').waitFor();
      await shot('31-server-metrics-live');
      // Let it gather a few seconds of readings, then take what the live section shows at one instant.
      await page.waitForTimeout(4000);
      await wv.locator('#server-live table[data-group="latency"] tbody tr').first().waitFor({ timeout: 30000 });
      // Client points start after the step's warm-up (5 requests of ~1.5 s at concurrency 1): wait for four.
      await wv.locator('#server-live table[data-group="client"] tbody tr').nth(3).waitFor({ timeout: 60000 });
      const snap = await liveSnapshot(wv);
      const ids = snap.charts.map((c) => c.id);
      if (snap.charts.length < 6 || !['live-throughput', 'live-latency'].every((id) => ids.includes(id)))
        throw new Error(`live charts: ${ids.join(', ')}`);
      if (!ids.some((id) => id.endsWith('-client'))) throw new Error(`no live client chart in the server section`);
      // A latency between two gaps (nothing else completed near it) is one point: it must be drawn as a dot, or the
      // live latency chart reads empty while requests complete (it did: its points had no radius).
      const hidden = snap.charts.filter((c) => c.id === 'live-latency' && c.hiddenLonePoints !== '0');
      if (hidden.length)
        throw new Error(`live latency: ${hidden.map((c) => c.hiddenLonePoints)} lone point(s) drawn with no radius`);
      // The live client charts at the top, on the same axis as the server charts below them.
      await wv.locator('body').evaluate(() => document.querySelector('#live')?.scrollIntoView());
      await shot('31-server-metrics-live-client');
      // The live section is redrawn at every point: scroll to it from the (stable) body.
      await wv.locator('body').evaluate(() => document.querySelector('#server-live h3')?.scrollIntoView());
      await shot('31-server-metrics-live-axis');
      // Stop it: what was measured is kept.
      const toast = page.locator('.notification-toast', { hasText: 'Benchmark' }).first();
      await toast.hover();
      await toast.locator('.monaco-button, a.monaco-button', { hasText: 'Cancel' }).first().click();
      await wv.locator('.status-incomplete').first().waitFor({ timeout: 60000 });
      await wv.locator('#server-metrics').waitFor({ timeout: 30000 });
      const dir = newestResult();
      state.runs.push(dir);
      const result = JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8'));
      const sm = result.serverMetrics;
      if (!sm?.enabled || sm.server.t.length < 5)
        throw new Error(`result holds ${sm?.server.t.length} server readings`);
      const keys = sm.server.series.map((s) => s.key);
      for (const k of ['requestsRunning', 'requestsWaiting', 'kvCacheUsage', 'generationTokensPerSec', 'ttftMean'])
        if (!keys.includes(k)) throw new Error(`no ${k} series in the result (${keys.join(', ')})`);
      const runId = await wv.locator('#server-metrics .server-notes').first().getAttribute('data-run');
      const cells = await tablesEqualResult(wv, result, runId);
      const live = liveEqualsResult(snap, result, path.join(dir, 'records.jsonl'));
      // One time axis live: the client charts at the top, the server section's client chart and every server chart
      // span 0 to the latest time in the live tables (whose rows equal the result file's readings, checked above).
      const liveTimes = snap.tables.flatMap((t) => t.rows.map((r) => Number(r[0])));
      const liveAxis = oneAxis('live', snap.charts, liveTimes);
      console.log(
        `    live tables equal the result file: ${live.compared} server cells, ${live.checked} client intervals; live x axis ${liveAxis} s for ${snap.charts.length} charts (${snap.charts.map((c) => c.id.replace(/^server-chart-[^-]+-/, '')).join(', ')})`,
      );
      // After the run: every time chart on the run's axis, 0 to the latest reading of the result file or the last
      // client interval shown (the client table of the section).
      const after = await wv
        .locator('#server-metrics canvas')
        .evaluateAll((els) => els.map((c) => ({ id: c.id, xMin: c.dataset.xMin, xMax: c.dataset.xMax })));
      const clientTimes = await wv
        .locator('#server-metrics table[data-group="client"] tbody tr td:first-child')
        .evaluateAll((tds) => tds.map((td) => Number(td.textContent)));
      const readings = [sm.server, sm.gpu, ...(sm.container ? [sm.container] : [])].flatMap((x) =>
        x.t.map((t) => t / 1000),
      );
      if (after.length < 4 || !clientTimes.length)
        throw new Error(`after the run: ${after.length} charts, ${clientTimes.length} client rows`);
      const afterAxis = oneAxis('after the run', after, [...readings, ...clientTimes]);
      console.log(
        `    after the run: x axis ${afterAxis} s for ${after.length} charts (last reading ${Math.max(...readings)} s in the result)`,
      );
      // Each chart gives its lines distinct colours (the latency chart has 9 or more).
      for (const c of await wv
        .locator('#server-metrics canvas')
        .evaluateAll((els) => els.map((e) => ({ id: e.id, colors: JSON.parse(e.dataset.colors ?? '[]') })))) {
        if (new Set(c.colors).size !== c.colors.length)
          throw new Error(`${c.id} repeats colours: ${c.colors.join(' ')}`);
      }
      const latencyLines = JSON.parse(
        (await wv.locator('#server-metrics canvas[id$="-latency"]').first().getAttribute('data-colors')) ?? '[]',
      ).length;
      if (latencyLines < 7) throw new Error(`latency chart has ${latencyLines} lines`);
      for (const id of await wv.locator('#server-metrics canvas').evaluateAll((els) => els.map((e) => e.id))) {
        if (!(await canvasDrawn(wv, `#${id}`))) throw new Error(`${id} is blank`);
      }
      // The cross-checks (server vs client tokens, queue time vs TTFT, request rate) as the result file has them.
      const checks = await wv
        .locator(`#server-metrics .cross-checks[data-run="${runId}"] li`)
        .evaluateAll((lis) => lis.map((li) => li.textContent));
      const expectedChecks = sm.crossChecks.map(
        (c) =>
          `${c.ok ? '✓' : '⚠'} ${c.label}: server ${cell(c.server)} vs client ${cell(c.client)} ${c.unit} (${c.bound}). ${c.note}`,
      );
      if (sm.crossChecks.length < 4 || JSON.stringify(checks) !== JSON.stringify(expectedChecks))
        throw new Error(`cross-checks shown ${JSON.stringify(checks)} != result ${JSON.stringify(expectedChecks)}`);
      console.log(
        `    cross-checks equal the result file: ${checks.map((c) => c.replace(/ \(within.*$| \(server queue.*$/, '')).join(' | ')}`,
      );
      const gpu = (await wv.locator('#server-metrics .gpu-note').first().textContent()).trim();
      if (gpu !== sm.gpu.detail || !gpu.startsWith('No GPU telemetry available')) throw new Error(`GPU note: ${gpu}`);
      console.log(`    server tables equal the result file: ${cells} cells; GPU: ${gpu.slice(0, 80)}…`);
      for (const g of ['requests', 'cache', 'latency']) {
        const head = wv.locator(`#server-metrics h3[data-group="${g}"]`);
        await head.scrollIntoViewIfNeeded();
        await shot(`31-server-metrics-${g}`);
      }
    },
  },
  {
    name: "a second run, compared with the first: each gauge group shows both runs' series side by side",
    async run({ page, H, shot }) {
      await H.runCommand(page, 'View: Close All Editor Groups');
      await startBenchmark(page, H, 'quick');
      let wv = H.webviewFrame(page);
      await wv.locator('.status-complete').first().waitFor({ timeout: 120000 });
      await wv.locator('#server-metrics').waitFor({ timeout: 30000 });
      state.runs.push(newestResult());
      const runId = await wv.locator('#server-metrics .server-notes').first().getAttribute('data-run');
      await tablesEqualResult(wv, JSON.parse(fs.readFileSync(path.join(state.runs[1], 'result.json'), 'utf8')), runId);
      await H.runCommand(page, 'View: Close All Editor Groups');
      // From the palette, Compare asks which runs: tick the two newest (listed first), accept.
      await H.runCommand(page, 'Inference Lab: Compare Benchmark Runs…');
      const qi = page.locator('.quick-input-widget');
      await qi.waitFor({ state: 'visible', timeout: 30000 });
      const rows = qi.locator('.quick-input-list .monaco-list-row');
      await rows.first().waitFor({ timeout: 30000 });
      // Clicking a row of a many-pick list toggles its check box.
      await rows.nth(0).click();
      await rows.nth(1).click();
      await qi.locator('.quick-input-count', { hasText: '2 Selected' }).waitFor({ timeout: 10000 });
      await page.keyboard.press('Enter');
      await page.locator('.tabs-container .tab', { hasText: 'Compare 2 runs' }).waitFor({ timeout: 30000 });
      wv = H.webviewFrame(page);
      await wv.locator('#server-metrics .server-cols').first().waitFor({ timeout: 30000 });
      const cols = await wv.locator('#server-metrics h3[data-group="requests"] + .server-cols > .server-cell').count();
      if (cols !== 2) throw new Error(`requests group shows ${cols} runs side by side`);
      const runsShown = await wv
        .locator('#server-metrics .server-notes')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-run')));
      if (new Set(runsShown).size !== 2) throw new Error(`server notes for ${runsShown.join(', ')}`);
      await wv.locator('#server-metrics h3[data-group="requests"]').scrollIntoViewIfNeeded();
      await shot('31-server-metrics-compare');
      await H.runCommand(page, 'View: Close All Editor Groups');
    },
  },
];
