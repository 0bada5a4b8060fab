/**
 * Request ids shaped like vLLM's (`<prefix>-` + 32 hex digits) without a
 * random UUID per request: a random per-process prefix plus a counter is
 * unique for the server's lifetime and costs next to nothing on the hot path.
 */
import { randomBytes } from 'node:crypto';

const base = randomBytes(10).toString('hex');
/** The last three hex digits of the counter, precomputed: number-to-hex conversion is slow and this runs per request. */
const LOW = Array.from({ length: 4096 }, (_, i) => i.toString(16).padStart(3, '0'));
let low = 0;
let high = 0;
let highHex = '000000000';

export function requestId(prefix: string): string {
  if (++low === LOW.length) {
    low = 0;
    high = (high + 1) % 0x1000000000;
    highHex = high.toString(16).padStart(9, '0');
  }
  return `${prefix}-${base}${highHex}${LOW[low]}`;
}
