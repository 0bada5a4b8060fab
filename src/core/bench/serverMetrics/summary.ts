/**
 * Plain-text lines about a run's server metrics for the CLI: where they came
 * from, each series' mean and maximum over the run, the GPU source (or why
 * there is none) and the cross-checks with their bounds.
 */
import { formatNumber, METRIC } from '../../../shared/format';
import type { MetricSeries, ServerMetricsResult } from './types';

export interface SeriesStats {
  mean: number;
  min: number;
  max: number;
  last: number;
  count: number;
}

/** Mean, min, max and last of the non-null values; undefined when there are none. */
export function seriesStats(values: ReadonlyArray<number | null>): SeriesStats | undefined {
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let last = NaN;
  for (const v of values) {
    if (v === null) continue;
    n++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
    last = v;
  }
  return n ? { mean: sum / n, min, max, last, count: n } : undefined;
}

const fmt = (v: number) => formatNumber(v, METRIC);

export function seriesName(s: Pick<MetricSeries, 'label' | 'entity'>): string {
  return s.entity ? `${s.label} [${s.entity}]` : s.label;
}

/** How many readings of a quantile series are only a bound, in words ("" when none is). */
function boundsNote(s: MetricSeries): string {
  const ge = s.bounds?.filter((b) => b === 'ge').length ?? 0;
  const le = s.bounds?.filter((b) => b === 'le').length ?? 0;
  const parts = [
    ge ? `${ge} reading${ge > 1 ? 's' : ''} above the top bucket (≥ its bound)` : '',
    le ? `${le} reading${le > 1 ? 's' : ''} only a bound (≤ mean/(1−q))` : '',
  ].filter(Boolean);
  return parts.length ? `  (${parts.join(', ')})` : '';
}

function block(title: string, series: MetricSeries[]): string[] {
  const rows = series.flatMap((s) => {
    const st = seriesStats(s.values);
    return st
      ? [
          `  ${seriesName(s).padEnd(44)} mean ${fmt(st.mean).padStart(8)}  max ${fmt(st.max).padStart(8)}  ${s.unit}${boundsNote(s)}`,
        ]
      : [];
  });
  return rows.length ? [title, ...rows] : [];
}

export function formatServerMetrics(sm: ServerMetricsResult): string {
  if (!sm.enabled) return 'Server metrics: off';
  const lines: string[] = [];
  const head = sm.url
    ? `Server metrics: ${sm.url} every ${sm.intervalMs / 1000} s, ${sm.scrapes.ok} scrapes${sm.scrapes.failed ? `, ${sm.scrapes.failed} failed (${sm.scrapes.lastError ?? ''})` : ''}`
    : 'Server metrics: none';
  lines.push(head);
  if (sm.unavailableReason) lines.push(`  ${sm.unavailableReason}`);
  lines.push(...block('', sm.server.series).slice(1));
  lines.push(sm.gpu.source === 'none' ? `GPU: ${sm.gpu.detail}` : `GPU (${sm.gpu.detail}):`);
  lines.push(...block('', sm.gpu.series).slice(1));
  if (sm.container) lines.push(...block(`Container ${sm.container.name} (Docker stats):`, sm.container.series));
  for (const c of sm.crossChecks)
    lines.push(
      `Cross-check ${c.label}: server ${fmt(c.server)} vs client ${fmt(c.client)} ${c.unit} (${c.bound}) ${c.ok ? 'ok' : 'DISAGREES'}`,
    );
  if (sm.rawPath) lines.push(`Raw series: ${sm.rawPath}`);
  return lines.join('\n');
}
