/**
 * AIPerf exports: `profile_export_aiperf.json` (one `{unit, avg, p1…p99, min,
 * max, std, count}` block per metric tag, plus `aiperf_version`,
 * `input_config`) and, beside it, `profile_export.jsonl` (one record per
 * request: epoch-ns start, TTFT, inter-chunk gaps, lengths, error), from
 * which our records are rebuilt (chunk times = TTFT + cumulative gaps).
 * `profile_export_aiperf.csv` (summary table, 2 decimals) is read too.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RawRecord } from '../../bench/record';
import type { MetricSummary, StepSummary } from '../../bench/profiles/summary';
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
  type Json,
} from './common';

export function looksLikeAiperf(j: Json): boolean {
  return (
    'aiperf_version' in j ||
    ('schema_version' in j && isObj(j.request_latency) && 'unit' in (j.request_latency as Json))
  );
}

export const STAT_METRICS: Array<[string, string]> = [
  ['time_to_first_token', 'Time to first token'],
  ['time_to_first_output_token', 'Time to first output token'],
  ['time_to_second_token', 'Time to second token'],
  ['inter_token_latency', 'Inter token latency'],
  ['inter_chunk_latency', 'Inter chunk latency'],
  ['request_latency', 'Request latency'],
  ['output_token_throughput_per_user', 'Output token throughput per user'],
  ['output_sequence_length', 'Output sequence length'],
  ['input_sequence_length', 'Input sequence length'],
];

const PCTS = ['1', '5', '10', '25', '50', '75', '90', '95', '99'];

export function block(b: Json): Parameters<typeof dist>[0] {
  const percentiles: Record<string, number | undefined> = {};
  for (const p of PCTS) percentiles[p] = num(b[`p${p}`]);
  return { count: num(b.count), mean: num(b.avg), std: num(b.std), min: num(b.min), max: num(b.max), percentiles };
}

/** The per-request JSONL next to the summary (same folder; `<prefix>.jsonl` or `profile_export.jsonl`). */
function recordsFile(file: string): string | undefined {
  const dir = path.dirname(file);
  const base = path.basename(file);
  const candidates = [
    base.replace(/_aiperf\.(json|csv)$/, '.jsonl'),
    base.replace(/\.(json|csv)$/, '.jsonl'),
    'profile_export.jsonl',
  ];
  return candidates.map((c) => path.join(dir, c)).find((p) => p !== file && fs.existsSync(p));
}

export function aiperfRecords(file: string, text: string): RawRecord[] {
  const rows: Json[] = [];
  for (const [k, line] of text.split('\n').entries()) {
    if (!line.trim()) continue;
    try {
      rows.push(JSON.parse(line) as Json);
    } catch {
      throw new ImportError(file, `line ${k + 1} is not JSON`);
    }
  }
  const valid = rows.filter((r) => isObj(r.metadata) && (r.metadata as Json).benchmark_phase !== 'warmup');
  const startNs = (r: Json) => num((r.metadata as Json).request_start_ns) ?? 0;
  const t0 = Math.min(...valid.map(startNs));
  return valid.map((r, i) => {
    const m = (isObj(r.metrics) ? r.metrics : {}) as Record<string, { value?: unknown }>;
    const v = (k: string) => num(m[k]?.value);
    const t = (startNs(r) - t0) / 1e6;
    const rec: RawRecord = { i, s: 0, n: 1, q: t, t, e: 0, st: 200, bo: 0, bi: 0 };
    const isl = v('input_sequence_length');
    if (isl !== undefined) rec.io = isl;
    const usageIn = v('usage_prompt_tokens');
    if (usageIn !== undefined) rec.iu = usageIn;
    const endNs = num((r.metadata as Json).request_end_ns);
    rec.e = endNs !== undefined ? (endNs - startNs(r)) / 1e6 : (v('request_latency') ?? 0);
    if (isObj(r.error)) {
      rec.st = num((r.error as Json).code) ?? 0;
      rec.ek = 'imported';
      rec.er = String((r.error as Json).message ?? (r.error as Json).type ?? 'error');
      return rec;
    }
    const ttft = v('time_to_first_token');
    if (ttft !== undefined) {
      const chunks = [ttft];
      const gaps = m.inter_chunk_latency?.value;
      if (Array.isArray(gaps)) for (const g of gaps) chunks.push(chunks[chunks.length - 1] + (num(g) ?? 0));
      rec.ev = chunkEvents(chunks, rec.e, v('usage_completion_tokens') !== undefined);
    }
    const osl = v('output_sequence_length');
    if (osl !== undefined) rec.oo = osl;
    const usageOut = v('usage_completion_tokens');
    if (usageOut !== undefined) rec.ou = usageOut;
    return rec;
  });
}

