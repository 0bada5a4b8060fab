/**
 * Turns the core's launch progress into what a VS Code progress notification
 * takes: a message, and increments that add up to 100 over the phases. The
 * pull gets most of the bar (it is the long part); while waiting for health
 * the message carries the container's last log line, so a slow model load
 * shows what it is doing. Pure and clock-injected for tests.
 */
import type { LaunchPhase, LaunchProgress } from '../../docker/launch/launch';

export interface ProgressStep {
  message: string;
  increment?: number;
}

/** Where each phase starts on the 0–100 bar; the pull fills `pull`..`create`. */
const startOf: Record<LaunchPhase, number> = { check: 0, pull: 2, create: 72, start: 78, health: 85, ready: 100 };

export function formatSize(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.round(bytes / 1024)} KB`;
}

const maxLogChars = 100;

export class LaunchProgressTracker {
  private shown = 0;
  private phaseMessage = '';
  private phase: LaunchPhase = 'check';
  private lastLogAt = 0;

  constructor(
    private readonly now: () => number = Date.now,
    /** Log lines update the message at most this often (ms). */
    private readonly logIntervalMs = 300,
  ) {}

  next(p: LaunchProgress): ProgressStep {
    this.phase = p.phase;
    let target = startOf[p.phase];
    let message = p.message;
    if (p.phase === 'pull' && p.percent !== undefined) {
      target = startOf.pull + ((startOf.create - startOf.pull) * Math.min(100, p.percent)) / 100;
      const bytes = p.totalBytes ? ` · ${formatSize(p.downloadedBytes ?? 0)} of ${formatSize(p.totalBytes)}` : '';
      message = `${p.message} (${Math.floor(p.percent)} %${bytes})`;
    }
    this.phaseMessage = message;
    const increment = target > this.shown ? target - this.shown : undefined;
    if (increment) this.shown = target;
    return increment ? { message, increment } : { message };
  }

  /** A container log line; a step only while waiting for health, and not more often than the interval. */
  log(text: string): ProgressStep | undefined {
    if (this.phase !== 'health') return undefined;
    const t = this.now();
    if (t - this.lastLogAt < this.logIntervalMs) return undefined;
    this.lastLogAt = t;
    const line = text.trim();
    if (!line) return undefined;
    const short = line.length > maxLogChars ? `${line.slice(0, maxLogChars - 1)}…` : line;
    return { message: `${this.phaseMessage} — ${short}` };
  }
}
