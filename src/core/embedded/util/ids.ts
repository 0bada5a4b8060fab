/**
 * Request ids shaped like vLLM's (`<prefix>-` + 32 hex digits) without a
 * random UUID per request: a random per-process prefix plus a counter is
 * unique for the server's lifetime and costs next to nothing on the hot path.
 */
import { randomBytes } from 'node:crypto';

const base = randomBytes(10).toString('hex');
let counter = 0;

export function requestId(prefix: string): string {
  counter = (counter + 1) % 0x1000000000000;
  return `${prefix}-${base}${counter.toString(16).padStart(12, '0')}`;
}
