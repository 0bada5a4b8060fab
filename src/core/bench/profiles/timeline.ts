import type { RawRecord } from '../record';

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
