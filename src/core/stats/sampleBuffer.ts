/**
 * A growable Float64Array: collecting a million latencies costs 8 MB instead
 * of the ~16–24 MB of a plain number[] with its boxed growth slack.
 */
export class SampleBuffer {
  private data: Float64Array;
  private n = 0;

  constructor(initialCapacity = 1024) {
    this.data = new Float64Array(Math.max(initialCapacity, 16));
  }

  get length(): number {
    return this.n;
  }

  push(v: number): void {
    if (this.n === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.n++] = v;
  }

  /** The samples so far, without copying (valid until the next push). */
  view(): Float64Array {
    return this.data.subarray(0, this.n);
  }

  clear(): void {
    this.n = 0;
  }
}
