/**
 * LoRA traffic: which adapter request i names. A low-discrepancy sequence
 * (the fractional parts of i·(√5 − 1)/2) laid over the cumulative weights:
 * stateless, so every worker and shard gives request i the same adapter, and
 * evenly spread, so the counts stay within a few requests of the weights at
 * any run length (a random draw would drift by √n).
 */
import type { LoraAdapter } from '../spec';

const ALPHA = (Math.sqrt(5) - 1) / 2;

/** Index into `adapters` of request i's adapter. */
export function loraPicker(adapters: readonly LoraAdapter[]): (i: number) => number {
  const total = adapters.reduce((s, a) => s + (a.weight ?? 1), 0);
  const bounds: number[] = [];
  let acc = 0;
  for (const a of adapters) bounds.push((acc += (a.weight ?? 1) / total));
  const last = adapters.length - 1;
  return (i) => {
    const u = (i * ALPHA) % 1;
    for (let k = 0; k < last; k++) if (u < bounds[k]) return k;
    return last;
  };
}
