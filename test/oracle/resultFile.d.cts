import type { ProfileName } from '../../src/core/bench/spec';

type ByProfile<T> = Record<ProfileName, T>;

export const fileKeys: {
  requests: ByProfile<string>;
  outputTokens: ByProfile<string>;
  e2e: ByProfile<readonly [string, number]>;
  ttft: ByProfile<string>;
};
export function figure(
  step: { summary: { throughput: Record<string, { value: number } | undefined> } },
  key: string,
): number | undefined;
export function itemKey(group: string): 'imagesPerSec' | 'inputsPerSec';
export function e2eMs(
  step: { summary: { metrics: Record<string, { percentiles: Record<string, number> }> } },
  profile: ProfileName,
  p: string,
): number;
export function fmt(v: number | undefined): string;
export function prefixCacheTable(result: unknown): {
  header: string[];
  rows: string[][];
  bars: Array<[string, number]>;
};
