/**
 * Plain-text views of results and progress (the CLI prints them; the
 * extension can reuse them for copyable text). Columns follow the profile's
 * own metric names, so a GenAI-Perf "ITL" is never shown as vLLM's ITL.
 */
import type { ProgressSnapshot } from './events';
import type { StepSummary } from './profiles/summary';
import type { BenchResult, StepResult } from './result';
import { profileVersions, type BenchGroup, type ProfileName } from './spec';
import { formatNumber } from '../../shared/format';
import { LATENCY_IDS, latencyAccessor, rateKey, type LatencyId, type RateId } from '../../shared/resultMetrics';

interface Column {
  header: string;
  cell(s: StepResult): string;
}

/** The CLI's short name of each latency: the tool's own where it differs (GenAI-Perf and GuideLLM say "latency"). */
const short: Record<LatencyId, (p: ProfileName) => string> = {
  ttft: () => 'ttft',
  tpot: () => 'tpot',
  itl: () => 'itl',
  e2e: (p) => (p === 'vllm' ? 'e2el' : 'latency'),
};

/** Two columns (p50, p99, in ms) of a latency, read through its accessor. */
function dist(id: LatencyId, profile: ProfileName, group: BenchGroup): Column[] {
  const a = latencyAccessor(id, profile, group);
  if (!a) return [];
  const pick = (s: StepSummary, p: string) => {
    const v = s.metrics[a.key]?.percentiles[p];
    return v === undefined ? undefined : v * a.toMs;
  };
  return [
    { header: `${short[id](profile)} p50`, cell: (s) => formatNumber(pick(s.summary, '50')) },
    { header: `${short[id](profile)} p99`, cell: (s) => formatNumber(pick(s.summary, '99')) },
  ];
}

/** A rate's column, read through its accessor (none when the group has no such rate). */
function rate(id: RateId, profile: ProfileName, group: BenchGroup, header: string, digits = 1): Column[] {
  const key = rateKey(id, profile, group);
  return key === undefined ? [] : [{ header, cell: (s) => formatNumber(s.summary.throughput[key]?.value, digits) }];
}

function columns(profile: ProfileName, group: BenchGroup): Column[] {
  return [
    ...rate('requestsPerSec', profile, group, 'req/s', 2),
    ...rate('outputTokensPerSec', profile, group, 'out tok/s'),
    ...rate('itemsPerSec', profile, group, group === 'image-classification' ? 'images/s' : 'inputs/s'),
    ...rate('inputTokensPerSec', profile, group, 'tok/s'),
    ...LATENCY_IDS.flatMap((id) => dist(id, profile, group)),
  ];
}

function render(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '))
    .join('\n');
}

/** What the short column names mean in each tool (media/guide/benchmarks/metrics.md, exact rules per profile), for the group's columns only. */
const profileNote: Record<ProfileName, { text: string; batch: string }> = {
  vllm: {
    text: 'ttft at first choices chunk, tpot = (e2el − ttft)/(osl − 1), itl = every chunk gap',
    batch: 'e2el = request sent to response complete',
  },
  'genai-perf': {
    text: 'responses = transport reads; ttft at first read with text, itl = (latency − ttft)/(osl − 1)',
    batch: 'latency = request sent to response complete',
  },
  aiperf: {
    text: 'ttft at first text or reasoning message, itl = (latency − ttft)/(osl − 1)',
    batch: 'latency = request sent to response complete',
  },
  guidellm: {
    text: 'itl = (last − first token)/(tokens − 1), tpot includes the first token',
    batch: 'latency = request start to end; req/s and items/s are means of the completion rate',
  },
};

/** Server-controlled text on one line (a message must not fake further lines of the table). */
const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ');

/** Reasoning models: time to the first reasoning and first answer token, and the two token counts apart, per step. */
function reasoningTable(r: BenchResult): string | undefined {
  const steps = r.steps.filter((s) => s.summary.reasoning);
  if (!steps.length) return undefined;
  const rows = [
    [
      'step',
      'requests',
      'reasoning p50',
      'reasoning p99',
      'answer p50',
      'answer p99',
      'reasoning tok',
      'answer tok',
      'counted by',
    ],
    ...steps.map((s) => {
      const x = s.summary.reasoning!;
      const p = (m: typeof x.timeToFirstOutputToken, q: string) => (m ? formatNumber(m.percentiles[q]) : '–');
      return [
        s.label,
        String(x.requests),
        p(x.timeToFirstReasoningToken, '50'),
        p(x.timeToFirstReasoningToken, '99'),
        p(x.timeToFirstOutputToken, '50'),
        p(x.timeToFirstOutputToken, '99'),
        formatNumber(x.reasoningTokens.mean),
        formatNumber(x.answerTokens.mean),
        x.serverCounted === x.requests
          ? 'server'
          : x.serverCounted
            ? `server ${x.serverCounted}/${x.requests}`
            : 'client',
      ];
    }),
  ];
  return `Reasoning: time to first reasoning token and to first answer token (ms from send), tokens per request (mean)\n${render(rows)}`;
}

