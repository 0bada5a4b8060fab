/**
 * GenAI-Perf exports: `<stem>_genai_perf.json` (a flat object, one `{unit,
 * avg, p1…p99, min, max, std}` block per metric, and `input_config`; no
 * GenAI-Perf version is recorded) and `<stem>_genai_perf.csv` (the same
 * table; values may carry thousands separators). Summary only: the raw
 * perf_analyzer `profile_export.json` holds response texts, not token counts.
 */
import type { MetricSummary, StepSummary } from '../../bench/profiles/summary';
import { block, importAiperfCsv, STAT_METRICS } from './aiperfImport';
import { dist, importedRun, isObj, labelled, loadOf, num, reportedBy, type ImportedRun, type Json } from './common';

export function looksLikeGenaiPerf(j: Json): boolean {
  return (
    !('aiperf_version' in j) &&
    isObj(j.request_latency) &&
    'unit' in (j.request_latency as Json) &&
    ('input_config' in j || 'request_throughput' in j)
  );
}

export function importGenaiPerfJson(file: string, j: Json): ImportedRun {
  const by = reportedBy('GenAI-Perf', undefined);
  const metrics: Record<string, MetricSummary> = {};
  for (const [key, label] of STAT_METRICS) {
    const b = j[key];
    if (isObj(b)) metrics[key] = labelled(label, String(b.unit ?? ''), dist(block(b)), by);
  }
  const avg = (k: string) => (isObj(j[k]) ? num((j[k] as Json).avg) : undefined);
  const completed = avg('request_count') ?? metrics.request_latency?.count ?? 0;
  const throughput: StepSummary['throughput'] = {};
  for (const [k, label, unit] of [
    ['request_throughput', 'Request throughput', 'req/s'],
    ['output_token_throughput', 'Output token throughput', 'tok/s'],
    ['request_count', 'Request count', 'requests'],
    ['request_goodput', 'Request goodput', 'req/s'],
  ] as const) {
    const v = avg(k);
    if (v !== undefined) throughput[k] = { label: `${label} (${by})`, unit, value: v };
  }
  const summary: StepSummary = {
    profile: 'genai-perf',
    durationSec: NaN,
    counts: { completed, failed: 0, cancelled: 0, total: completed },
    throughput,
    metrics,
  };
  const cfg = isObj(j.input_config) ? j.input_config : {};
  // Up to 0.0.12 a flat dict of CLI arguments; from 0.0.13 nested under perf_analyzer.stimulus.
  const pa = isObj(cfg.perf_analyzer) ? cfg.perf_analyzer : {};
  const stim = isObj(pa.stimulus) ? pa.stimulus : {};
  const conc = num(stim.concurrency) ?? num(cfg.concurrency);
  const rate = num(stim.request_rate) ?? num(cfg.request_rate);
  const { label, load } = loadOf(rate !== undefined ? undefined : (conc ?? 1), rate);
  const models = Array.isArray(cfg.model_names) ? cfg.model_names : Array.isArray(cfg.model) ? cfg.model : [cfg.model];
  const endpoint = isObj(cfg.endpoint) ? cfg.endpoint : {};
  return importedRun(
    {
      file,
      format: 'GenAI-Perf profile export (JSON)',
      tool: 'GenAI-Perf',
      profile: 'genai-perf',
      url: typeof endpoint.url === 'string' ? endpoint.url : typeof cfg.url === 'string' ? cfg.url : undefined,
      model: typeof models[0] === 'string' ? models[0] : undefined,
      warnings: ['GenAI-Perf writes no version of itself and no per-request token counts: summary only.'],
    },
    [{ label, load, summary }],
  );
}

export function importGenaiPerfCsv(file: string, text: string): ImportedRun {
  return importAiperfCsv(file, text, 'GenAI-Perf', 'genai-perf');
}
