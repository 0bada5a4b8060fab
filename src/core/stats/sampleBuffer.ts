/**
 * Growable sample storage for long runs, in fixed-size Float64Array chunks:
 * no boxed numbers, no doubling overshoot, no copy of the whole buffer when
 * it grows. A million latencies cost 8 MB.
 */
const CHUNK = 65536;

export class SampleBuffer {
  private readonly chunks: Float64Array[] = [];
  private n = 0;

  get length(): number {
    return this.n;
  }

  push(v: number): void {
    const i = this.n % CHUNK;
    if (i === 0) this.chunks.push(new Float64Array(CHUNK));
    this.chunks[this.chunks.length - 1][i] = v;
    this.n++;
  }

  /** All samples as one contiguous array (a fresh copy; call once, at the end). */
  view(): Float64Array {
    const out = new Float64Array(this.n);
    let k = 0;
    for (const c of this.chunks) {
      const take = Math.min(CHUNK, this.n - k);
      out.set(c.subarray(0, take), k);
      k += take;
    }
    return out;
  }
}