/** The end-of-run table: one row per step, plus goodput and the engine's own flags. */
export function formatSummaryTable(r: BenchResult): string {
  const cols: Column[] = [
    { header: 'step', cell: (s) => s.label + (s.clientBound ? ' *' : '') },
    { header: 'ok', cell: (s) => String(s.summary.counts.completed) },
    { header: 'failed', cell: (s) => String(s.summary.counts.failed) },
    ...columns(r.profile, r.config.group),
  ];
  if (r.config.slo)
    cols.push({ header: 'goodput %', cell: (s) => formatNumber((s.summary.goodput?.ratio ?? 0) * 100) });
  const rows = [cols.map((c) => c.header), ...r.steps.map((s) => cols.map((c) => c.cell(s)))];
  const lines = [
    `${r.config.group} · ${oneLine(r.server.kind ?? 'server')} ${oneLine(r.server.version ?? '')} · model ${oneLine(r.server.model ?? '?')} · api ${r.config.api} · profile ${r.profile} (${r.imported ? `as reported by ${oneLine(r.tool.name)}${r.tool.version === 'unknown' ? '' : ` ${oneLine(r.tool.version)}`}` : profileVersions[r.profile]}): ${profileNote[r.profile][r.config.group === 'text-generation' ? 'text' : 'batch']} (latencies in ms)`.replace(
      / +/g,
      ' ',
    ),
    render(rows),
  ];
  const adapters = r.steps.flatMap((s) =>
    (s.summary.adapters ?? []).map((a) => {
      const share = s.summary.counts.total ? (100 * a.summary.counts.total) / s.summary.counts.total : 0;
      const view = { ...s, summary: a.summary };
      return [s.label, oneLine(a.name), formatNumber(share), ...cols.slice(1).map((c) => c.cell(view))];
    }),
  );
  if (adapters.length)
    lines.push(
      'LoRA adapters: each adapter’s requests under the same definitions (share % of the step’s requests)',
      render([['step', 'adapter', 'share %', ...cols.slice(1).map((c) => c.header)], ...adapters]),
    );
  const reasoning = reasoningTable(r);
  if (reasoning) lines.push(reasoning);
  for (const s of r.steps) {
    if (!s.failures) continue;
    lines.push(`Failures in ${s.label}:`);
    for (const x of s.failures.slice(0, 3)) lines.push(`  ${x.count} × ${x.kind}: ${oneLine(x.message)}`);
    if (s.failures.length > 3)
      lines.push(`  … ${s.failures.slice(3).reduce((n, x) => n + x.count, 0)} more (see the records)`);
  }
  if (r.goodput?.minGoodput !== undefined)
    lines.push(
      `Goodput: worst step ${formatNumber(r.goodput.worstRatio * 100)} % of requests met the SLO; target ${formatNumber(r.goodput.minGoodput * 100)} %: ${r.goodput.met ? 'met' : 'MISSED'}`,
    );
  if (r.clientBound)
    lines.push(
      `* CLIENT-BOUND: these figures may measure this machine, not the server:\n  ${r.clientBoundReasons.join('\n  ')}`,
    );
  if (r.incomplete) lines.push(`INCOMPLETE: ${r.incompleteReason ?? 'the run did not finish'}`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  lines.push(
    r.recordsPath ? `Raw records: ${r.recordsPath}` : 'Raw records: none (the imported file holds no per-request data)',
  );
  return lines.join('\n');
}

/** One progress line: "c=8  123/200 done: 120 ok  3 failed  4 in flight  42.1 req/s  p50 120 ms  p99 310 ms". */
export function formatSnapshot(label: string, s: ProgressSnapshot, planned?: number): string {
  const done = planned ? `${s.completed + s.failed}/${planned}` : `${s.completed + s.failed}`;
  const ttft = s.ttftP50Ms !== undefined ? `  ttft p50 ${formatNumber(s.ttftP50Ms)} ms` : '';
  return `${label}  ${done} done: ${s.completed} ok  ${s.failed} failed  ${s.inFlight} in flight  ${formatNumber(s.requestsPerSec)} req/s  p50 ${formatNumber(s.latencyP50Ms)} ms  p99 ${formatNumber(s.latencyP99Ms)} ms${ttft}  (${formatNumber(s.elapsedSec, 0)} s)`;
}
