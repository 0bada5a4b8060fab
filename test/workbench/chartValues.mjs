// What the results panel shows, read from the page (each chart's table and
// the datasets Chart.js drew, which the panel writes next to its canvas), and
// checked against the result file: the oracle names the result's keys
// literally, per profile, independently of the panel's accessors.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { e2eMs, figure as fig, fileKeys as keys, fmt, itemKey as itemKeyOf } from '../oracle/resultFile.cjs';

export const profiles = ['vllm', 'genai-perf', 'guidellm', 'aiperf'];

const same = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

/** The result file, or (for another profile) its recomputation from the records by the core. */
export function oracle(root, runDir, profile) {
  const file = path.join(runDir, 'result.json');
  const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (saved.profile === profile) return saved;
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(root, 'test', 'workbench', 'recomputeResult.ts'),
      file,
      path.join(runDir, 'records.jsonl'),
      profile,
    ],
    { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  if (r.status !== 0) throw new Error(`recomputing ${profile}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Every chart of the panel: id, table header and rows, and the drawn datasets. */
export async function readCharts(frame) {
  await frame.locator('canvas[data-drawn]').first().waitFor({ timeout: 30000 });
  return frame.locator('section.chart').evaluateAll((sections) =>
    sections.map((s) => ({
      id: s.id.replace('section-', ''),
      header: [...s.querySelectorAll('table thead th')].map((th) => th.textContent),
      rows: [...s.querySelectorAll('table tbody tr')].map((tr) =>
        [...tr.querySelectorAll('td')].map((td) => td.textContent),
      ),
      drawn: JSON.parse(s.querySelector('canvas')?.dataset.drawn ?? 'null'),
    })),
  );
}

/** Problems of the charts against the result (empty: every number matches). */
export function checkCharts(charts, result) {
  const problems = [];
  const fail = (c, msg) => problems.push(`${c.id}: ${msg}`);
  const profile = result.profile;
  const group = result.config.group;
  const text = group === 'text-generation';
  const itemKey = itemKeyOf(group);
  const e2e = (s, p) => e2eMs(s, profile, p);
  const col = (c, name) => c.header.indexOf(name);
  const drawnHas = (c, label, x, y) => {
    const d = c.drawn.find((x) => x.label === label);
    if (!d) return fail(c, `no dataset "${label}" (have ${c.drawn.map((x) => x.label).join(', ')})`);
    if (!d.points.some(([px, py]) => String(px) === String(x) && py !== null && same(py, y)))
      fail(c, `dataset "${label}" has no point (${x}, ${y}): ${JSON.stringify(d.points)}`);
  };
  for (const c of charts) {
    if (!c.drawn) {
      fail(c, 'no drawn data');
      continue;
    }
    for (const h of c.header) if (!h.trim()) fail(c, 'a column without a header');
    for (const r of c.rows) if (r.includes('–')) fail(c, `"–" in row ${r.join(' | ')}`);
    for (const d of c.drawn) {
      if (!d.label.trim()) fail(c, 'a dataset without a name');
      if (!d.points.some(([, y]) => y !== null)) fail(c, `dataset "${d.label}" is empty`);
      if (d.inside === 0) fail(c, `dataset "${d.label}" drew nothing inside the plot area`);
      // The legend names the dataset and draws it as it is drawn: a line in its dash, a bar as a box.
      if (!d.legend) fail(c, `dataset "${d.label}" has no legend item`);
      else {
        if (d.legend.text !== d.label) fail(c, `legend item "${d.legend.text}" for dataset "${d.label}"`);
        const want = d.type === 'bar' ? 'rect' : 'line';
        if (d.legend.style !== want)
          fail(c, `legend swatch of ${d.type} "${d.label}" is a ${d.legend.style}, not a ${want}`);
        if (d.legend.dash !== d.dash)
          fail(c, `legend swatch of "${d.label}" dashed [${d.legend.dash}], the line [${d.dash}]`);
      }
    }
  }
  const byId = (prefix) => charts.find((c) => c.id.startsWith(prefix));
  const tp = byId('throughput');
  if (!tp) problems.push('no throughput chart');
  else {
    const main = text
      ? 'Output tokens/s (tok/s)'
      : group === 'image-classification'
        ? 'Images/s (images/s)'
        : 'Inputs/s (inputs/s)';
    for (const s of result.steps) {
      const row = tp.rows.find(
        (r) =>
          r[col(tp, 'Concurrency')] === String(s.load.concurrency) &&
          (text || r[col(tp, 'Batch size')] === String(s.load.batchSize)),
      );
      if (!row) {
        fail(tp, `no row for ${s.label}`);
        continue;
      }
      if (row[col(tp, 'Requests/s')] !== fmt(fig(s, keys.requests[profile])))
        fail(tp, `${s.label} requests/s ${row[col(tp, 'Requests/s')]} != ${fmt(fig(s, keys.requests[profile]))}`);
      const want = fig(s, text ? keys.outputTokens[profile] : itemKey);
      if (row[col(tp, main)] !== fmt(want)) fail(tp, `${s.label} ${main} ${row[col(tp, main)]} != ${fmt(want)}`);
      drawnHas(
        tp,
        text ? 'requests/s' : `batch ${s.load.batchSize}: requests/s`,
        s.load.concurrency,
        fig(s, keys.requests[profile]),
      );
    }
  }
  const pc = byId('percentiles-e2e');
  if (!pc) problems.push('no E2E percentile chart');
  else {
    for (const s of result.steps) {
      const row = pc.rows.find((r) => r[0] === s.label);
      if (!row) {
        fail(pc, `no row for ${s.label}`);
        continue;
      }
      const want = ['50', '90', '95', '99'].map((p) => fmt(e2e(s, p)));
      if (JSON.stringify(row.slice(1, 5)) !== JSON.stringify(want))
        fail(pc, `${s.label} ${row.slice(1, 5)} != ${want}`);
      drawnHas(pc, 'p50', s.label, e2e(s, '50'));
      drawnHas(pc, 'p99', s.label, e2e(s, '99'));
    }
  }
  const knee = byId('knee-e2e');
  if (!knee) problems.push('no E2E knee chart');
  else {
    const name = knee.header[2].replace(' p50 (ms)', '');
    for (const s of result.steps) {
      const row = knee.rows.find((r) => r[0] === s.label);
      if (!row) {
        fail(knee, `no row for ${s.label}`);
        continue;
      }
      const want = [fmt(fig(s, keys.requests[profile])), fmt(e2e(s, '50')), fmt(e2e(s, '99'))];
      if (JSON.stringify(row.slice(1, 4)) !== JSON.stringify(want))
        fail(knee, `${s.label} ${row.slice(1, 4)} != ${want}`);
      drawnHas(
        knee,
        `${text ? '' : `batch ${s.load.batchSize}: `}${name} p99`,
        fig(s, keys.requests[profile]),
        e2e(s, '99'),
      );
    }
    for (const d of knee.drawn) {
      const xs = d.points.map(([x]) => x);
      if (JSON.stringify(xs) !== JSON.stringify([...xs].sort((a, b) => a - b)))
        fail(knee, `dataset "${d.label}" x not sorted: ${xs}`);
    }
  }
  for (const d of charts.filter((c) => c.id.startsWith('dist-'))) {
    const bars = d.drawn.find((x) => x.label.startsWith('share of'));
    if (!bars) fail(d, 'no histogram');
    else {
      if (!(bars.barWidth >= 2)) fail(d, `histogram bars ${bars.barWidth} px wide`);
      const sum = bars.points.reduce((a, [, y]) => a + (y ?? 0), 0);
      if (Math.abs(sum - 1) > 1e-6) fail(d, `shares add up to ${sum}`);
    }
    const cdf = d.drawn.find((x) => x.label === 'CDF');
    if (cdf?.points.at(-1)?.[1] !== 1) fail(d, 'the CDF does not end at 1');
  }
  if (!text) {
    const b = byId('batch');
    if (!b) problems.push('no batch chart');
    else
      for (const size of [...new Set(result.steps.map((s) => s.load.batchSize))]) {
        const best = result.steps
          .filter((s) => s.load.batchSize === size)
          .reduce((x, y) => (fig(y, itemKey) > fig(x, itemKey) ? y : x));
        const row = b.rows.find((r) => r[0] === String(size));
        if (!row || row[1] !== best.label || row[2] !== fmt(fig(best, itemKey)))
          fail(b, `batch ${size}: row ${row} != ${best.label} ${fmt(fig(best, itemKey))}`);
      }
  }
  return problems;
}
