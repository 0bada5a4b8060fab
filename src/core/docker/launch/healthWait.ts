/**
 * Polls a server's health endpoint until it answers the expected status (and
 * text), a check between polls fails (the container exited), the time limit
 * passes, or the caller cancels. A refused connection is normal while the
 * server loads its model, so every failure before the limit just means
 * "not yet".
 */
import { httpRequest } from '../../http/client';
import { delay, throwIfAborted } from '../../util/abort';
import { ContainerError, fixes } from '../errors';

export interface HealthWaitOptions {
  url: string;
  expectStatus: number;
  bodyIncludes?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Runs between polls; throw to stop waiting (e.g. the container is gone). */
  check?: () => Promise<void>;
  /** First poll interval (ms); grows to 2 s. */
  intervalMs?: number;
  /** Last answer, for progress ("HTTP 503", "connection refused"). */
  onAttempt?: (observed: string) => void;
}

async function pollOnce(o: HealthWaitOptions, limitMs: number): Promise<{ ready: boolean; observed: string }> {
  try {
    const res = await httpRequest(o.url, {
      signal: o.signal,
      timeoutMs: limitMs,
      throwOnHttpError: false,
      maxBodyBytes: 1024 * 1024,
    });
    const bodyOk = o.bodyIncludes === undefined || res.text().includes(o.bodyIncludes);
    const ready = res.status === o.expectStatus && bodyOk;
    return {
      ready,
      observed: `HTTP ${res.status}${res.status === o.expectStatus && !bodyOk ? ` without "${o.bodyIncludes}"` : ''}`,
    };
  } catch (e) {
    throwIfAborted(o.signal);
    return { ready: false, observed: (e as Error).message };
  }
}

/** Resolves with the time it took once ready; throws 'health-timeout' (or the check's error). */
export async function waitForHealth(o: HealthWaitOptions): Promise<{ elapsedMs: number; attempts: number }> {
  const t0 = Date.now();
  let interval = o.intervalMs ?? 250;
  let attempts = 0;
  let observed = 'no answer yet';
  for (;;) {
    throwIfAborted(o.signal);
    await o.check?.();
    const left = o.timeoutMs - (Date.now() - t0);
    if (left <= 0) break;
    attempts++;
    const r = await pollOnce(o, Math.min(5_000, Math.max(left, 200)));
    observed = r.observed;
    o.onAttempt?.(observed);
    if (r.ready) return { elapsedMs: Date.now() - t0, attempts };
    const wait = Math.min(interval, o.timeoutMs - (Date.now() - t0));
    if (wait <= 0) break;
    await delay(wait, o.signal);
    interval = Math.min(2_000, interval * 1.5);
  }
  await o.check?.();
  throw new ContainerError(
    'health-timeout',
    `The server did not become ready within ${Math.round(o.timeoutMs / 1000)} s: ${o.url} last answered ${observed}.`,
    fixes.healthTimeout,
  );
}
