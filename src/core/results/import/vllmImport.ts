/**
 * `vllm bench serve --save-result` files: one JSON object, or JSON Lines after
 * `--append-result` (one run per line, each a step). Aggregates are
 * `{mean,median,std,p<P>}_<metric>_ms`; with `--save-detailed` the
 * index-aligned per-request arrays (`start_times`, `ttfts`, `itls`,
 * `latencies`, `input_lens`, `output_lens`, `errors`) rebuild our records.
 */
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
  type ImportedStep,
  type Json,
} from './common';

export function looksLikeVllm(j: Json): boolean {
  return (
    ('completed' in j || 'num_prompts' in j) &&
    ('request_throughput' in j || 'mean_ttft_ms' in j || 'mean_e2el_ms' in j) &&
    ('backend' in j || 'endpoint_type' in j || 'model_id' in j)
  );
}

const METRICS: Array<[string, string]> = [
  ['ttft', 'TTFT'],
  ['tpot', 'TPOT'],
  ['itl', 'ITL'],
  ['e2el', 'E2E latency'],
];

function metricOf(
  j: Json,
  m: string,
): { mean?: number; median?: number; std?: number; percentiles: Record<string, number> } | undefined {
  const percentiles: Record<string, number> = {};
  const re = new RegExp(`^p(\\d+(?:\\.\\d+)?)_${m}_ms$`);
  for (const [k, v] of Object.entries(j)) {
    const mm = re.exec(k);
    if (mm && num(v) !== undefined) percentiles[String(Number(mm[1]))] = v as number;
  }
  const mean = num(j[`mean_${m}_ms`]);
  if (mean === undefined && !Object.keys(percentiles).length) return undefined;
  return { mean, median: num(j[`median_${m}_ms`]), std: num(j[`std_${m}_ms`]), percentiles };
}

/** Records from the `--save-detailed` arrays; undefined when they are absent. */
function perRequest(j: Json, file: string): RawRecord[] | undefined {
  const ttfts = j.ttfts;
  if (!Array.isArray(ttfts) || !ttfts.length) return undefined;
  const n = ttfts.length;
  const arr = (k: string) => (Array.isArray(j[k]) ? (j[k] as unknown[]) : undefined);
  const starts = arr('start_times');
  const itls = arr('itls');
  const lat = arr('latencies');
  const inLens = arr('input_lens');
  const outLens = arr('output_lens');
  const errors = arr('errors');
  for (const [k, a] of Object.entries({
    start_times: starts,
    itls,
    latencies: lat,
    input_lens: inLens,
    output_lens: outLens,
    errors,
  })) {
    if (a && a.length !== n)
      throw new ImportError(file, `per-request array "${k}" has ${a.length} entries, "ttfts" has ${n}`);
  }
  const t0 = starts ? Math.min(...starts.map((v) => num(v) ?? Infinity)) : 0;
  const out: RawRecord[] = [];
  for (let i = 0; i < n; i++) {
    const err = typeof errors?.[i] === 'string' ? (errors[i] as string) : '';
    const t = starts ? ((num(starts[i]) ?? t0) - t0) * 1000 : 0;
    const rec: RawRecord = { i, s: 0, n: 1, q: t, t, e: 0, st: err ? 0 : 200, bo: 0, bi: 0 };
    const inLen = num(inLens?.[i]);
    if (inLen !== undefined) rec.iu = rec.io = inLen;
    if (err) {
      rec.ek = 'imported';
      rec.er = err.split('\n').filter(Boolean).pop() ?? err;
      out.push(rec);
      continue;
    }
    const chunks = [(num(ttfts[i]) ?? 0) * 1000];
    const gaps = Array.isArray(itls?.[i]) ? (itls[i] as unknown[]) : [];
    for (const g of gaps) chunks.push(chunks[chunks.length - 1] + (num(g) ?? 0) * 1000);
    const end = num(lat?.[i]) !== undefined ? (lat![i] as number) * 1000 : chunks[chunks.length - 1];
    rec.e = end;
    rec.ev = chunkEvents(chunks, end, true);
    const o = num(outLens?.[i]);
    if (o !== undefined) rec.ou = rec.oo = o;
    out.push(rec);
  }
  return out;
}

function step(j: Json, file: string, version: string | undefined): ImportedStep {
  const by = reportedBy('vllm bench serve', version);
  const metrics: Record<string, MetricSummary> = {};
  for (const [m, label] of METRICS) {
    const d = metricOf(j, m);
    if (d) metrics[m] = labelled(label, 'ms', dist({ ...d, count: m === 'itl' ? undefined : num(j.completed) }), by);
  }
  const completed = num(j.completed) ?? 0;
  const failed = num(j.failed) ?? 0;
  const fig = (key: string, label: string, unit: string) =>
    num(j[key]) !== undefined ? { [key]: { label: `${label} (${by})`, unit, value: j[key] as number } } : {};
  const summary: StepSummary = {
    profile: 'vllm',
    durationSec: num(j.duration) ?? NaN,
    counts: { completed, failed, cancelled: 0, total: completed + failed },
    throughput: {
      ...fig('request_throughput', 'Request throughput', 'req/s'),
      ...fig('output_throughput', 'Output token throughput', 'tok/s'),
      ...fig('total_token_throughput', 'Total token throughput', 'tok/s'),
      ...fig('max_concurrent_requests', 'Peak concurrent requests', 'requests'),
      ...fig('total_input_tokens', 'Total input tokens', 'tokens'),
      ...fig('total_output_tokens', 'Total generated tokens', 'tokens'),
      ...fig('request_goodput', 'Request goodput', 'req/s'),
    },
    metrics,
  };
  const rate = j.request_rate === 'inf' ? Infinity : num(j.request_rate);
  const { label, load } = loadOf(num(j.max_concurrency), rate);
  return { label, load, summary, records: perRequest(j, file) };
}

/** `date` is local time `YYYYMMDD-HHMMSS` without a zone. */
function dateOf(d: unknown): string | undefined {
  const m = typeof d === 'string' ? /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})$/.exec(d) : null;
  return m ? new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]).toISOString() : undefined;
}

export function importVllm(file: string, runs: Json[]): ImportedRun {
  for (const [k, j] of runs.entries())
    if (!isObj(j) || !looksLikeVllm(j))
      throw new ImportError(
        file,
        `line ${k + 1} is not a vllm bench serve result (no completed/request_throughput/backend keys)`,
      );
  const first = runs[0];
  // vLLM does not record its version; `--metadata version=…` puts one at the top level.
  const version =
    typeof first.version === 'string'
      ? first.version
      : typeof first.vllm_version === 'string'
        ? first.vllm_version
        : undefined;
  const steps = runs.map((j) => step(j, file, version));
  const warnings = steps.some((s) => s.records)
    ? []
    : [
        'No per-request data (saved without --save-detailed): only the summary is shown; other profiles cannot be recomputed.',
      ];
  return importedRun(
    {
      file,
      format: 'vllm bench serve --save-result',
      tool: 'vllm bench serve',
      version,
      profile: 'vllm',
      model: typeof first.model_id === 'string' ? first.model_id : undefined,
      api: first.backend === 'openai-chat' ? 'openai-chat' : 'openai-completions',
      finishedAt: dateOf(first.date),
      requests: num(first.num_prompts),
      warnings,
    },
    steps,
  );
}
