import { Pool, type Dispatcher } from 'undici';
import { httpError, toInferenceError, type InferenceError } from '../../http/errors';

/**
 * The hot path: one request on an undici Pool through `dispatch` and a
 * callback handler — no `fetch`, no response stream objects, no promise per
 * chunk. Callers get headers and body chunks at the moment undici hands them
 * over, which is when we timestamp them.
 */

export interface HttpExchange {
  method: 'GET' | 'POST';
  path: string;
  /** Flat [name, value, name, value…] (undici's cheapest header form). */
  headers: string[];
  body?: Buffer;
}

export interface ExchangeSink {
  /** Status line and headers arrived. */
  headers(status: number): void;
  /** A body chunk of a 2xx answer arrived (error bodies are collected for the message instead). */
  data(chunk: Buffer): void;
  /** A 2xx body ended (called before `done` settles, so it can take the exact end time). */
  end?(): void;
}

export interface ExchangeOutcome {
  status: number;
  /** Body bytes received. */
  bytes: number;
  /** Set when the exchange failed (transport, timeout, cancel or a non-2xx status). */
  error?: InferenceError;
}

/** A keep-alive pool to one origin with `connections` sockets, opened lazily. */
export function createPool(origin: string, connections: number, opts: { allowSelfSigned?: boolean } = {}): Pool {
  return new Pool(origin, {
    connections,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    // Our own per-request deadline governs; undici's idle timers would only add a second, different limit.
    headersTimeout: 0,
    bodyTimeout: 0,
    connect: opts.allowSelfSigned ? { rejectUnauthorized: false } : undefined,
  });
}

const MAX_ERROR_BODY = 64 * 1024;

/** An exchange in flight: a way to stop it (cancel, timeout). */
export interface PendingExchange {
  /** Aborts the request; the reason (CancelledError, TimeoutError) decides the error kind. */
  abort(reason: Error): void;
}

/**
 * Sends one request and reports its chunks to `sink`, then calls `done` once
 * with the outcome: every failure comes back as `outcome.error`, so one bad
 * request cannot stop a run. No AbortSignal and no promise per request: the
 * scheduler owns deadlines and cancellation and calls `abort`.
 */
export function exchange(pool: Dispatcher, origin: string, ex: HttpExchange, sink: ExchangeSink, done: (o: ExchangeOutcome) => void): PendingExchange {
  let status = 0;
  let bytes = 0;
  let errorBody: Buffer[] | undefined;
  let controller: Dispatcher.DispatchController | undefined;
  let settled = false;
  let abortReason: Error | undefined;
  const url = () => origin + ex.path;
  const finish = (error?: InferenceError) => {
    if (settled) return;
    settled = true;
    done({ status, bytes, error });
  };
  const handler: Dispatcher.DispatchHandler = {
    onRequestStart(c) {
      controller = c;
      if (abortReason) c.abort(abortReason); // aborted while still queued in the pool
    },
    onResponseStart(_c, statusCode) {
      status = statusCode;
      if (statusCode >= 200 && statusCode < 300) sink.headers(statusCode);
      else errorBody = [];
    },
    onResponseData(_c, chunk) {
      bytes += chunk.length;
      if (!errorBody) sink.data(chunk);
      else if (bytes <= MAX_ERROR_BODY) errorBody.push(chunk);
    },
    onResponseEnd() {
      if (!errorBody) sink.end?.();
      finish(errorBody ? httpError(status, Buffer.concat(errorBody), url()) : undefined);
    },
    onResponseError(_c, err) {
      finish(toInferenceError(err, url()));
    },
  };
  try {
    pool.dispatch({ path: ex.path, method: ex.method, headers: ex.headers, body: ex.body ?? null }, handler);
  } catch (e) {
    finish(toInferenceError(e, url()));
  }
  return {
    abort(reason: Error) {
      // Settle first: the outcome must carry our reason, not undici's generic abort error.
      finish(toInferenceError(reason, url()));
      abortReason = reason;
      controller?.abort(reason);
    },
  };
}
