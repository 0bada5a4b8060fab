/** Helpers for the AbortSignal discipline of core APIs. */

/** Thrown (or used as the reason) when an operation is cancelled by its caller. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(message = 'Cancelled') {
    super(message);
  }
  static is(e: unknown): e is CancelledError {
    return e instanceof CancelledError || (e instanceof Error && e.name === 'AbortError');
  }
}

/** Thrown when an operation runs past its own time limit. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(
    readonly ms: number,
    what = 'Operation',
  ) {
    super(`${what} timed out after ${ms} ms`);
  }
  static is(e: unknown): e is TimeoutError {
    return e instanceof TimeoutError || (e instanceof Error && e.name === 'TimeoutError');
  }
}

/**
 * A signal that aborts when any input signal aborts or after `timeoutMs`.
 * `dispose()` clears the timer; call it when the operation ends.
 */
export function withTimeout(
  signal: AbortSignal | undefined,
  timeoutMs: number | undefined,
  what = 'Operation',
): { signal: AbortSignal; dispose(): void } {
  const ctrl = new AbortController();
  const onAbort = () => ctrl.abort(signal?.reason ?? new CancelledError());
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    timeoutMs !== undefined && timeoutMs > 0 && Number.isFinite(timeoutMs)
      ? setTimeout(() => ctrl.abort(new TimeoutError(timeoutMs, what)), timeoutMs)
      : undefined;
  timer?.unref?.();
  return {
    signal: ctrl.signal,
    dispose() {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}

/** Throws the signal's reason (or a CancelledError) if it has aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new CancelledError();
}

/** Resolves after `ms`, rejects early if the signal aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new CancelledError());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason ?? new CancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
