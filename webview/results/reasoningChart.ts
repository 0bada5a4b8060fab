/**
 * Reasoning models: per step, the time to the first reasoning token and to
 * the first answer token (p50 and p99 bars, ms from the send); the table adds
 * the reasoning and answer tokens per request and in total, and whose count
 * they are. Pure model (no DOM), like model.ts; the numbers are the result's
 * `summary.reasoning` as the host put them in each step's `reasoning`.
 */
import type { RunView } from '../../src/shared/results';
import { fmt, type ChartModel, type Series } from './model';

/** Undefined unless a step of the runs carried reasoning text. */
export function reasoningChart(runs: RunView[]): ChartModel | undefined {
  if (!runs.some((r) => r.steps.some((s) => s.reasoning))) return undefined;
  const multi = runs.length > 1;
  const series: Series[] = [];
  const rows: string[][] = [];
  runs.forEach((r, ri) => {
    const steps = r.steps.filter((s) => s.reasoning);
    const tag = multi ? `${r.name}: ` : '';
    const bars: Array<[string, 'firstReasoning' | 'firstAnswer', 'p50' | 'p99']> = [
      ['first reasoning token p50', 'firstReasoning', 'p50'],
      ['first reasoning token p99', 'firstReasoning', 'p99'],
      ['first answer token p50', 'firstAnswer', 'p50'],
      ['first answer token p99', 'firstAnswer', 'p99'],
    ];
    bars.forEach(([label, key, q], i) =>
      series.push({
        label: `${tag}${label} (ms)`,
        color: i,
        shade: Math.max(0.3, 0.85 - ri * 0.3),
        type: 'bar',
        points: steps.map((s) => ({ x: s.label, y: s.reasoning![key]?.[q] ?? NaN })),
      }),
    );
    for (const s of steps) {
      const x = s.reasoning!;
      rows.push([
        ...(multi ? [r.name] : []),
        s.label,
        String(x.requests),
        fmt(x.firstReasoning.p50),
        fmt(x.firstReasoning.p99),
        fmt(x.firstAnswer?.p50),
        fmt(x.firstAnswer?.p99),
        fmt(x.reasoningTokens.mean),
        fmt(x.answerTokens.mean),
        String(x.totalReasoningTokens),
        String(x.totalAnswerTokens),
        x.serverCounted === x.requests
          ? 'server usage'
          : x.serverCounted
            ? `server usage for ${x.serverCounted} of ${x.requests}`
            : 'our count',
      ]);
    }
  });
  return {
    id: 'reasoning',
    title: 'Reasoning: time to the first reasoning token and to the first answer token',
    kind: 'bar',
    xLabel: 'Step',
    yLabel: 'Time from send (ms)',
    xType: 'category',
    categories: [...new Set(runs.flatMap((r) => r.steps.filter((s) => s.reasoning).map((s) => s.label)))],
    series,
    table: {
      header: [
        ...(multi ? ['Run'] : []),
        'Step',
        'Requests with reasoning',
        'First reasoning token p50 (ms)',
        'First reasoning token p99 (ms)',
        'First answer token p50 (ms)',
        'First answer token p99 (ms)',
        'Reasoning tokens per request',
        'Answer tokens per request',
        'Reasoning tokens',
        'Answer tokens',
        'Token counts',
      ],
      rows,
    },
  };
}
