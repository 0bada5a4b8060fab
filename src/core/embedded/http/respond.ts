/**
 * Request-body reading and response writing for personalities. Headers are
 * passed as given so each personality can reproduce its server's casing
 * (uvicorn and axum send lower-case names, Go canonical case).
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** Bodies above this are refused with 413 rather than buffered. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body is larger than ${limit} bytes`);
  }
}

/**
 * Reads the whole request body and calls `done` once, with the body or the
 * error. Callback-based so a request that is answered at once (the
 * benchmarked path) costs no promise or microtask.
 */
export function onBody(
  req: IncomingMessage,
  done: (err: Error | undefined, body: Buffer) => void,
  limit = MAX_BODY_BYTES,
): void {
  let first: Buffer | undefined;
  let rest: Buffer[] | undefined;
  let size = 0;
  let settled = false;
  req.on('data', (c: Buffer) => {
    if (settled) return;
    size += c.length;
    if (size > limit) {
      settled = true;
      req.removeAllListeners('data');
      req.resume();
      done(new BodyTooLargeError(limit), EMPTY);
    } else if (!first) first = c;
    else (rest ??= [first]).push(c);
  });
  req.on('end', () => {
    if (settled) return;
    settled = true;
    done(undefined, rest ? Buffer.concat(rest) : (first ?? EMPTY));
  });
  req.on('error', (e) => {
    if (settled) return;
    settled = true;
    done(e, EMPTY);
  });
}

const EMPTY = Buffer.alloc(0);

/** Reads the whole request body. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => onBody(req, (e, body) => (e ? reject(e) : resolve(body)), limit));
}

export type JsonParse = { ok: true; value: unknown } | { ok: false; message: string };

/** Parses a JSON body without throwing. */
export function parseJson(body: Buffer | string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(typeof body === 'string' ? body : body.toString('utf8')) };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Writes a complete response with a Content-Length. `headers` should be a
 * fresh object: it receives the length header (named `lengthHeader`, by
 * default in the casing of the first header given, so a personality keeps its
 * style: Go and Triton write `Content-Length`, uvicorn `content-length`). Mutating instead
 * of spreading keeps the object in V8's fast mode, which node:http reads faster.
 */
export function send(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  headers: OutgoingHttpHeaders,
  lengthHeader = lengthHeaderFor(headers),
): void {
  headers[lengthHeader] = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  res.writeHead(status, headers);
  // A string body goes out in the same write as the headers (node:http joins them).
  endSoon(res, body);
}

/**
 * Ends a response whose head is written, at the end of the current event-loop
 * turn (the check phase) rather than at once. A turn that parsed several
 * requests then writes their answers back to back, so a client that reads
 * many connections (a load generator, the benchmark engine) finds several
 * answers per wakeup instead of being woken once per answer, and its next
 * requests reach this server in a burst too. For tiny requests on loopback
 * those wakeups are most of the cost (see bench:server in docs/embedded-server.md). The
 * delay this adds is the rest of the current turn: nothing when one request
 * arrives alone, and under a closed-loop load mean latency falls with it,
 * since more answers per second means less time queued. Streaming bodies are
 * written at once, as their timing is the point.
 */
export function endSoon(res: ServerResponse, body: string | Buffer): void {
  pending.push(res, body);
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushPending);
  }
}

/**
 * Ends at once the deferred responses (see `endSoon`) written to `socket`, or
 * every deferred response when no socket is given; true if there was one.
 * For a connection about to close: a malformed request that follows an
 * answered one, or a server that stops, must not drop the answer.
 */
export function endPendingNow(socket?: unknown): boolean {
  let ended = false;
  for (let i = 0; i < pending.length; i += 2) {
    const res = pending[i] as ServerResponse;
    if (socket === undefined || res.socket === socket) ended = endOne(res, pending[i + 1] as string | Buffer) || ended;
  }
  return ended;
}

let pending: Array<ServerResponse | string | Buffer> = [];
let flushScheduled = false;

function flushPending(): void {
  flushScheduled = false;
  const batch = pending;
  pending = [];
  for (let i = 0; i < batch.length; i += 2) endOne(batch[i] as ServerResponse, batch[i + 1] as string | Buffer);
}

/** Ends a deferred response unless a failure path destroyed or ended it meanwhile; true if it was ended here. */
function endOne(res: ServerResponse, body: string | Buffer): boolean {
  if (res.writableEnded || res.destroyed) return false;
  try {
    res.end(body);
    return true;
  } catch {
    res.destroy();
    return false;
  }
}

function lengthHeaderFor(headers: OutgoingHttpHeaders): string {
  for (const k in headers) return k.charCodeAt(0) < 97 ? 'Content-Length' : 'content-length';
  return 'content-length';
}

let cachedDate = '';
let cachedAt = 0;
/** An RFC 7231 date for `date` headers written by hand, cached per second; `now` (epoch ms) when the caller has read the clock already. */
export function httpDate(now = Date.now()): string {
  if (now - cachedAt >= 1000 || now < cachedAt) {
    cachedAt = now - (now % 1000);
    cachedDate = new Date(now).toUTCString();
  }
  return cachedDate;
}

/** Plain JS object check for request validation. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The writer of a streaming body (SSE, NDJSON) whose chunks are due at once
 * (a zero-cost model): the chunks written in the same event-loop callback
 * leave as one chunk of chunked encoding. node:http joins the writes of one
 * tick into one writev already, but builds four buffers per chunk (size line,
 * CRLF, data, CRLF): 69 for an answer of 16 tokens, each converted and handed
 * to the kernel, a third of the embedded server's time per streamed request.
 * The joined write goes out when the callback and its microtasks have run
 * (process.nextTick queued from a microtask, so an async iteration that
 * delivers several tokens in microtasks is included), before the event loop
 * polls for I/O or fires the next timer; a chunk written alone still leaves
 * in its own callback. The head is not held.
 */
export class TickWriter {
  private pending = '';
  private scheduled = false;

  constructor(private readonly res: ServerResponse) {}

  write(chunk: string): void {
    this.pending += chunk;
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => process.nextTick(release, this));
  }

  /** Writes what is pending now (before a cut of the stream: written chunks must reach the client). */
  flush(): void {
    const text = this.pending;
    this.pending = '';
    const res = this.res;
    if (text && !res.writableEnded && !res.destroyed) res.write(text);
  }

  /**
   * Sends what is pending, then ends the response with `last` in a write of its own, as a server
   * whose last event follows the others does (perf_analyzer, GenAI-Perf's client, counts no
   * request whose tokens and `data: [DONE]` arrive in the same read).
   */
  end(last: string): void {
    const res = this.res;
    if (this.pending && !res.writableEnded && !res.destroyed) {
      res.write(this.pending);
      // node:http corks the socket until the next tick; the pending chunks go out now instead.
      res.socket?.uncork();
    }
    this.pending = '';
    res.end(last);
  }

  /** @internal */
  released(): void {
    this.scheduled = false;
    this.flush();
  }
}

function release(w: TickWriter): void {
  w.released();
}

/**
 * Cuts a streaming response the way a crashed server does: what was written
 * still reaches the client, then the connection closes without the
 * terminating chunk, so the client sees a premature end.
 */
export function cutStream(res: ServerResponse): void {
  const socket = res.socket;
  if (socket && !socket.destroyed) socket.destroySoon();
  else res.destroy();
}
