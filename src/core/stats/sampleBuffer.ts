/**
 * Growable sample storage for long runs, in fixed-size chunks: no boxed
 * numbers, no doubling overshoot, no copy of the whole buffer when it grows.
 *
 * Recorded times are quantised to the microsecond (milliseconds with three
 * decimals), so a chunk first stores `round(v * 1000)` in a Uint32Array,
 * 4 bytes a sample, and only while that gives back exactly `v` (`k / 1000
 * === v`) and fits; the first value that does not (a derived figure such as
 * a TPOT, a negative or huge value) turns that chunk into a Float64Array.
 * Values read back are bit-for-bit the values pushed. A million recorded
 * latencies cost 4 MB, a million arbitrary doubles 8 MB.
 */
const CHUNK = 65536;
const MAX_MICROS = 0xffffffff;

export class SampleBuffer {
  private readonly chunks: Array<Uint32Array | Float64Array> = [];
  private n = 0;

  get length(): number {
    return this.n;
  }

  push(v: number): void {
    const i = this.n % CHUNK;
    if (i === 0) this.chunks.push(new Uint32Array(CHUNK));
    const last = this.chunks.length - 1;
    let c = this.chunks[last];
    if (c instanceof Uint32Array) {
      const k = Math.round(v * 1000);
      if (k >= 0 && k <= MAX_MICROS && k / 1000 === v && (k !== 0 || !Object.is(v, -0))) {
        c[i] = k;
        this.n++;
        return;
      }
      c = this.chunks[last] = widen(c, i);
    }
    c[i] = v;
    this.n++;
  }

  /** All samples as one contiguous array (a fresh copy; call once, at the end). */
  view(): Float64Array {
    const out = new Float64Array(this.n);
    let k = 0;
    for (const c of this.chunks) {
      const take = Math.min(CHUNK, this.n - k);
      if (c instanceof Float64Array) out.set(c.subarray(0, take), k);
      else for (let j = 0; j < take; j++) out[k + j] = c[j] / 1000;
      k += take;
    }
    return out;
  }
}

/** A microsecond chunk as doubles (its first `used` samples converted back). */
function widen(c: Uint32Array, used: number): Float64Array {
  const d = new Float64Array(CHUNK);
  for (let j = 0; j < used; j++) d[j] = c[j] / 1000;
  return d;
}
