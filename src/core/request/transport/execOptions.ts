/** Options and live events shared by every transport of the request panel. */
import { InferenceError } from '../../http/errors';
import type { StreamMetrics } from '../../../shared/request';

export interface ExecOptions {
  /** From secret storage; substituted for the placeholder at send time only. */
  apiKey?: string;
  /** Aborting stops the request at once; the result keeps what was measured. */
  signal?: AbortSignal;
  /** Limit for the answer to start (HTTP headers, first gRPC message). Default 60 s: a cold model can be slow. */
  firstByteTimeoutMs?: number;
  /** Longest silence once the answer has started (a stalled stream); none by default. */
  idleTimeoutMs?: number;
  /** Response bytes kept for display (default 4 MiB); the rest is counted and timed, not kept. */
  maxBodyBytes?: number;
  allowSelfSigned?: boolean;
  onEvent?: (e: RequestEvent) => void;
}

export type RequestEvent =
  | { type: 'headers'; status: number; statusText?: string; headers: Record<string, string>; ttfbMs: number }
  | { type: 'delta'; text: string; metrics: StreamMetrics }
  | { type: 'message'; direction: 'sent' | 'received'; data: string; atMs: number };

export const defaultMaxBodyBytes = 4 * 1024 * 1024;
export const defaultFirstByteTimeoutMs = 60_000;

/** "2 s", "1.5 s", "250 ms": a limit as the user set it. */
function limitText(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

/**
 * A linked AbortController with a first-byte timer that the caller clears
 * when the answer starts (`started`), and an optional silence timer that
 * every received piece resets (`progress`). Timers abort with a timeout
 * InferenceError that says which limit was hit.
 */
export function callController(
  o: ExecOptions,
  what: string,
): { ctrl: AbortController; started(): void; progress(): void; dispose(): void } {
  const ctrl = new AbortController();
  const onAbort = () => ctrl.abort(o.signal?.reason);
  if (o.signal?.aborted) onAbort();
  else o.signal?.addEventListener('abort', onAbort, { once: true });
  const ms = o.firstByteTimeoutMs ?? defaultFirstByteTimeoutMs;
  let timer = setTimeout(
    () => ctrl.abort(new InferenceError('timeout', `Timed out after ${limitText(ms)}: ${what.toLowerCase()}`)),
    ms,
  );
  const idle = o.idleTimeoutMs;
  const progress = () => {
    clearTimeout(timer);
    if (idle)
      timer = setTimeout(
        () =>
          ctrl.abort(
            new InferenceError(
              'timeout',
              `The server sent nothing for ${limitText(idle)} after its answer began; stopped by the request timeout setting (what arrived is kept)`,
            ),
          ),
        idle,
      );
  };
  return {
    ctrl,
    started: progress,
    progress,
    dispose: () => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
    },
  };
}

/** "Cancelled", or "Cancelled after 12 tokens" for a stream. */
export function cancelledMessage(tokens?: number): string {
  return tokens === undefined ? 'Cancelled' : `Cancelled after ${tokens} token${tokens === 1 ? '' : 's'}`;
}

/** Milliseconds to two decimals, as every figure of a result is shown. */
export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
