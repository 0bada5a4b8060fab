/**
 * The results panel's view of server metrics: a run's stored series (after
 * the run) or the points received so far (live), grouped into one chart per
 * gauge group, times in seconds since the run's start.
 */
import type { LivePoint } from '../../../shared/messages/results';
import type { ServerChartGroup, ServerMetricsView } from '../../../shared/serverMetrics';
import type { ProgressSnapshot } from '../events';
import type { MetricSeries, ServerMetricsInfo, ServerMetricsPoint, ServerMetricsResult, SeriesSet } from './types';
import type { GaugeGroup } from './types';
import { groupTitles } from './vocabulary';

const order = Object.keys(groupTitles) as GaugeGroup[];

function groupsOf(set: SeriesSet, source: 'server' | 'gpu' | 'container'): ServerChartGroup[] {
  const t = set.t.map((ms) => ms / 1000);
  const by = new Map<GaugeGroup, MetricSeries[]>();
  for (const s of set.series) {
    const list = by.get(s.group);
    if (list) list.push(s);
    else by.set(s.group, [s]);
  }
  return order.flatMap((g) => {
    const list = by.get(g);
    if (!list?.length) return [];
    // The server's own GPU figures (Triton, TorchServe) and the GPU source's are separate charts.
    const id = source === 'server' && g === 'gpu' ? 'gpu-server' : g;
    const title = id === 'gpu-server' ? 'GPU (as the server reports it)' : groupTitles[g];
    return [
      {
        id,
        title,
        t,
        lines: list.map(({ key, label, unit, entity, source: src, values, bounds }) => ({
          key,
          label,
          unit,
          source: src,
          values,
          ...(entity !== undefined && { entity }),
          ...(bounds && { bounds }),
        })),
      },
    ];
  });
}

export function serverMetricsView(sm: ServerMetricsResult): ServerMetricsView {
  const groups = [
    ...groupsOf(sm.server, 'server'),
    ...groupsOf(sm.gpu, 'gpu'),
    ...(sm.container ? groupsOf(sm.container, 'container') : []),
  ];
  const out: ServerMetricsView = {
    enabled: sm.enabled,
    intervalMs: sm.intervalMs,
    scrapes: sm.scrapes,
    gpuNote: sm.gpu.detail,
    groups,
    crossChecks: sm.crossChecks.map(({ label, server, client, unit, bound, ok, note }) => ({
      label,
      server,
      client,
      unit,
      bound,
      ok,
      note,
    })),
  };
  if (sm.url) out.url = sm.url;
  if (sm.unavailableReason) out.unavailableReason = sm.unavailableReason;
  return out;
}

/** Accumulates live points (progress events) into series, keeping at most `maxPoints` per source. */
export class LiveServerMetrics {
  private readonly sets = new Map<ServerMetricsPoint['source'], { t: number[]; series: Map<string, MetricSeries> }>();
  private info: ServerMetricsInfo | undefined;

  constructor(private readonly maxPoints = 600) {}

  start(info: ServerMetricsInfo): void {
    this.info = info;
  }

  add(p: ServerMetricsPoint): void {
    let set = this.sets.get(p.source);
    if (!set) this.sets.set(p.source, (set = { t: [], series: new Map() }));
    const at = set.t.length;
    set.t.push(p.tMs);
    for (const v of p.values) {
      const id = `${v.key}\u0000${v.entity ?? ''}`;
      let s = set.series.get(id);
      if (!s) {
        const { value: _v, bound: _b, ...meta } = v;
        set.series.set(id, (s = { ...meta, values: new Array<number | null>(at).fill(null) }));
      }
      s.values[at] = v.value;
      if (v.bound) (s.bounds ??= new Array<'ge' | 'le' | null>(at).fill(null))[at] = v.bound;
      else if (s.bounds) s.bounds[at] = null;
    }
    for (const s of set.series.values()) {
      if (s.values.length <= at) s.values[at] = null;
      if (s.bounds && s.bounds.length <= at) s.bounds[at] = null;
    }
    if (set.t.length > this.maxPoints) {
      const drop = set.t.length - this.maxPoints;
      set.t.splice(0, drop);
      for (const s of set.series.values()) {
        s.values.splice(0, drop);
        s.bounds?.splice(0, drop);
      }
    }
  }

  view(): ServerMetricsView {
    const set = (src: ServerMetricsPoint['source']): SeriesSet => {
      const s = this.sets.get(src);
      return s
        ? {
            t: [...s.t],
            series: [...s.series.values()].map((x) => ({
              ...x,
              values: [...x.values],
              ...(x.bounds && { bounds: [...x.bounds] }),
            })),
          }
        : { t: [], series: [] };
    };
    const server = this.sets.get('server')?.t.length ?? 0;
    const out: ServerMetricsView = {
      enabled: true,
      intervalMs: this.info?.intervalMs ?? 1000,
      scrapes: { ok: server, failed: 0 },
      gpuNote: this.info?.gpu ?? 'Looking for GPU telemetry…',
      groups: [
        ...groupsOf(set('server'), 'server'),
        ...groupsOf(set('gpu'), 'gpu'),
        ...groupsOf(set('container'), 'container'),
      ],
      crossChecks: [],
    };
    if (this.info?.url) out.url = this.info.url;
    if (this.info?.unavailableReason) out.unavailableReason = this.info.unavailableReason;
    return out;
  }
}

/**
 * A live client point from a progress snapshot, on the run's clock (seconds since the run's start: the origin of
 * the server points and of the records), so live client and server charts share one time axis. `fallbackSec`
 * (the host's own clock) only for a snapshot without `tMs`.
 */
export function liveClientPoint(e: ProgressSnapshot, fallbackSec: number): LivePoint {
  const p: LivePoint = {
    t: e.tMs !== undefined ? e.tMs / 1000 : fallbackSec,
    requestsPerSec: e.requestsPerSec,
    latencyP50Ms: e.latencyP50Ms,
    latencyP99Ms: e.latencyP99Ms,
    outputTokensPerSec: e.outputTokensPerSec,
  };
  if (e.ttftP50Ms !== undefined) p.ttftP50Ms = e.ttftP50Ms;
  return p;
}
