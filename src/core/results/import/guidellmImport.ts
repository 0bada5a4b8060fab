/**
 * GuideLLM reports (`benchmarks.json` / `.yaml`, `metadata.version` 2 from
 * 0.7 on; `.csv`): one step per benchmark. Summaries come from each metric's
 * `successful` status block (`percentiles.p50` …, `p001` = 0.1th). Request
 * entries keep only first and last token times and an iteration count, so
 * rebuilt records spread the iterations evenly between them (what GuideLLM
 * itself assumes for its token rates): TTFT, E2E and the per-request ITL are
 * exact, individual chunk gaps are not.
 */
import type { RawRecord } from '../../bench/record';
import type { MetricSummary, StepSummary } from '../../bench/profiles/summary';
import { csvCells } from './aiperfImport';
import {
  chunkEvents,
  dist,
  importedRun,
  ImportError,
  isObj,
  labelled,
  loadOf,
  num,
  reportedBy,
  type ImportedRun,
  type ImportedStep,
  type Json,
} from './common';

export function looksLikeGuidellm(j: Json): boolean {
  return Array.isArray(j.benchmarks) && (isObj(j.metadata) || 'args' in j || 'config' in j);
}

const METRICS: Array<[string, string, string, number]> = [
  ['time_to_first_token_ms', 'TTFT', 'ms', 1],
  ['time_to_first_output_token_ms', 'Time to first output token', 'ms', 1],
  ['inter_token_latency_ms', 'ITL', 'ms', 1],
  ['time_per_output_token_ms', 'TPOT (incl. first token)', 'ms', 1],
  ['request_latency', 'Request latency', 's', 1],
  ['requests_per_second', 'Requests per second', 'req/s', 1],
  ['prompt_token_count', 'Prompt tokens', 'tokens', 1],
  ['output_token_count', 'Output tokens', 'tokens', 1],
];

/** `p001` → 0.1, `p01` → 1, `p05` → 5, `p999` → 99.9. */
function pctKey(k: string): string | undefined {
  const m = /^p(\d+)$/.exec(k);
  if (!m) return undefined;
  const d = m[1];
  const v = d.length === 3 ? Number(d) / 10 : Number(d);
  return String(v);
}

function statusBlock(m: unknown): Parameters<typeof dist>[0] | undefined {
  if (!isObj(m) || !isObj(m.successful)) return undefined;
  const s = m.successful as Json;
  const percentiles: Record<string, number | undefined> = {};
  if (isObj(s.percentiles))
    for (const [k, v] of Object.entries(s.percentiles)) if (pctKey(k)) percentiles[pctKey(k)!] = num(v);
  return {
    count: num(s.count),
    mean: num(s.mean),
    std: num(s.std_dev),
    median: num(s.median),
    min: num(s.min),
    max: num(s.max),
    percentiles,
  };
}

function records(b: Json, t0: number): RawRecord[] | undefined {
  const reqs = isObj(b.requests) ? b.requests : undefined;
  if (!reqs) return undefined;
  const out: RawRecord[] = [];
  for (const status of ['successful', 'errored', 'incomplete'] as const) {
    const list = Array.isArray(reqs[status]) ? (reqs[status] as Json[]) : [];
    for (const r of list) {
      const info = isObj(r.info) ? r.info : {};
      const tm = isObj(info.timings) ? info.timings : {};
      const start = num(tm.request_start) ?? num(r.request_start_time);
      if (start === undefined) continue;
      const end = num(tm.request_end) ?? num(r.request_end_time) ?? start;
      const t = (start - t0) * 1000;
      const rec: RawRecord = {
        i: out.length,
        s: 0,
        n: 1,
        q: t,
        t,
        e: (end - start) * 1000,
        st: status === 'errored' ? 0 : 200,
        bo: 0,
        bi: 0,
      };
      if (status === 'incomplete') rec.x = 1;
      if (status === 'errored') {
        rec.ek = 'imported';
        rec.er = String(info.error ?? 'errored');
      }
      const prompt = num(r.prompt_tokens);
      if (prompt !== undefined) rec.iu = rec.io = prompt;
      const outTok = num(r.output_tokens);
      if (outTok !== undefined) rec.ou = rec.oo = outTok;
      const first = num(tm.first_token_iteration);
      const last = num(tm.last_token_iteration);
      const iters = num(tm.token_iterations) ?? 0;
      if (status !== 'errored' && first !== undefined) {
        const chunks: number[] = [];
        const n = Math.max(1, iters);
        for (let k = 0; k < n; k++)
          chunks.push(((n === 1 ? first : first + (((last ?? first) - first) * k) / (n - 1)) - start) * 1000);
        rec.ev = chunkEvents(chunks, rec.e, outTok !== undefined);
      }
      out.push(rec);
    }
  }
  return out.length ? out.sort((a, b) => a.t - b.t).map((r, i) => ({ ...r, i })) : undefined;
}

