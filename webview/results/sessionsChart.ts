/**
 * The chart of a multi-turn sessions run: TTFT by turn index (mean, p50, p99)
 * with the prompt length of the growing history on the second axis; the
 * table lists every turn's figures as the result file has them. Pure model
 * (no DOM), like model.ts.
 */
import type { RunView } from '../../src/shared/results';
import { fmt, type ChartModel, type Series } from './model';

/** Undefined unless the (first) run has a sessions step. */
export function sessionsChart(runs: RunView[]): ChartModel | undefined {
  const s = runs[0]?.sessions?.[0];
  if (!s?.byTurn.length) return undefined;
  const turns = s.byTurn;
  const line = (
    label: string,
    color: number,
    y: (t: (typeof turns)[number]) => number,
    extra: Partial<Series> = {},
  ) => ({
    label,
    color,
    type: 'line' as const,
    points: turns.map((t) => ({ x: String(t.turn), y: y(t) })),
    ...extra,
  });
  const series: Series[] = [
    line('TTFT mean (ms)', 0, (t) => t.ttftMs.mean),
    line('TTFT p50 (ms)', 1, (t) => t.ttftMs.p50),
    line('TTFT p99 (ms)', 2, (t) => t.ttftMs.p99),
    line('Prompt tokens (mean)', 3, (t) => t.inputTokens.mean, { y2: true, dashed: true }),
  ];
  // Counts as they are; means and milliseconds written like every other table of the panel.
  const rows = turns.map((t) => [
    ...[t.turn, t.requests, t.succeeded].map(String),
    ...[t.inputTokens.mean, t.ttftMs.mean, t.ttftMs.p50, t.ttftMs.p90, t.ttftMs.p99, t.e2elMs.mean].map(fmt),
  ]);
  return {
    id: 'sessions',
    title: `TTFT by turn: ${s.users} users × ${s.turns} turns, think time ${s.thinkTimeSec} s; ${s.completed} of ${s.conversations} conversations completed (duration p50 ${s.durationSec.p50} s)`,
    kind: 'line',
    xLabel: 'Turn',
    yLabel: 'TTFT (ms)',
    y2Label: 'Prompt tokens',
    xType: 'category',
    categories: turns.map((t) => String(t.turn)),
    series,
    table: {
      header: [
        'Turn',
        'Requests',
        'Succeeded',
        'Prompt tokens (mean)',
        'TTFT mean (ms)',
        'TTFT p50 (ms)',
        'TTFT p90 (ms)',
        'TTFT p99 (ms)',
        'E2E mean (ms)',
      ],
      rows,
    },
  };
}
