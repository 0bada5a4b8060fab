/**
 * The one place that turns figures into text (pure: the core, the CLI and the webviews use it).
 * Every rounded number the product prints goes through `formatNumber`; the callers differ only in
 * the precision they ask for.
 */

/**
 * Decimal places: a fixed count, or by the figure's size — steps of `[at least, digits]`, largest
 * first; the first step whose bound |v| reaches wins (the last step should start at 0).
 */
export type Precision = number | readonly (readonly [atLeast: number, digits: number])[];

/** Lists and headlines: whole numbers from 1000, one decimal from 1, three below 1. */
export const HEADLINE: Precision = [
  [1000, 0],
  [1, 1],
  [0, 3],
];
/** Chart tables of the results panel: one decimal from 100, two below. */
export const TABLE: Precision = [
  [100, 1],
  [0, 2],
];
/** Server metric summaries: whole numbers from 100, one decimal from 10, two below. */
export const METRIC: Precision = [
  [100, 0],
  [10, 1],
  [0, 2],
];

/**
 * A figure as text: "–" when there is none (undefined, NaN, −∞), "inf" for +∞ (an unbounded
 * request rate), otherwise `toFixed` with the precision's decimals.
 */
export function formatNumber(v: number | undefined, precision: Precision = 1): string {
  if (v === undefined || Number.isNaN(v) || v === -Infinity) return '–';
  if (v === Infinity) return 'inf';
  if (typeof precision === 'number') return v.toFixed(precision);
  const a = Math.abs(v);
  const step = precision.find(([atLeast]) => a >= atLeast) ?? precision[precision.length - 1];
  return v.toFixed(step[1]);
}

/** A duration: "—" when unknown; 42.3 ms, 250 ms, 1.23 s, 12.3 s. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms >= 1000)
    return `${formatNumber(ms / 1000, [
      [10, 1],
      [0, 2],
    ])} s`;
  return `${formatNumber(ms, [
    [100, 0],
    [0, 1],
  ])} ms`;
}

/** Sizes as the panel and messages write them. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
