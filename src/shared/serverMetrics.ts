/**
 * Server, GPU and container series as the results panel draws them: one
 * chart (and one table of the same numbers) per group of gauges, on the time
 * axis of the client timeline (seconds since the run's start).
 */

export interface ServerSeriesLine {
  key: string;
  label: string;
  unit: string;
  /** Per-model or per-GPU series: the label value. */
  entity?: string;
  /** The metric name it was read from. */
  source: string;
  values: Array<number | null>;
  /** A quantile known only as a bound at some times: 'ge' = at least the value, 'le' = at most (aligned with values). */
  bounds?: Array<'ge' | 'le' | null>;
}

export interface ServerChartGroup {
  /** Vocabulary group (`requests`, `cache`, `gpu`, `container`…). */
  id: string;
  title: string;
  /** Seconds since the run's start. */
  t: number[];
  lines: ServerSeriesLine[];
}

/** A server figure against the client's, with the bound it must meet. */
export interface CrossCheckView {
  label: string;
  server: number;
  client: number;
  unit: string;
  bound: string;
  ok: boolean;
  note: string;
}

export interface ServerMetricsView {
  enabled: boolean;
  url?: string;
  intervalMs: number;
  scrapes: { ok: number; failed: number; lastError?: string };
  unavailableReason?: string;
  /** Where GPU figures came from, or why there are none (in words). */
  gpuNote: string;
  groups: ServerChartGroup[];
  crossChecks: CrossCheckView[];
}

/**
 * A table cell for a series value: 6 significant digits, "–" for no value; a value that is only a bound reads
 * "≥ 2000" or "≤ 0.35" (the journey formats the result file the same way).
 */
export function formatSeriesValue(v: number | null | undefined, bound?: 'ge' | 'le' | null): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const n = String(Number(v.toPrecision(6)));
  return bound === 'ge' ? `≥ ${n}` : bound === 'le' ? `≤ ${n}` : n;
}

/** The name of a line in legends and table headers. */
export function lineName(l: Pick<ServerSeriesLine, 'label' | 'entity' | 'unit'>): string {
  return `${l.label}${l.entity ? ` [${l.entity}]` : ''} (${l.unit})`;
}