function step(b: Json, by: string, t0: number): ImportedStep {
  const m = isObj(b.metrics) ? b.metrics : {};
  const metrics: Record<string, MetricSummary> = {};
  for (const [key, label, unit, scale] of METRICS) {
    const d = statusBlock(m[key]);
    if (d) metrics[key] = labelled(label, unit, dist(d, scale), by);
  }
  const mean = (k: string) => statusBlock(m[k])?.mean;
  const totals = isObj(m.request_totals) ? m.request_totals : {};
  const completed = num(totals.successful) ?? 0;
  const failed = num(totals.errored) ?? 0;
  const cancelled = num(totals.incomplete) ?? 0;
  const throughput: StepSummary['throughput'] = {};
  for (const [k, label, unit] of [
    ['requests_per_second', 'Requests/s (mean)', 'req/s'],
    ['output_tokens_per_second', 'Output tokens/s (mean)', 'tok/s'],
    ['tokens_per_second', 'Total tokens/s (mean)', 'tok/s'],
    ['request_concurrency', 'Request concurrency (mean)', 'requests'],
  ] as const) {
    const v = mean(k);
    if (v !== undefined) throughput[k] = { label: `${label} (${by})`, unit, value: v };
  }
  const summary: StepSummary = {
    profile: 'guidellm',
    durationSec: num(b.duration) ?? NaN,
    counts: { completed, failed, cancelled, total: completed + failed + cancelled },
    throughput,
    metrics,
  };
  const cfg = isObj(b.config) ? b.config : {};
  const strategy = isObj(cfg.strategy) ? cfg.strategy : {};
  const kind = String(strategy.type_ ?? strategy.type ?? '');
  const conc = kind === 'synchronous' ? 1 : (num(strategy.streams) ?? num(strategy.max_concurrency));
  const rate = kind === 'throughput' ? Infinity : num(strategy.rate);
  const { label, load } =
    kind === 'concurrent' || kind === 'synchronous' ? loadOf(conc, undefined) : loadOf(undefined, rate);
  return { label: kind ? `${kind} ${label}` : label, load, summary, records: records(b, t0) };
}

export function importGuidellm(file: string, j: Json, format: string): ImportedRun {
  const meta = isObj(j.metadata) ? j.metadata : {};
  const version = typeof meta.guidellm_version === 'string' ? meta.guidellm_version : undefined;
  if (!isObj(j.config) && 'args' in j)
    throw new ImportError(
      file,
      `GuideLLM report schema before 0.7 (metadata.version ${String(meta.version ?? 'absent')}): re-export it with GuideLLM 0.7 or later (\`guidellm export\`)`,
    );
  const benches = (j.benchmarks as unknown[]).filter(isObj);
  if (!benches.length) throw new ImportError(file, '"benchmarks" is empty');
  const by = reportedBy('GuideLLM', version);
  const t0 = Math.min(...benches.map((b) => num(b.start_time) ?? Infinity));
  const steps = benches.map((b) => step(b, by, Number.isFinite(t0) ? t0 : 0));
  const cfg = isObj(j.config) ? j.config : {};
  const spec = isObj(cfg.spec) ? cfg.spec : {};
  const backend = isObj(spec.backend)
    ? spec.backend
    : isObj(benches[0].config) && isObj((benches[0].config as Json).backend)
      ? ((benches[0].config as Json).backend as Json)
      : {};
  return importedRun(
    {
      file,
      format,
      tool: 'GuideLLM',
      version,
      profile: 'guidellm',
      url: typeof backend.target === 'string' ? backend.target : undefined,
      model: typeof backend.model === 'string' ? backend.model : undefined,
      api:
        typeof backend.request_format === 'string' && backend.request_format.includes('chat')
          ? 'openai-chat'
          : 'openai-completions',
      startedAt: Number.isFinite(t0) ? new Date(t0 * 1000).toISOString() : undefined,
      warnings: steps.some((s) => s.records)
        ? [
            'GuideLLM keeps only first and last token times per request: rebuilt records spread the token iterations evenly between them (TTFT, E2E and per-request ITL exact; chunk gaps not).',
          ]
        : [],
    },
    steps,
  );
}

