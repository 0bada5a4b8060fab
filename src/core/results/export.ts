/**
 * Exports of a run's per-step summary: CSV (one row per step, one column per
 * figure), a Markdown table, and JSON (the result file itself).
 */
import type { RunView, StepView } from '../../shared/results';

interface Column {
  header: string;
  value(s: StepView): number | string;
}

/** The columns of a run: load, counts, every throughput figure, then p50/p90/p95/p99/mean of every metric. */
export function columnsOf(run: RunView): Column[] {
  const tKeys = [...new Set(run.steps.flatMap((s) => Object.keys(s.throughput)))];
  const mKeys = [...new Set(run.steps.flatMap((s) => Object.keys(s.metrics)))];
  const first = (k: string, pick: (s: StepView) => { label: string; unit: string } | undefined) => {
    for (const s of run.steps) {
      const x = pick(s);
      if (x) return x;
    }
    return { label: k, unit: '' };
  };
  const cols: Column[] = [
    { header: 'step', value: (s) => s.label },
    { header: 'mode', value: (s) => s.mode },
    { header: 'concurrency_or_rate', value: (s) => s.x },
    { header: 'batch_size', value: (s) => s.batchSize },
    { header: 'completed', value: (s) => s.completed },
    { header: 'failed', value: (s) => s.failed },
  ];
  for (const k of tKeys) {
    const f = first(k, (s) => s.throughput[k]);
    cols.push({ header: `${f.label} (${f.unit})`, value: (s) => s.throughput[k]?.value ?? '' });
  }
  for (const k of mKeys) {
    const m = first(k, (s) => s.metrics[k]);
    for (const stat of ['mean', 'p50', 'p90', 'p95', 'p99'] as const) {
      cols.push({ header: `${m.label} ${stat} (${m.unit})`, value: (s) => s.metrics[k]?.[stat] ?? '' });
    }
  }
  if (run.steps.some((s) => s.goodputRatio !== undefined))
    cols.push({ header: 'goodput ratio', value: (s) => s.goodputRatio ?? '' });
  return cols;
}

function fmt(v: number | string): string {
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return v === Infinity ? 'inf' : '';
  return String(Math.round(v * 1000) / 1000);
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(run: RunView): string {
  const cols = columnsOf(run);
  const lines = [cols.map((c) => csvCell(c.header)).join(',')];
  for (const s of run.steps) lines.push(cols.map((c) => csvCell(fmt(c.value(s)))).join(','));
  return `${lines.join('\n')}\n`;
}

export function toMarkdown(run: RunView): string {
  const cols = columnsOf(run);
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const head = `| ${cols.map((c) => esc(c.header)).join(' | ')} |`;
  const sep = `| ${cols.map(() => '---').join(' | ')} |`;
  const rows = run.steps.map((s) => `| ${cols.map((c) => esc(fmt(c.value(s)))).join(' | ')} |`);
  const title = `**${run.name}**: ${run.group}, ${run.server.kind ?? 'server'} ${run.server.model ?? ''} at ${run.server.url}, profile ${run.profile}${run.status !== 'complete' ? ` (${run.status})` : ''}`;
  return `${title}\n\n${[head, sep, ...rows].join('\n')}\n`;
}
