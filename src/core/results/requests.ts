/**
 * The per-request view of a step, and one request's token timeline, read
 * from the raw records (which keep every streamed event's time and kind).
 */
import { EV_CHOICE, EV_DONE, EV_ERROR, EV_READ, EV_REASON, EV_TEXT, EV_USAGE, type RawRecord } from '../bench/record';
import { readRecordsFile } from '../bench/recordsFile';
import type { ProfileName } from '../bench/spec';
import { firstTokenMask } from './runView';
import type { RequestRow, RequestSort, RequestsView, TokenTimeline } from '../../shared/messages/results';

export function requestRow(r: RawRecord, profile: ProfileName): RequestRow {
  let ttft: number | undefined;
  const mask = firstTokenMask(profile);
  if (r.ev) for (let k = 0; k < r.ev.length && ttft === undefined; k += 2) if (r.ev[k + 1] & mask) ttft = r.ev[k];
  return {
    i: r.i,
    startMs: r.t,
    ttftMs: ttft,
    e2eMs: r.e,
    inputTokens: r.iu ?? r.io,
    outputTokens: r.ou ?? r.oo,
    items: r.n,
    status: r.st,
    error: r.x ? 'cancelled' : r.ek !== undefined ? `${r.ek}: ${r.er ?? ''}` : undefined,
  };
}

function compareRows(sort: RequestSort): (a: RequestRow, b: RequestRow) => number {
  // Missing values (no TTFT on a failed request) sort last either way.
  return (a, b) => {
    const x = a[sort.key];
    const y = b[sort.key];
    if (x === undefined || y === undefined) return x === y ? a.i - b.i : x === undefined ? 1 : -1;
    return (sort.descending ? y - x : x - y) || a.i - b.i;
  };
}

/** The measured (not warm-up) requests of step `stepIndex`, sorted, at most `limit` of them. */
export async function stepRequests(
  runId: string,
  recordsPath: string,
  step: { index: number; label: string },
  profile: ProfileName,
  sort: RequestSort,
  limit = 2000,
): Promise<RequestsView> {
  const rows: RequestRow[] = [];
  for await (const line of readRecordsFile(recordsPath)) {
    if (line.kind !== 'record' || line.record.s !== step.index || line.record.w) continue;
    rows.push(requestRow(line.record, profile));
  }
  rows.sort(compareRows(sort));
  return { runId, stepIndex: step.index, stepLabel: step.label, rows: rows.slice(0, limit), total: rows.length, sort };
}

const KINDS: Array<[number, string]> = [
  [EV_CHOICE, 'choice'],
  [EV_TEXT, 'text'],
  [EV_REASON, 'reasoning'],
  [EV_USAGE, 'usage'],
  [EV_DONE, 'done'],
  [EV_ERROR, 'error'],
  [EV_READ, 'read'],
];

/** Request `i`'s streamed events against time since its send; undefined when the records have no such request. */
export async function requestTimeline(
  runId: string,
  recordsPath: string,
  i: number,
  stepLabels: Map<number, string>,
): Promise<TokenTimeline | undefined> {
  for await (const line of readRecordsFile(recordsPath)) {
    if (line.kind !== 'record' || line.record.i !== i) continue;
    const r = line.record;
    const events: TokenTimeline['events'] = [];
    const ev = r.ev ?? [];
    for (let k = 0; k < ev.length; k += 2)
      events.push({ t: ev[k], kinds: KINDS.filter(([f]) => ev[k + 1] & f).map(([, name]) => name) });
    return {
      runId,
      i,
      stepLabel: stepLabels.get(r.s) ?? `step ${r.s + 1}`,
      headersMs: r.h,
      endMs: r.e,
      events,
      error: r.x ? 'cancelled' : r.ek !== undefined ? `${r.ek}: ${r.er ?? ''}` : undefined,
    };
  }
  return undefined;
}