export function importAiperfJson(file: string, j: Json): ImportedRun {
  const version = typeof j.aiperf_version === 'string' ? j.aiperf_version : undefined;
  const by = reportedBy('AIPerf', version);
  const metrics: Record<string, MetricSummary> = {};
  for (const [key, label] of STAT_METRICS) {
    const b = j[key];
    if (isObj(b)) metrics[key] = labelled(label, String(b.unit ?? ''), dist(block(b)), by);
  }
  const avg = (k: string) => (isObj(j[k]) ? num((j[k] as Json).avg) : undefined);
  const completed = avg('request_count') ?? 0;
  const failed = avg('error_request_count') ?? 0;
  const throughput: StepSummary['throughput'] = {};
  const fig = (k: string, label: string, unit: string) => {
    const v = avg(k);
    if (v !== undefined) throughput[k] = { label: `${label} (${by})`, unit, value: v };
  };
  fig('request_throughput', 'Request throughput', 'req/s');
  fig('output_token_throughput', 'Output token throughput', 'tok/s');
  fig('request_count', 'Request count', 'requests');
  fig('error_request_count', 'Error request count', 'requests');
  fig('goodput', 'Goodput', 'req/s');
  const durUnit = isObj(j.benchmark_duration) ? String((j.benchmark_duration as Json).unit) : 'sec';
  const dur = avg('benchmark_duration');
  const summary: StepSummary = {
    profile: 'aiperf',
    durationSec: dur === undefined ? NaN : durUnit === 'ms' ? dur / 1000 : durUnit === 'ns' ? dur / 1e9 : dur,
    counts: { completed, failed, cancelled: 0, total: completed + failed },
    throughput,
    metrics,
  };
  const cfg = isObj(j.input_config) ? j.input_config : {};
  const phases = Array.isArray(cfg.phases) ? (cfg.phases as Json[]) : [];
  const profiling = phases.find((p) => isObj(p) && p.kind === 'profiling') ?? {};
  const loadgen = isObj(cfg.loadgen) ? cfg.loadgen : {};
  const concurrency = num(profiling.concurrency) ?? num(loadgen.concurrency);
  const rate = num(profiling.rate) ?? num(profiling.request_rate) ?? num(loadgen.request_rate);
  const { label, load } = loadOf(
    rate !== undefined && concurrency === undefined ? undefined : (concurrency ?? 1),
    rate,
  );
  const endpoint = isObj(cfg.endpoint) ? cfg.endpoint : {};
  const urls = Array.isArray(endpoint.urls) ? (endpoint.urls as unknown[]) : [endpoint.url];
  const models =
    isObj(cfg.models) && Array.isArray((cfg.models as Json).items) ? ((cfg.models as Json).items as Json[]) : [];
  const model =
    typeof models[0]?.name === 'string'
      ? (models[0].name as string)
      : Array.isArray((endpoint as Json).model_names)
        ? String(((endpoint as Json).model_names as unknown[])[0])
        : undefined;
  const jsonl = recordsFile(file);
  const records = jsonl ? aiperfRecords(jsonl, fs.readFileSync(jsonl, 'utf8')) : undefined;
  return importedRun(
    {
      file,
      format: 'AIPerf profile export (JSON)',
      tool: 'AIPerf',
      version,
      profile: 'aiperf',
      url: typeof urls[0] === 'string' ? urls[0] : undefined,
      model,
      api: endpoint.type === 'chat' ? 'openai-chat' : 'openai-completions',
      startedAt: typeof j.start_time === 'string' ? j.start_time : undefined,
      finishedAt: typeof j.end_time === 'string' ? j.end_time : undefined,
      requests: num(profiling.requests),
      warnings: records
        ? [`Per-request records from ${path.basename(jsonl!)}.`]
        : ['No profile_export.jsonl beside the file: only the summary is shown.'],
    },
    [{ label, load, summary, records }],
  );
}

