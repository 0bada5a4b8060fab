/**
 * kubernetes-sigs inference-perf reports: `summary_lifecycle_metrics.json`
 * and `stage_N_lifecycle_metrics.json` (latencies in seconds, `median` and
 * `p<%g>` keys), with `per_request_lifecycle_metrics.json` beside them when
 * `report.request_lifecycle.per_request` was on (a JSON array:
 * `start_time`/`end_time` perf_counter seconds, `info.response_metrics`
 * `chunk_times`, token counts, `error`). Shown under the vLLM profile's keys
 * (ttft, tpot, itl, e2el), whose definitions inference-perf shares: TPOT =
 * (last chunk − first chunk)/(N − 1), ITL = pooled chunk gaps. No tool
 * version is written to any of its files.
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

export function looksLikeInferencePerf(j: Json): boolean {
  return isObj(j.successes) && isObj(j.failures) && ('load_summary' in j || 'benchmark_time_seconds' in j);
}

function block(b: unknown): Parameters<typeof dist>[0] | undefined {
  if (!isObj(b)) return undefined;
  const percentiles: Record<string, number | undefined> = {};
  for (const [k, v] of Object.entries(b)) {
    const m = /^p(\d+(?:\.\d+)?)$/.exec(k);
    if (m) percentiles[String(Number(m[1]))] = num(v);
  }
  if (num(b.median) !== undefined) percentiles['50'] = num(b.median);
  return { mean: num(b.mean), median: num(b.median), min: num(b.min), max: num(b.max), percentiles };
}

export function inferencePerfRecords(file: string, text: string): RawRecord[] {
  let arr: unknown;
  try {
    arr = JSON.parse(text);
  } catch (e) {
    throw new ImportError(file, `not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!Array.isArray(arr)) throw new ImportError(file, 'a per-request report must be a JSON array');
  const rows = arr.filter(isObj);
  const t0 = Math.min(...rows.map((r) => num(r.start_time) ?? Infinity));
  return rows
    .map((r, i): RawRecord => {
      const start = num(r.start_time) ?? t0;
      const end = num(r.end_time) ?? start;
      const t = (start - t0) * 1000;
      const rec: RawRecord = { i, s: 0, n: 1, q: t, t, e: (end - start) * 1000, st: 200, bo: 0, bi: 0 };
      const info = isObj(r.info) ? r.info : {};
      const reqM = isObj(info.request_metrics) ? info.request_metrics : {};
      const inTok = isObj(reqM.text) ? num((reqM.text as Json).input_tokens) : num(info.input_tokens);
      if (inTok !== undefined) rec.io = inTok;
      const resM = isObj(info.response_metrics)
        ? info.response_metrics
        : isObj(info.response_info)
          ? info.response_info
          : info;
      const usage = isObj(resM.server_usage) ? resM.server_usage : undefined;
      if (usage) {
        rec.iu = num(usage.prompt_tokens);
        rec.ou = num(usage.completion_tokens);
      }
      const outTok = num(resM.output_tokens);
      if (outTok !== undefined) rec.oo = outTok;
      if (isObj(r.error)) {
        const msg = String((r.error as Json).error_msg ?? (r.error as Json).error_type ?? 'error');
        rec.st = Number(/\b([1-5]\d\d)\b/.exec(msg)?.[1] ?? 0);
        rec.ek = 'imported';
        rec.er = msg;
        return rec;
      }
      const times = Array.isArray(resM.chunk_times)
        ? (resM.chunk_times as unknown[]).map((x) => ((num(x) ?? start) - start) * 1000)
        : [];
      if (times.length) rec.ev = chunkEvents(times, rec.e, !!usage);
      return rec;
    })
    .sort((a, b) => a.t - b.t)
    .map((r, i) => ({ ...r, i }));
}

export function importInferencePerf(file: string, j: Json): ImportedRun {
  const by = reportedBy('inference-perf', undefined);
  const succ = j.successes as Json;
  const lat = isObj(succ.latency) ? succ.latency : {};
  const metrics: Record<string, MetricSummary> = {};
  const count = num(succ.count) ?? 0;
  for (const [key, src, label] of [
    ['ttft', 'time_to_first_token', 'TTFT'],
    ['tpot', 'time_per_output_token', 'TPOT'],
    ['itl', 'inter_token_latency', 'ITL'],
    ['e2el', 'request_latency', 'E2E latency'],
    ['ntpot', 'normalized_time_per_output_token', 'Normalized time per output token (E2E / N)'],
  ] as const) {
    const b = block(lat[src]);
    if (b) metrics[key] = labelled(label, 'ms', dist({ ...b, count: key === 'itl' ? undefined : count }, 1000), by);
  }
  const thr = isObj(succ.throughput) ? succ.throughput : {};
  const throughput: StepSummary['throughput'] = {};
  for (const [key, src, label, unit] of [
    ['request_throughput', 'requests_per_sec', 'Request throughput', 'req/s'],
    ['output_throughput', 'output_tokens_per_sec', 'Output token throughput', 'tok/s'],
    ['total_token_throughput', 'total_tokens_per_sec', 'Total token throughput', 'tok/s'],
  ] as const) {
    const v = num(thr[src]);
    if (v !== undefined) throughput[key] = { label: `${label} (${by})`, unit, value: v };
  }
  const failed = num((j.failures as Json).count) ?? 0;
  const summary: StepSummary = {
    profile: 'vllm',
    durationSec: num(j.benchmark_time_seconds) ?? NaN,
    counts: { completed: count, failed, cancelled: 0, total: count + failed },
    throughput,
    metrics,
  };
  const ls = isObj(j.load_summary) ? j.load_summary : {};
  const dir = path.dirname(file);
  // The run's config.yaml names the load; the stage file carries concurrency for concurrent loads.
  const concurrency = num(ls.concurrency);
  const rate = num(ls.requested_rate);
  const { label, load } = loadOf(concurrency, concurrency === undefined ? rate : undefined);
  const perReq = path.join(
    dir,
    path.basename(file).replace(/(summary|stage_\d+)_lifecycle_metrics\.json$/, 'per_request_lifecycle_metrics.json'),
  );
  const records =
    perReq !== file && fs.existsSync(perReq) && /summary_lifecycle/.test(file)
      ? inferencePerfRecords(perReq, fs.readFileSync(perReq, 'utf8'))
      : undefined;
  return importedRun(
    {
      file,
      format: 'inference-perf lifecycle report',
      tool: 'inference-perf',
      profile: 'vllm',
      requests: num(ls.count),
      warnings: [
        'inference-perf writes no tool version. Its TPOT is (last chunk − first chunk)/(N − 1) and its ITL pools chunk gaps, shown under the vLLM profile keys; NTPOT is E2E / N.',
        ...(records ? [`Per-request records from ${path.basename(perReq)}.`] : []),
      ],
    },
    [{ label: concurrency === undefined && rate === undefined ? 'summary' : label, load, summary, records }],
  );
}
