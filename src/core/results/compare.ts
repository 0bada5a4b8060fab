/**
 * Deltas of a run against a baseline: for every step the two share (same
 * label) and every figure they both have, the relative change, flagged as a
 * regression when it is worse than the threshold in the metric's direction.
 */
import { higherIsBetter, type CompareView, type DeltaRow, type RunView } from '../../shared/results';

export function compareRuns(baseline: RunView, run: RunView, thresholdPct = 5): CompareView {
  const rows: DeltaRow[] = [];
  const byLabel = new Map(baseline.steps.map((s) => [s.label, s]));
  for (const s of run.steps) {
    const b = byLabel.get(s.label);
    if (!b) continue;
    const push = (metric: string, key: string, unit: string, base: number, value: number) => {
      if (!Number.isFinite(base) || !Number.isFinite(value)) return;
      const change = base === 0 ? (value === 0 ? 0 : Infinity) : (value - base) / Math.abs(base);
      const worse = higherIsBetter(key) ? -change : change;
      rows.push({ step: s.label, metric, unit, baseline: base, value, change, regression: worse * 100 > thresholdPct });
    };
    for (const [k, f] of Object.entries(s.throughput)) if (b.throughput[k]) push(f.label, k, f.unit, b.throughput[k].value, f.value);
    for (const [k, m] of Object.entries(s.metrics)) {
      const bm = b.metrics[k];
      if (!bm) continue;
      push(`${m.label} p50`, k, m.unit, bm.p50, m.p50);
      push(`${m.label} p99`, k, m.unit, bm.p99, m.p99);
    }
  }
  return { baselineId: baseline.id, runId: run.id, rows };
}