/**
 * GuideLLM's CSV: three header rows (group, status + unit, statistic), one
 * row per benchmark; `Percentiles` cells are `[min, p0.1, p1, p5, p10, p25,
 * p75, p90, p95, p99, max]` strings. Summary only.
 */
export function importGuidellmCsv(file: string, text: string): ImportedRun {
  const rows = text
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map(csvCells);
  if (rows.length < 4)
    throw new ImportError(file, 'fewer than three header rows and one benchmark row: not a GuideLLM CSV export');
  const [g, u, st] = rows;
  const fill = (r: string[]) =>
    r.map(
      (_, k) =>
        r
          .slice(0, k + 1)
          .reverse()
          .find((c) => c.trim()) ?? '',
    );
  const groups = fill(g);
  const units = fill(u);
  const col = (group: RegExp, unit: RegExp, stat: string) =>
    groups.findIndex((x, k) => group.test(x) && unit.test(units[k]) && st[k] === stat);
  if (col(/Time to First Token|TTFT/i, /./, 'Mean') < 0)
    throw new ImportError(file, 'no "Time to First Token … Mean" column: not a GuideLLM CSV export');
  const by = reportedBy('GuideLLM', undefined);
  const steps: ImportedStep[] = rows.slice(3).map((r, k) => {
    const metrics: Record<string, MetricSummary> = {};
    const cols: Array<[string, RegExp, string, string]> = [
      ['time_to_first_token_ms', /^Time to First Token$|TTFT/i, 'TTFT', 'ms'],
      ['inter_token_latency_ms', /^Inter Token Latency$|ITL/i, 'ITL', 'ms'],
      ['time_per_output_token_ms', /^Time per Output Token$|TPOT/i, 'TPOT (incl. first token)', 'ms'],
      ['request_latency', /^Request Latency$/i, 'Request latency', 's'],
    ];
    for (const [key, re, label, unit] of cols) {
      const c = (stat: string) => {
        const i = col(re, /Successful|^ms|^sec|^$/i, stat);
        return i >= 0 ? Number(r[i]) : undefined;
      };
      const mean = c('Mean');
      if (mean === undefined || Number.isNaN(mean)) continue;
      const pc = col(re, /Successful|^ms|^sec|^$/i, 'Percentiles');
      const list = pc >= 0 ? (JSON.parse(r[pc] || '[]') as number[]) : [];
      const names = ['min', '0.1', '1', '5', '10', '25', '75', '90', '95', '99', 'max'];
      const percentiles: Record<string, number> = {};
      list.forEach((v, i) => names[i] !== 'min' && names[i] !== 'max' && (percentiles[names[i]] = v));
      metrics[key] = labelled(
        label,
        unit,
        dist({ mean, median: c('Median'), std: c('Std Dev'), min: list[0], max: list[10], percentiles }),
        by,
      );
    }
    const cell = (group: string, unit: string) => {
      const i = groups.findIndex((x, k) => x === group && units[k] === unit);
      return i >= 0 && r[i] !== '' ? Number(r[i]) : NaN;
    };
    const completed = cell('Request Counts', 'Successful');
    const failed = cell('Request Counts', 'Errored');
    const cancelled = cell('Request Counts', 'Incomplete');
    const summary: StepSummary = {
      profile: 'guidellm',
      durationSec: cell('Timings', 'Duration'),
      counts: { completed, failed, cancelled, total: cell('Request Counts', 'Total') },
      throughput: {},
      metrics,
    };
    return { label: `benchmark ${k + 1}`, load: { mode: 'concurrency', batchSize: 1 }, summary };
  });
  return importedRun(
    {
      file,
      format: 'GuideLLM benchmarks (CSV)',
      tool: 'GuideLLM',
      profile: 'guidellm',
      warnings: ['The CSV export holds summaries only (no per-request data); prefer benchmarks.json.'],
    },
    steps,
  );
}
