/**
 * The common gauges in words, for the Metrics node and its children. Only
 * gauges the server exposes are listed: a missing gauge is not a zero.
 */
import type { CommonGauges } from '../../metrics/gauges';

export interface GaugeLine {
  key: string;
  label: string;
  value: string;
}

const num = (n: number) =>
  Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 1 });
const pct = (f: number) => `${(f * 100).toFixed(f < 0.1 ? 1 : 0)} %`;
const gib = (b: number) => `${(b / 1024 ** 3).toFixed(1)} GiB`;

/** Every exposed gauge as a labelled line, in a fixed order. */
export function gaugeLines(g: CommonGauges): GaugeLine[] {
  const out: GaugeLine[] = [];
  const add = (key: string, label: string, v: number | undefined, fmt: (n: number) => string) => {
    if (v !== undefined && Number.isFinite(v)) out.push({ key, label, value: fmt(v) });
  };
  add('running', 'Running requests', g.requestsRunning, num);
  add('queued', 'Queued requests', g.requestsQueued, num);
  add('kvCache', 'KV-cache use', g.kvCacheUsage, pct);
  add('gpuUtil', 'GPU utilization', g.gpuUtilization, pct);
  if (g.gpuMemoryUsedBytes !== undefined) {
    const total = g.gpuMemoryTotalBytes !== undefined ? ` of ${gib(g.gpuMemoryTotalBytes)}` : '';
    out.push({ key: 'gpuMem', label: 'GPU memory used', value: `${gib(g.gpuMemoryUsedBytes)}${total}` });
  }
  add('requests', 'Requests (total)', g.requestsTotal, num);
  add('failed', 'Failed requests', g.requestsFailed, num);
  add('promptTokens', 'Prompt tokens (total)', g.promptTokensTotal, num);
  add('genTokens', 'Generated tokens (total)', g.generationTokensTotal, num);
  return out;
}

/** The few gauges that fit on one line: "2 running · 0 queued · KV 13 %". */
export function gaugeSummary(g: CommonGauges): string {
  const parts: string[] = [];
  if (g.requestsRunning !== undefined) parts.push(`${num(g.requestsRunning)} running`);
  if (g.requestsQueued !== undefined) parts.push(`${num(g.requestsQueued)} queued`);
  if (g.kvCacheUsage !== undefined) parts.push(`KV ${pct(g.kvCacheUsage)}`);
  else if (g.gpuUtilization !== undefined) parts.push(`GPU ${pct(g.gpuUtilization)}`);
  if (!parts.length && g.requestsTotal !== undefined) parts.push(`${num(g.requestsTotal)} requests`);
  return parts.join(' · ');
}
