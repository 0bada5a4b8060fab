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

/**
 * One request as an undici dispatch handler. Subclasses get the status, the
 * chunks of a 2xx body and its end at the moment undici hands them over,
 * then `finished` exactly once with the outcome: every failure (transport,
 * timeout, cancel, non-2xx) comes back as `outcome.error`, so one bad request
 * cannot stop a run. One object per request, its methods on the prototype —
 * no closures, no promise, no AbortSignal: the scheduler owns deadlines and
 * cancellation and calls `abort`.
 */
export abstract class Exchange implements Dispatcher.DispatchHandler {
  private status = 0;
  private bytes = 0;
  private errorBody: Buffer[] | undefined;
  private controller: Dispatcher.DispatchController | undefined;
  private settled = false;
  private abortReason: Error | undefined;
  private origin = '';
  private path = '';

  /** Status line and headers of a 2xx answer arrived (with its Content-Type, when it has one). */
  protected abstract headers(status: number, contentType: string | undefined): void;
  /** A body chunk of a 2xx answer arrived (error bodies are collected for the message instead). */
  protected abstract data(chunk: Buffer): void;
  /** A 2xx body ended (called before `finished`, so it can take the exact end time). */
  protected abstract end(): void;
  protected abstract finished(outcome: ExchangeOutcome): void;

  send(pool: Dispatcher, origin: string, ex: HttpExchange): void {
    this.origin = origin;
    this.path = ex.path;
    try {
      pool.dispatch({ path: ex.path, method: ex.method, headers: ex.headers, body: ex.body ?? null }, this);
    } catch (e) {
      this.settle(toInferenceError(e, this.url()));
    }
  }

  /** Aborts the request; the reason (CancelledError, TimeoutError) decides the error kind. */
  abort(reason: Error): void {
    // Settle first: the outcome must carry our reason, not undici's generic abort error.
    this.settle(toInferenceError(reason, this.url()));
    this.abortReason = reason;
    this.controller?.abort(reason);
  }

  onRequestStart(c: Dispatcher.DispatchController): void {
    this.controller = c;
    if (this.abortReason) c.abort(this.abortReason); // aborted while still queued in the pool
  }

  onResponseStart(
    _c: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    this.status = statusCode;
    if (statusCode >= 200 && statusCode < 300) {
      const type = headers['content-type'];
      this.headers(statusCode, Array.isArray(type) ? type[0] : type);
    } else this.errorBody = [];
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.bytes += chunk.length;
    if (!this.errorBody) this.data(chunk);
    else if (this.bytes <= MAX_ERROR_BODY) this.errorBody.push(chunk);
  }

  onResponseEnd(): void {
    if (this.settled) return;
    if (!this.errorBody) this.end();
    this.settle(this.errorBody ? httpError(this.status, Buffer.concat(this.errorBody), this.url()) : undefined);
  }

  onResponseError(_c: Dispatcher.DispatchController, err: Error): void {
    this.settle(toInferenceError(err, this.url()));
  }

  private url(): string {
    return this.origin + this.path;
  }

  private settle(error?: InferenceError): void {
    if (this.settled) return;
    this.settled = true;
    this.finished({ status: this.status, bytes: this.bytes, error });
  }
}
