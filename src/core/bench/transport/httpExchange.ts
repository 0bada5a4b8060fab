import { Client, type Dispatcher } from 'undici';
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

/**
 * One keep-alive connection to an origin (opened lazily, reopened after a
 * close), one request at a time. The engine keeps one per concurrent request
 * and hands requests to idle ones itself (HttpTarget), rather than through an
 * undici Pool: a worker's next request can then go to the connection that
 * just answered, while undici still holds its answer.
 */
export function createClient(origin: string, opts: { allowSelfSigned?: boolean } = {}): Client {
  return new Client(origin, {
    pipelining: 1,
    keepAliveTimeout: 30_000,
    // Our own per-request deadline governs; undici's idle timers would only add a second, different limit.
    headersTimeout: 0,
    bodyTimeout: 0,
    connect: opts.allowSelfSigned ? { rejectUnauthorized: false } : undefined,
  });
}

const MAX_ERROR_BODY = 64 * 1024;

/** `content-type`, lower case: the one response header the hot path reads. */
const CONTENT_TYPE = Buffer.from('content-type');

/** Whether a raw header name is Content-Type (ASCII case-insensitive, as undici's own header parsing compares). */
function isContentType(name: Buffer | string): boolean {
  if (typeof name === 'string') return name.toLowerCase() === 'content-type';
  if (name.length !== CONTENT_TYPE.length) return false;
  for (let k = 0; k < name.length; k++)
    if ((name[k] >= 65 && name[k] <= 90 ? name[k] | 32 : name[k]) !== CONTENT_TYPE[k]) return false;
  return true;
}

/**
 * One request as an undici dispatch handler. Subclasses get the status, the
 * chunks of a 2xx body and its end at the moment undici hands them over,
 * then `finished` exactly once with the outcome: every failure (transport,
 * timeout, cancel, non-2xx) comes back as `outcome.error`, so one bad request
 * cannot stop a run. One object per request, its methods on the prototype —
 * no closures, no promise, no AbortSignal: the scheduler owns deadlines and
 * cancellation and calls `abort`.
 *
 * It implements the handler protocol undici's Client itself calls (onConnect,
 * onHeaders with the raw header list, onData, onComplete, onError), typed
 * deprecated in undici 7 in favour of onRequestStart/onResponseStart…, which
 * undici serves by wrapping every request's handler in two more objects and
 * parsing the response headers and trailers into objects. Here only
 * Content-Type is read, from the raw list, and only for a 2xx answer (about
 * 0.5 KB less garbage per request; measured in bench:engine section 1).
 */
export abstract class Exchange implements Dispatcher.DispatchHandler {
  private status = 0;
  private bytes = 0;
  private errorBody: Buffer[] | undefined;
  private abortFn: ((err?: Error) => void) | undefined;
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

  send(dispatcher: Dispatcher, origin: string, ex: HttpExchange): void {
    this.origin = origin;
    this.path = ex.path;
    try {
      dispatcher.dispatch({ path: ex.path, method: ex.method, headers: ex.headers, body: ex.body ?? null }, this);
    } catch (e) {
      this.settle(toInferenceError(e, this.url()));
    }
  }

  /** Aborts the request; the reason (CancelledError, TimeoutError) decides the error kind. */
  abort(reason: Error): void {
    // Settle first: the outcome must carry our reason, not undici's generic abort error.
    this.settle(toInferenceError(reason, this.url()));
    if (this.abortReason) return;
    this.abortReason = reason;
    this.abortFn?.(reason);
  }

  /** Whether `finished` has run (the outcome is in). */
  get isFinished(): boolean {
    return this.settled;
  }

  onConnect(abort: (err?: Error) => void): void {
    this.abortFn = abort;
    if (this.abortReason) abort(this.abortReason); // aborted while still queued
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], _resume: () => void, _statusText: string): boolean {
    this.status = statusCode;
    if (statusCode >= 200 && statusCode < 300) {
      let type: string | undefined;
      for (let k = 0; k < rawHeaders.length; k += 2)
        if (isContentType(rawHeaders[k])) {
          const v = rawHeaders[k + 1] as Buffer | string;
          type = typeof v === 'string' ? v : v.toString('latin1');
          break;
        }
      this.headers(statusCode, type);
    } else this.errorBody = [];
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.bytes += chunk.length;
    if (!this.errorBody) this.data(chunk);
    else if (this.bytes <= MAX_ERROR_BODY) this.errorBody.push(chunk);
    return true;
  }

  onComplete(): void {
    if (this.settled) return;
    if (!this.errorBody) this.end();
    this.settle(this.errorBody ? httpError(this.status, Buffer.concat(this.errorBody), this.url()) : undefined);
  }

  onError(err: Error): void {
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
