/**
 * The engine's event stream with bounded reconnects. When the stream drops
 * (engine restart, socket hiccup), it is reopened from the time of the last
 * event seen, so that nothing is missed, and events the engine repeats are
 * skipped. After `maxReconnects` failures in a row it gives up with a clear
 * error; any event received resets the count.
 */
import { ndjsonLines } from '../../http/streams';
import { delay } from '../../util/abort';
import { toContainerError } from './errorMapping';
import { ContainerError } from '../errors';
import type { ContainerEvent } from '../types';

/** Opens the raw stream: `since` is "seconds.nanoseconds" (as the API accepts), absent on the first call. */
export type OpenEvents = (since: string | undefined, signal: AbortSignal) => Promise<AsyncIterable<Uint8Array>>;

/** Parses one NDJSON line; undefined for events we do not report. `nano` orders and dedupes them. */
export type ParseEvent = (line: string) => { event: ContainerEvent; nano: bigint } | undefined;

export interface ReconnectOptions {
  signal: AbortSignal;
  maxReconnects: number;
  /** First retry delay; doubles per failure up to 10 s. */
  backoffMs?: number;
  onReconnect?: (attempt: number, error: Error) => void;
  endpoint?: string;
}

function sinceOf(nano: bigint): string {
  const s = nano / 1_000_000_000n;
  return `${s}.${String(nano % 1_000_000_000n).padStart(9, '0')}`;
}

export async function* reconnectingEvents(
  open: OpenEvents,
  parse: ParseEvent,
  o: ReconnectOptions,
): AsyncGenerator<ContainerEvent> {
  let failures = 0;
  let lastNano: bigint | undefined;
  let seenAtLast = new Set<string>();
  while (!o.signal.aborted) {
    let error: unknown;
    try {
      const chunks = await open(lastNano === undefined ? undefined : sinceOf(lastNano), o.signal);
      for await (const line of ndjsonLines(chunks)) {
        const parsed = parse(line);
        if (!parsed) continue;
        const key = `${parsed.event.id}:${parsed.event.action}`;
        if (lastNano !== undefined && (parsed.nano < lastNano || (parsed.nano === lastNano && seenAtLast.has(key))))
          continue;
        if (lastNano === undefined || parsed.nano > lastNano) seenAtLast = new Set();
        lastNano = parsed.nano;
        seenAtLast.add(key);
        failures = 0;
        yield parsed.event;
      }
      error = new Error('The Docker event stream ended');
    } catch (e) {
      error = e;
    }
    if (o.signal.aborted) return;
    failures++;
    const err = toContainerError(error, { op: 'events', endpoint: o.endpoint });
    if (failures > o.maxReconnects) {
      throw new ContainerError(
        err.kind,
        `Lost the Docker event stream after ${o.maxReconnects} reconnects: ${err.message}`,
        err.fix,
        err.details,
      );
    }
    o.onReconnect?.(failures, err);
    try {
      await delay(Math.min(10_000, (o.backoffMs ?? 500) * 2 ** (failures - 1)), o.signal);
    } catch {
      return;
    }
  }
}
