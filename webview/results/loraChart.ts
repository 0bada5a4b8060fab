/**
 * LoRA traffic: per adapter (and step), TTFT and E2E latency p50/p99 as bars;
 * the table adds each adapter's share of the step's requests, its counts and
 * its rates. Pure model (no DOM), like model.ts; the numbers are the result's
 * `summary.adapters` as the host put them in each step's `adapters`.
 */
import type { RunView } from '../../src/shared/results';
import { fmt, type ChartModel, type Series } from './model';

/** Undefined unless the (first) run split its traffic over LoRA adapters. */
export function loraChart(runs: RunView[]): ChartModel | undefined {
  const run = runs[0];
  const steps = run?.steps.filter((s) => s.adapters?.length) ?? [];
  if (!steps.length) return undefined;
  const manySteps = steps.length > 1;
  const category = (step: string, adapter: string) => (manySteps ? `${step} · ${adapter}` : adapter);
  const ttft = steps[0].adapters![0].step.latency.ttft?.label ?? 'TTFT';
  const e2e = steps[0].adapters![0].step.latency.e2e?.label ?? 'E2E latency';
  const bars: Array<[string, 'ttft' | 'e2e', 'p50' | 'p99']> = [
    [`${ttft} p50`, 'ttft', 'p50'],
    [`${ttft} p99`, 'ttft', 'p99'],
    [`${e2e} p50`, 'e2e', 'p50'],
    [`${e2e} p99`, 'e2e', 'p99'],
  ];
  const series: Series[] = bars.map(([label, id, q], i) => ({
    label: `${label} (ms)`,
    color: i,
    type: 'bar',
    points: steps.flatMap((s) =>
      s.adapters!.map((a) => ({ x: category(s.label, a.name), y: a.step.latency[id]?.[q] ?? NaN })),
    ),
  }));
  const rows = steps.flatMap((s) =>
    s.adapters!.map((a) => [
      s.label,
      a.name,
      String(a.step.sent),
      fmt(s.sent ? (100 * a.step.sent) / s.sent : 0),
      String(a.step.completed),
      String(a.step.failed),
      fmt(a.step.rates.requestsPerSec),
      fmt(a.step.rates.outputTokensPerSec),
      fmt(a.step.latency.ttft?.p50),
      fmt(a.step.latency.ttft?.p99),
      fmt(a.step.latency.e2e?.p50),
      fmt(a.step.latency.e2e?.p99),
    ]),
  );
  return {
    id: 'lora',
    title: 'LoRA adapters: latency per adapter',
    kind: 'bar',
    xLabel: manySteps ? 'Step · adapter' : 'Adapter',
    yLabel: 'Latency (ms)',
    xType: 'category',
    categories: steps.flatMap((s) => s.adapters!.map((a) => category(s.label, a.name))),
    series,
    table: {
      header: [
        'Step',
        'Adapter',
        'Requests',
        'Share of requests (%)',
        'Completed',
        'Failed',
        'Requests/s',
        'Output tokens/s',
        `${ttft} p50 (ms)`,
        `${ttft} p99 (ms)`,
        `${e2e} p50 (ms)`,
        `${e2e} p99 (ms)`,
      ],
      rows,
    },
  };
}
