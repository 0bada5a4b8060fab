/**
 * The search for the highest load that meets an SLO: double from `start`
 * while points pass (up to `max`), then bisect between the highest passing
 * and the lowest failing load until they are within `resolution` of each
 * other (relative; for concurrency, until they are adjacent integers). A
 * first point that fails halves downwards instead, at most six times.
 * An inconclusive point counts as not meeting the SLO.
 */
import type { PointVerdict } from './judge';

export interface SearchOptions {
  dimension: 'rate' | 'concurrency';
  start: number;
  max: number;
  resolution: number;
}

export class CapacitySearch {
  /** Highest load that passed, lowest that did not. */
  pass: number | undefined;
  fail: number | undefined;
  private halvings = 0;
  private readonly tried = new Set<number>();

  constructor(private readonly o: SearchOptions) {}

  private round(v: number): number {
    return this.o.dimension === 'concurrency' ? Math.max(1, Math.round(v)) : Number(v.toPrecision(4));
  }

  record(load: number, verdict: PointVerdict): void {
    this.tried.add(load);
    if (verdict === 'pass') this.pass = Math.max(this.pass ?? -Infinity, load);
    else this.fail = Math.min(this.fail ?? Infinity, load);
  }

  /** The next load to try, or undefined when the search is done. */
  next(): number | undefined {
    const { start, max, resolution } = this.o;
    let v: number | undefined;
    if (this.pass === undefined && this.fail === undefined) v = start;
    else if (this.fail === undefined) v = this.pass! >= max ? undefined : Math.min(max, this.pass! * 2);
    else if (this.pass === undefined) {
      if (this.halvings >= 6) return undefined;
      this.halvings++;
      v = this.fail / 2;
      if (this.o.dimension === 'concurrency' && this.fail <= 1) return undefined;
    } else {
      if (this.fail <= this.pass) return undefined; // not monotone: the passing load above a failure decides
      if (
        this.o.dimension === 'concurrency'
          ? this.fail - this.pass <= 1
          : (this.fail - this.pass) / this.pass <= resolution
      )
        return undefined;
      v = (this.pass + this.fail) / 2;
    }
    if (v === undefined) return undefined;
    const r = this.round(v);
    return this.tried.has(r) ? undefined : r;
  }
}
