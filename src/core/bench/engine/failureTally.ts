import type { FailureCount } from '../result';

/** Distinct reasons kept per step; later new ones are counted under "other". */
const MAX_DISTINCT = 10;
/** Messages are cut to this length (a server's error body can be long). */
const MAX_MESSAGE = 300;

/**
 * Counts why measured requests failed, so a run of "0 ok / 5 failed" says
 * why (the records keep every message; this is the step's digest). Constant
 * memory: at most MAX_DISTINCT reasons.
 */
export class FailureTally {
  private readonly byKey = new Map<string, FailureCount>();
  private other = 0;

  add(kind: string, message: string): void {
    const text = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message;
    const key = `${kind}\u0000${text}`;
    const hit = this.byKey.get(key);
    if (hit) hit.count++;
    else if (this.byKey.size < MAX_DISTINCT) this.byKey.set(key, { kind, message: text, count: 1 });
    else this.other++;
  }

  /** Most frequent first; undefined when nothing failed. */
  list(): FailureCount[] | undefined {
    const out = [...this.byKey.values()].sort((a, b) => b.count - a.count);
    if (this.other)
      out.push({ kind: 'other', message: 'further distinct failures (see the records)', count: this.other });
    return out.length ? out : undefined;
  }
}
