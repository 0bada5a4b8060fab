/**
 * How numbers of the request panel read: durations, sizes, the live stream
 * metrics and the timing breakdown. Pure functions (unit-tested in Node).
 */
import { formatMs as fmtMs } from '../../src/shared/format';
import type { StreamMetrics, TimingBreakdown } from '../../src/shared/messages/request';

export { fmtMs };
export { formatBytes as fmtBytes } from '../../src/shared/format';

export function fmtNumber(x: number | string | boolean): string {
  if (typeof x !== 'number') return String(x);
  if (Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(3) : x.toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
}

export interface MetricItem {
  id: string;
  label: string;
  value: string;
  title: string;
}

/** The live metrics strip: ours first, the server's own figures after. */
export function metricItems(m: StreamMetrics): MetricItem[] {
  const items: MetricItem[] = [
    {
      id: 'ttft',
      label: 'TTFT',
      value: fmtMs(m.ttftMs),
      title: 'Time to first token: request sent → first non-empty token',
    },
    {
      id: 'itl',
      label: 'ITL',
      value: m.itl ? `${fmtMs(m.itl.meanMs)} (p50 ${fmtMs(m.itl.p50Ms)}, max ${fmtMs(m.itl.maxMs)})` : '—',
      title: 'Inter-token latency between consecutive tokens',
    },
    {
      id: 'tps',
      label: 'tokens/s',
      value: m.tokensPerSecond !== undefined ? m.tokensPerSecond.toFixed(1) : '—',
      title: 'Tokens after the first ÷ time from first to last token',
    },
    {
      id: 'tokens',
      label: 'tokens',
      value: String(m.tokenCount),
      title: 'Tokens received (content events counted here)',
    },
  ];
  const s = m.server;
  if (s?.completionTokens !== undefined)
    items.push({
      id: 'server-tokens',
      label: 'server tokens',
      value: `${s.completionTokens}${s.promptTokens !== undefined ? ` (prompt ${s.promptTokens})` : ''}`,
      title: 'Token counts the server reported (usage, details, eval_count)',
    });
  if (s?.tokensPerSecond !== undefined)
    items.push({
      id: 'server-tps',
      label: 'server tokens/s',
      value: s.tokensPerSecond.toFixed(1),
      title: 'Generation rate the server reported (Ollama eval_count / eval_duration)',
    });
  if (s?.finishReason)
    items.push({ id: 'finish', label: 'finish', value: s.finishReason, title: 'Why the server stopped generating' });
  return items;
}

export interface TimingRow {
  id: string;
  label: string;
  ms?: number;
  note?: string;
}

export function timingRows(t: TimingBreakdown, transport: string): TimingRow[] {
  const reused = transport === 'grpc' ? 'not measured for gRPC' : undefined;
  return [
    {
      id: 'connect',
      label: 'Connect (DNS + TCP)',
      ms: t.connectMs,
      note: t.connectMs === undefined ? reused : undefined,
    },
    {
      id: 'tls',
      label: 'TLS handshake',
      ms: t.tlsMs,
      note: t.tlsMs === undefined ? (transport === 'grpc' ? reused : 'plain connection') : undefined,
    },
    { id: 'ttfb', label: transport === 'http' ? 'Time to first byte' : 'Time to first message', ms: t.ttfbMs },
    { id: 'download', label: 'Download', ms: t.downloadMs },
    { id: 'total', label: 'Total', ms: t.totalMs },
  ];
}

/** Bar offsets (0..1) of the phases on the total's scale, for the waterfall. */
export function waterfall(t: TimingBreakdown): Array<{ id: string; start: number; width: number }> {
  const total = t.totalMs || 1;
  const connect = t.connectMs ?? 0;
  const tls = t.tlsMs ?? 0;
  const ttfb = t.ttfbMs ?? 0;
  const clamp = (x: number) => Math.max(0, Math.min(1, x));
  return [
    { id: 'connect', start: 0, width: clamp(connect / total) },
    { id: 'tls', start: clamp(connect / total), width: clamp(tls / total) },
    { id: 'ttfb', start: clamp((connect + tls) / total), width: clamp((ttfb - connect - tls) / total) },
    { id: 'download', start: clamp(ttfb / total), width: clamp((t.downloadMs ?? 0) / total) },
    { id: 'total', start: 0, width: 1 },
  ];
}
