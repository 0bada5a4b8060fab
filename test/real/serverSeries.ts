/**
 * Reading a bench run's server series in the conformance checks: a series by key (and model), a rate integrated
 * over the run's intervals (= the counter's Δ between the first and last reading), and a raw counter's Δ straight
 * from the raw-series file (the exposition text's own numbers).
 */
import assert from 'node:assert/strict';
import type { RawSeries } from '../../src/core/bench/serverMetrics/rawSeries';
import type { MetricSeries, ServerMetricsResult } from '../../src/core/bench/serverMetrics/types';

export interface ScrapedRun {
  sm?: ServerMetricsResult;
  raw?: RawSeries;
}

export function serverSeries(sm: ServerMetricsResult) {
  const series = (key: string, entity?: string): MetricSeries => {
    const s = sm.server.series.find((x) => x.key === key && x.entity === entity);
    assert.ok(s, `no series ${key}${entity ? `[${entity}]` : ''} in ${sm.server.series.map((x) => x.key).join(', ')}`);
    return s;
  };
  /** Σ rate × interval, rounded to 1e-3 (the counter's growth over the run). */
  const integral = (key: string, entity?: string) =>
    Math.round(
      series(key, entity).values.reduce<number>(
        (a, v, i) => a + (v ?? 0) * (i ? (sm.server.t[i] - sm.server.t[i - 1]) / 1000 : 0),
        0,
      ) * 1000,
    ) / 1000;
  return { series, integral };
}

/** The growth of the raw counter `name` whose labels include `label` (e.g. `model="image"`), first to last reading. */
export function rawDelta(raw: RawSeries | undefined, name: string, label: string): number {
  const v = rawValues(raw, name, label);
  return (v[v.length - 1] ?? 0) - (v[0] ?? 0);
}

/** The raw values of the series `name` whose labels include `label`, one per reading (null where absent). */
export function rawValues(raw: RawSeries | undefined, name: string, label: string): Array<number | null> {
  assert.ok(raw, 'no raw series file');
  const src = raw.sources.get('server');
  assert.ok(src, 'no raw server series');
  const k = [...src.series.keys()].find((x) => x.startsWith(`${name}{`) && x.includes(label));
  assert.ok(k, `no raw ${name} with ${label} in ${[...src.series.keys()].slice(0, 20).join(', ')}`);
  return src.series.get(k)!;
}

/** The usual health of a run's scraping: on, from `url`, no failed reading, at least two readings. */
export function assertScraped(sm: ServerMetricsResult | undefined, url: string): asserts sm is ServerMetricsResult {
  assert.ok(sm?.enabled, 'the result has no serverMetrics');
  assert.equal(sm.url, url);
  assert.equal(sm.scrapes.failed, 0, `scrapes failed: ${sm.scrapes.lastError}`);
  assert.ok(sm.scrapes.ok >= 2, `${sm.scrapes.ok} scrapes`);
}