/** Splits one CSV line (quoted cells may hold commas). */
export function csvCells(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') q = false;
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

const csvNum = (s: string | undefined) => {
  if (s === undefined || s.trim() === '' || s.trim() === 'N/A') return undefined;
  const v = Number(s.replace(/,/g, ''));
  return Number.isFinite(v) ? v : undefined;
};

/**
 * AIPerf's and GenAI-Perf's summary CSV: a `Metric,avg,…` table with rows
 * "Display Name (unit)", then `Metric,Value` rows. Returns tag → block.
 */
export function statsCsv(
  file: string,
  text: string,
): Map<string, { unit: string; stats: Record<string, number | undefined> }> {
  const lines = text.split(/\r?\n/);
  const out = new Map<string, { unit: string; stats: Record<string, number | undefined> }>();
  let header: string[] | undefined;
  for (const line of lines) {
    if (!line.trim()) {
      header = undefined;
      continue;
    }
    const cells = csvCells(line);
    if (cells[0] === 'Metric') {
      header = cells;
      continue;
    }
    if (!header) continue;
    const m = /^(.*?)(?: \(([^()]*)\))?$/.exec(cells[0]);
    const tag = (m?.[1] ?? cells[0])
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_');
    const stats: Record<string, number | undefined> = {};
    header.slice(1).forEach((h, k) => (stats[h.toLowerCase()] = csvNum(cells[k + 1])));
    out.set(tag, { unit: m?.[2] ?? '', stats });
  }
  if (!out.size) throw new ImportError(file, 'no "Metric,…" table found: not an AIPerf or GenAI-Perf CSV export');
  return out;
}

export function importAiperfCsv(
  file: string,
  text: string,
  tool = 'AIPerf',
  profile: 'aiperf' | 'genai-perf' = 'aiperf',
): ImportedRun {
  const t = statsCsv(file, text);
  const by = reportedBy(tool, undefined);
  const metrics: Record<string, MetricSummary> = {};
  for (const [key, label] of STAT_METRICS) {
    const b = t.get(key);
    if (!b) continue;
    const percentiles: Record<string, number | undefined> = {};
    for (const p of PCTS) percentiles[p] = b.stats[`p${p}`];
    metrics[key] = labelled(
      label,
      b.unit,
      dist({ mean: b.stats.avg, std: b.stats.std, min: b.stats.min, max: b.stats.max, percentiles }),
      by,
    );
  }
  if (!Object.keys(metrics).length)
    throw new ImportError(file, `no request latency or time-to-first-token row: not an ${tool} CSV export`);
  const v = (k: string) => t.get(k)?.stats.value ?? t.get(k)?.stats.avg;
  const completed = v('request_count') ?? 0;
  const failed = v('error_request_count') ?? 0;
  const throughput: StepSummary['throughput'] = {};
  for (const [k, label, unit] of [
    ['request_throughput', 'Request throughput', 'req/s'],
    ['output_token_throughput', 'Output token throughput', 'tok/s'],
    ['request_count', 'Request count', 'requests'],
  ] as const) {
    const x = v(k);
    if (x !== undefined) throughput[k] = { label: `${label} (${by})`, unit, value: x };
  }
  const summary: StepSummary = {
    profile,
    durationSec: v('benchmark_duration') ?? NaN,
    counts: { completed, failed, cancelled: 0, total: completed + failed },
    throughput,
    metrics,
  };
  const { load } = loadOf(undefined, undefined);
  return importedRun(
    {
      file,
      format: `${tool} profile export (CSV)`,
      tool,
      profile,
      warnings: ['The CSV export holds no run configuration, tool version or per-request data.'],
    },
    [{ label: 'summary', load, summary }],
  );
}
