import { EV_READ, type RawRecord } from '../record';

/** Times (ms after send) of the record's streamed events whose flags include any of `mask`. */
export function eventTimes(r: RawRecord, mask: number): number[] {
  const out: number[] = [];
  const ev = r.ev;
  if (!ev) return out;
  for (let k = 0; k < ev.length; k += 2) if (ev[k + 1] & mask) out.push(ev[k]);
  return out;
}

/**
 * Python's round(): to the nearest integer, halves to even. GenAI-Perf rounds
 * its nanosecond inter-token latency with it.
 */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * Times of the record's transport reads (EV_READ, see record.ts) holding at
 * least one event whose flags include any of `mask`: the events of one read
 * merged into one response, at the read's time. A record without read marks
 * (written before they existed, or gRPC) counts each event as its own read.
 */
export function readTimes(r: RawRecord, mask: number): number[] {
  const out: number[] = [];
  const ev = r.ev;
  if (!ev || !ev.length) return out;
  if (!(ev[1] & EV_READ)) return eventTimes(r, mask);
  let readAt = 0;
  let hit = false;
  for (let k = 0; k < ev.length; k += 2) {
    const f = ev[k + 1];
    if (f & EV_READ) {
      if (hit) out.push(readAt);
      readAt = ev[k];
      hit = false;
    }
    if (f & mask) hit = true;
  }
  if (hit) out.push(readAt);
  return out;
}

/** Whether some event's flags include all of `all` and none of `none`. */
export function hasEvent(r: RawRecord, all: number, none = 0): boolean {
  const ev = r.ev;
  if (!ev) return false;
  for (let k = 1; k < ev.length; k += 2) if ((ev[k] & all) === all && !(ev[k] & none)) return true;
  return false;
}

/** Time of the first event whose flags include any of `mask`, or undefined. */
export function firstEvent(r: RawRecord, mask: number): number | undefined {
  const ev = r.ev;
  if (ev) for (let k = 0; k < ev.length; k += 2) if (ev[k + 1] & mask) return ev[k];
  return undefined;
}
