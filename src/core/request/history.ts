/**
 * The per-server request history: the last 50 requests with their timings,
 * newest first. Entries hold a masked draft, never a response body (bodies
 * can be megabytes; history is for re-sending and comparing timings).
 */
import type { HistoryEntry, RequestDraft, RequestResult, RequestTarget } from '../../shared/request';
import { formatMs } from '../../shared/format';
import { maskDraft } from './secrets';
import { redactUrl } from '../../shared/redact';

export const HISTORY_LIMIT = 50;

/** "chat tiny-llm → 200 · 812 ms · 64 tokens · 78 tok/s". */
export function summarize(draft: RequestDraft, result: RequestResult): string {
  const what =
    draft.template === 'raw'
      ? `${draft.method ?? 'GET'} ${draft.path ?? '/'}`
      : `${draft.template}${draft.model ? ` ${draft.model}` : ''}`;
  const outcome = result.cancelled
    ? 'cancelled'
    : result.error && result.status === undefined
      ? result.error.kind
      : String(result.status ?? '');
  const parts = [`${what} → ${outcome}`, result.timing.totalMs === undefined ? '' : formatMs(result.timing.totalMs)];
  if (result.stream?.tokenCount) parts.push(`${result.stream.tokenCount} tokens`);
  if (result.stream?.tokensPerSecond) parts.push(`${Math.round(result.stream.tokensPerSecond)} tok/s`);
  if (result.error && result.status !== undefined && !result.cancelled) parts.push(result.error.kind);
  return parts.filter(Boolean).join(' · ');
}

export function historyEntry(
  target: RequestTarget,
  draft: RequestDraft,
  result: RequestResult,
  apiKey?: string,
  now = new Date(),
): HistoryEntry {
  const masked = maskDraft(draft, apiKey);
  return {
    id: `${now.getTime().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`,
    at: now.toISOString(),
    // The server's URL as it may be stored: no userinfo, no secret query parameters.
    target: {
      ...target,
      baseUrl: redactUrl(target.baseUrl),
      ...(target.wsUrl ? { wsUrl: redactUrl(target.wsUrl) } : {}),
    },
    draft: masked,
    summary: summarize(masked, result),
    status: result.status,
    ok: result.ok,
    timing: result.timing,
    stream: result.stream,
  };
}

/** Adds `entry` first and keeps the newest `limit`. */
export function pushHistory(list: readonly HistoryEntry[], entry: HistoryEntry, limit = HISTORY_LIMIT): HistoryEntry[] {
  return [entry, ...list.filter((e) => e.id !== entry.id)].slice(0, limit);
}

/** Reads a stored list defensively (older or damaged state gives an empty list, never an exception). */
export function readHistory(v: unknown): HistoryEntry[] {
  if (!Array.isArray(v)) return [];
  return v
    .filter(
      (e): e is HistoryEntry =>
        !!e &&
        typeof e === 'object' &&
        typeof (e as HistoryEntry).id === 'string' &&
        typeof (e as HistoryEntry).draft === 'object',
    )
    .slice(0, HISTORY_LIMIT);
}
