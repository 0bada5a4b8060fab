/**
 * The capacity chart of a capacity search under an SLO: for every load tried,
 * the share of requests over each SLO bound with the upper end of its
 * confidence interval, against the share the SLO allows; the table lists each
 * point's verdict, requests judged and MLPerf-style scenario line. Pure model
 * (no DOM), like model.ts.
 */
import type { RunView } from '../../src/shared/results';
import type { ChartModel, Series } from './model';

const names: Record<string, string> = { ttft: 'TTFT', tpot: 'TPOT', e2el: 'E2E', goodput: 'any bound' };
const pct = (v: number) => Number((100 * v).toFixed(3));

/** Undefined unless the (first) run is a capacity search. */
export function capacityChart(runs: RunView[]): ChartModel | undefined {
  const cap = runs[0]?.capacity;
  if (!cap?.searches.length) return undefined;
  const xLabel = cap.dimension === 'rate' ? 'Request rate (req/s)' : 'Concurrency';
  const series: Series[] = [];
  const rows: string[][] = [];
  const showBatch = cap.searches.length > 1 || runs[0].group !== 'text-generation';
  let color = 0;
  for (const s of cap.searches) {
    const tag = showBatch ? `batch ${s.batchSize}: ` : '';
    const points = [...s.points].sort((a, b) => a.load - b.load);
    const keys = [...new Set(points.flatMap((p) => Object.keys(p.shares)))];
    for (const k of keys) {
      const at = points.filter((p) => p.shares[k]);
      series.push({
        label: `${tag}share over ${names[k] ?? k} bound (%)`,
        color: color++,
        type: 'line',
        points: at.map((p) => ({ x: p.load, y: pct(p.shares[k].share) })),
      });
      series.push({
        label: `${tag}${names[k] ?? k}: upper confidence bound (%)`,
        color: color++,
        type: 'line',
        dashed: true,
        points: at.map((p) => ({ x: p.load, y: pct(p.shares[k].upper) })),
      });
    }
    const allowed = points[0] && Object.values(points[0].shares)[0]?.allowed;
    if (allowed !== undefined)
      series.push({
        label: `${tag}allowed share (%)`,
        color: color++,
        type: 'line',
        dashed: true,
        points: points.map((p) => ({ x: p.load, y: pct(allowed) })),
      });
    for (const p of points) {
      const shares = keys
        .map((k) =>
          p.shares[k] ? `${names[k] ?? k} ${pct(p.shares[k].share)} % (≤ ${pct(p.shares[k].upper)} %)` : '–',
        )
        .join(', ');
      rows.push([
        ...(showBatch ? [String(s.batchSize)] : []),
        String(p.load),
        p.verdict,
        String(p.requests),
        shares,
        p.scenario,
      ]);
    }
  }
  const statements = cap.searches.map((s) => s.statement).join(' ');
  return {
    id: 'capacity',
    title: `Capacity: ${statements}`,
    kind: 'scatter',
    xLabel,
    yLabel: 'Requests over the bound (%)',
    xType: 'linear',
    series,
    table: {
      header: [
        ...(showBatch ? ['Batch size'] : []),
        xLabel,
        'Verdict',
        'Requests judged',
        'Share over bound (upper bound)',
        'Scenario',
      ],
      rows,
    },
  };
}
