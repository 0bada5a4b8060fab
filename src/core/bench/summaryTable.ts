/**
 * Plain-text views of results and progress (the CLI prints them; the
 * extension can reuse them for copyable text). Columns follow the profile's
 * own metric names, so a GenAI-Perf "ITL" is never shown as vLLM's ITL.
 */
import type { ProgressSnapshot } from './events';
import type { StepSummary } from './profiles/summary';
import type { BenchResult, StepResult } from './result';
import { profileVersions, type BenchGroup, type ProfileName } from './spec';

interface Column {
  header: string;
  cell(s: StepResult): string;
}

const f = (v: number | undefined, digits = 1) => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));

/** Two columns (p50, p99) of the metric `key`, headed by the tool's short name for it. */
function dist(key: string, short: string, scale = 1): Column[] {
  const pick = (s: StepSummary, p: string) => {
    const m = s.metrics[key];
    return m ? (p === 'mean' ? m.mean : m.percentiles[p]) * scale : undefined;
  };
  return [
    { header: `${short} p50`, cell: (s) => f(pick(s.summary, '50')) },
    { header: `${short} p99`, cell: (s) => f(pick(s.summary, '99')) },
  ];
}

const fig = (key: string, header: string, digits = 1): Column => ({ header, cell: (s) => f(s.summary.throughput[key]?.value, digits) });

const textColumns: Record<ProfileName, Column[]> = {
  vllm: [fig('request_throughput', 'req/s', 2), fig('output_throughput', 'out tok/s'), ...dist('ttft', 'ttft'), ...dist('tpot', 'tpot'), ...dist('itl', 'itl'), ...dist('e2el', 'e2el')],
  'genai-perf': [fig('request_throughput', 'req/s', 2), fig('output_token_throughput', 'out tok/s'), ...dist('time_to_first_token', 'ttft'), ...dist('inter_token_latency', 'itl'), ...dist('request_latency', 'latency')],
  aiperf: [fig('request_throughput', 'req/s', 2), fig('output_token_throughput', 'out tok/s'), ...dist('time_to_first_token', 'ttft'), ...dist('inter_token_latency', 'itl'), ...dist('request_latency', 'latency')],
  guidellm: [fig('requests_per_second', 'req/s', 2), fig('output_tokens_per_second', 'out tok/s'), ...dist('time_to_first_token_ms', 'ttft'), ...dist('inter_token_latency_ms', 'itl'), ...dist('time_per_output_token_ms', 'tpot'), ...dist('request_latency', 'latency', 1000)],
};

function batchColumns(profile: ProfileName, group: BenchGroup): Column[] {
  const items = group === 'image-classification' ? fig('imagesPerSec', 'images/s') : fig('inputsPerSec', 'inputs/s');
  const reqs = profile === 'guidellm' ? fig('requests_per_second', 'req/s', 2) : fig('request_throughput', 'req/s', 2);
  const lat = profile === 'vllm' ? dist('e2el', 'e2el') : profile === 'guidellm' ? dist('request_latency', 'latency', 1000) : dist('request_latency', 'latency');
  const tokensKey = { vllm: 'total_token_throughput', 'genai-perf': 'input_token_throughput', guidellm: 'prompt_tokens_per_second', aiperf: 'input_token_throughput' }[profile];
  return group === 'embeddings' ? [reqs, items, fig(tokensKey, 'tok/s'), ...lat] : [reqs, items, ...lat];
}

function render(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
}

/** What the short column names mean in each tool (README, Profiles). */
const profileNote: Record<ProfileName, string> = {
  vllm: 'ttft at first choices chunk, tpot = (e2el − ttft)/(osl − 1), itl = every chunk gap',
  'genai-perf': 'responses = transport reads; ttft at first read with text, itl = (latency − ttft)/(osl − 1)',
  aiperf: 'ttft at first text or reasoning message, itl = (latency − ttft)/(osl − 1)',
  guidellm: 'itl = (last − first token)/(tokens − 1), tpot includes the first token',
};

/** The end-of-run table: one row per step, plus goodput and the engine's own flags. */
export function formatSummaryTable(r: BenchResult): string {
  const cols: Column[] = [
    { header: 'step', cell: (s) => s.label + (s.clientBound ? ' *' : '') },
    { header: 'ok', cell: (s) => String(s.summary.counts.completed) },
    { header: 'failed', cell: (s) => String(s.summary.counts.failed) },
    ...(r.config.group === 'text-generation' ? textColumns[r.profile] : batchColumns(r.profile, r.config.group)),
  ];
  if (r.config.slo) cols.push({ header: 'goodput %', cell: (s) => f((s.summary.goodput?.ratio ?? 0) * 100) });
  const rows = [cols.map((c) => c.header), ...r.steps.map((s) => cols.map((c) => c.cell(s)))];
  const lines = [`${r.config.group} · ${r.server.kind ?? 'server'} ${r.server.version ?? ''} · model ${r.server.model ?? '?'} · api ${r.config.api} · profile ${r.profile} (${profileVersions[r.profile]}): ${profileNote[r.profile]} (latencies in ms)`.replace(/ +/g, ' '), render(rows)];
  if (r.goodput?.minGoodput !== undefined) lines.push(`Goodput: worst step ${f(r.goodput.worstRatio * 100)} % of requests met the SLO; target ${f(r.goodput.minGoodput * 100)} %: ${r.goodput.met ? 'met' : 'MISSED'}`);
  if (r.clientBound) lines.push(`* CLIENT-BOUND: these figures may measure this machine, not the server:\n  ${r.clientBoundReasons.join('\n  ')}`);
  if (r.incomplete) lines.push(`INCOMPLETE: ${r.incompleteReason ?? 'the run did not finish'}`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  lines.push(`Raw records: ${r.recordsPath}`);
  return lines.join('\n');
}

/** One progress line: "c=8  120/200 ok  3 failed  42.1 req/s  p50 120 ms  p99 310 ms". */
export function formatSnapshot(label: string, s: ProgressSnapshot, planned?: number): string {
  const done = planned ? `${s.completed + s.failed}/${planned}` : `${s.completed + s.failed}`;
  const ttft = s.ttftP50Ms !== undefined ? `  ttft p50 ${f(s.ttftP50Ms)} ms` : '';
  return `${label}  ${done} done  ${s.failed} failed  ${s.inFlight} in flight  ${f(s.requestsPerSec)} req/s  p50 ${f(s.latencyP50Ms)} ms  p99 ${f(s.latencyP99Ms)} ms${ttft}  (${f(s.elapsedSec, 0)} s)`;
}
