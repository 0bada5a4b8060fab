import type { Client } from 'undici';
import { CancelledError } from '../../util/abort';
import type { ApiProtocol, ApiRequest, StreamState } from '../protocols/apiProtocol';
import { EV_CHOICE, EV_READ, type RawRecord } from '../record';
import { createClient, Exchange, type ExchangeOutcome, type HttpExchange } from '../transport/httpExchange';
import { ndjsonParser, sseParser, type PushParser } from '../transport/pushParsers';
import { countTokens } from '../workload/tokens';
import { escapedBytes } from '../../util/terminalText';
import type { CallPlan, CallTarget, PendingCall } from './callTarget';
import { now } from './clock';

export interface HttpTargetOptions {
  /** Scheme, host and port: `http://127.0.0.1:8000`. */
  origin: string;
  /** Path prefix before the API's own paths (a server mounted under `/openai`, say). */
  basePath: string;
  connections: number;
  protocol: Pick<ApiProtocol<never>, 'framing' | 'event' | 'body'>;
  plan: (i: number) => CallPlan;
  /** Sent with every request (Authorization…); never recorded. */
  headers: string[];
  /** Count our own output tokens of streamed text (text generation). */
  countOutput: boolean;
  allowSelfSigned?: boolean;
}

/** One request of an HttpTarget: fills its record from the answer, then calls `done`. */
class HttpCall extends Exchange implements PendingCall {
  private readonly st: StreamState = { text: '' };
  private ev: number[] | undefined;
  private chunkAt = 0;
  /** EV_READ until the first event of the current read is pushed, then 0. */
  private readFlag = 0;
  private parser: PushParser | undefined;
  private first: Buffer | undefined;
  private more: Buffer[] | undefined;
  /** The connection it was sent on (handed back to the target when it finishes). */
  client: Client | undefined;
  /** The request, kept while it waits for an idle connection. */
  pending: HttpExchange | undefined;

  constructor(
    private readonly target: HttpTarget,
    private readonly rec: RawRecord,
    private readonly proto: HttpTargetOptions['protocol'],
    private readonly countOutput: boolean,
    private readonly done: () => void,
    private readonly answer?: (text: string) => void,
  ) {
    super();
    if (proto.framing !== 'none') {
      this.ev = [];
      const onPayload = (payload: string) => {
        this.ev!.push(this.chunkAt, proto.event!(payload, this.st) | this.readFlag);
        this.readFlag = 0;
      };
      this.parser = proto.framing === 'sse' ? sseParser(onPayload) : ndjsonParser(onPayload);
    }
  }

  protected headers(_status: number, contentType: string | undefined): void {
    this.rec.h = now() - this.rec.t;
    this.st.contentType = contentType;
  }

  protected data(chunk: Buffer): void {
    if (this.parser) {
      this.chunkAt = now() - this.rec.t;
      this.readFlag = EV_READ;
      this.first ??= chunk;
      this.parser.feed(chunk);
    } else if (!this.first) this.first = chunk;
    else (this.more ??= [this.first]).push(chunk);
  }

  protected end(): void {
    const rec = this.rec;
    rec.e = now() - rec.t;
    if (this.parser) {
      this.chunkAt = rec.e;
      this.readFlag = 0; // a flushed final event belongs to the last read
      this.parser.end();
    } else if (this.proto.body)
      this.proto.body(this.more ? Buffer.concat(this.more) : (this.first ?? Buffer.alloc(0)), this.st);
  }

  protected finished(out: ExchangeOutcome): void {
    const rec = this.rec;
    const st = this.st;
    if (!rec.e) rec.e = now() - rec.t;
    rec.st = out.status;
    rec.bi = out.bytes;
    if (this.ev?.length) rec.ev = this.ev;
    if (out.error) {
      rec.ek = out.error.kind;
      rec.er = out.error.message;
      if (out.error.kind === 'cancelled') rec.x = 1;
    } else if (st.error === undefined && this.ev) this.checkStream();
    if (!out.error && st.error !== undefined) {
      rec.ek = st.malformed ? 'malformed' : 'in-stream';
      rec.er = st.error;
    }
    rec.iu = st.usageIn;
    rec.ou = st.usageOut;
    rec.ic = st.usageCached;
    if (this.countOutput) rec.oo = countTokens(st.text);
    this.answer?.(st.text);
    if (st.usageReasoning !== undefined) rec.ru = st.usageReasoning;
    if (st.reasoning !== undefined && this.countOutput) rec.ro = countTokens(st.reasoning);
    // The connection first, so that a closed-loop worker's next request (sent from `done`) takes this one.
    this.target.release(this);
    this.done();
  }

  /**
   * A stream must be one (its content type) and must carry the API's
   * generation field at least once: a 200 of HTML, of truncated JSON or of
   * events without `choices` is not a generation, however fast it came.
   */
  private checkStream(): void {
    const st = this.st;
    const want = this.proto.framing === 'sse' ? /event-stream/i : /ndjson|json/i;
    const got = () => `received ${escapedBytes(this.first)}`;
    if (st.contentType !== undefined && !want.test(st.contentType)) {
      st.malformed = true;
      st.error = `Unexpected content type "${st.contentType}" (expected ${this.proto.framing === 'sse' ? 'text/event-stream' : 'application/x-ndjson'}); ${got()}`;
      return;
    }
    const ev = this.ev!;
    for (let k = 1; k < ev.length; k += 2) if (ev[k] & EV_CHOICE) return;
    st.malformed = true;
    st.error = `${ev.length ? `${ev.length / 2} event(s) but no generation event` : 'No event'} in the stream; ${got()}`;
  }
}

/**
 * Requests over HTTP/1.1 keep-alive, one connection per concurrent request
 * (undici Clients with pipelining 1; a request waits in a queue here when
 * every connection is busy). Streamed events are timestamped when their
 * chunk arrives; non-streamed bodies are only shape-checked (see apiProtocol).
 */
export class HttpTarget implements CallTarget {
  private readonly clients: Client[] = [];
  /** Idle connections, the one freed last on top. */
  private readonly idle: Client[] = [];
  /** Requests waiting for a connection, first in first out (`head` is the next one). */
  private waiting: HttpCall[] = [];
  private head = 0;
  private closed = false;
  private readonly headers = new WeakMap<ApiRequest, string[]>();

  constructor(private readonly o: HttpTargetOptions) {}

  start(i: number, rec: RawRecord, done: () => void, plan?: CallPlan): PendingCall {
    const p = plan ?? this.o.plan(i);
    const request = p.request;
    rec.n = p.n;
    rec.io = p.inputOwn;
    rec.bo = request.body.length;
    if (p.turn) {
      rec.cv = p.turn.conversation;
      rec.tn = p.turn.turn;
    }
    if (p.adapter !== undefined) rec.ad = p.adapter;
    const call = new HttpCall(this, rec, this.o.protocol, this.o.countOutput, done, p.answer);
    const ex: HttpExchange = {
      method: 'POST',
      path: this.o.basePath + request.path,
      headers: this.headersOf(request),
      body: request.body,
    };
    rec.t = now();
    const client = this.acquire();
    if (client) this.dispatch(call, client, ex);
    else if (this.closed) call.abort(new CancelledError('Benchmark step ended'));
    else {
      call.pending = ex;
      this.waiting.push(call);
    }
    return call;
  }

  private dispatch(call: HttpCall, client: Client, ex: HttpExchange): void {
    call.client = client;
    call.send(client, this.o.origin, ex);
  }

  /** An idle connection, or a new one while fewer than `connections` exist. */
  private acquire(): Client | undefined {
    if (this.idle.length) return this.idle.pop();
    if (this.closed || this.clients.length >= Math.max(1, this.o.connections)) return undefined;
    const c = createClient(this.o.origin, { allowSelfSigned: this.o.allowSelfSigned });
    this.clients.push(c);
    return c;
  }

  /** A call finished: its connection goes to the oldest waiting request, else back to the idle ones. */
  release(call: HttpCall): void {
    const client = call.client;
    if (!client) return; // it never had one (cancelled while waiting)
    call.client = undefined;
    while (this.head < this.waiting.length) {
      const next = this.waiting[this.head];
      this.waiting[this.head++] = undefined as unknown as HttpCall;
      if (this.head === this.waiting.length) {
        this.waiting = [];
        this.head = 0;
      }
      if (next.isFinished) continue; // timed out or cancelled while waiting
      const ex = next.pending!;
      next.pending = undefined;
      return this.dispatch(next, client, ex);
    }
    if (!this.closed) this.idle.push(client);
  }

  /** Request headers, built once per distinct request (requests are reused across the run). */
  private headersOf(request: ApiRequest): string[] {
    let h = this.headers.get(request);
    if (!h)
      this.headers.set(
        request,
        (h = ['content-type', request.contentType, ...this.o.headers, ...(request.headers ?? [])]),
      );
    return h;
  }

  async close(): Promise<void> {
    this.closed = true;
    const reason = new CancelledError('Benchmark step ended');
    for (let k = this.head; k < this.waiting.length; k++) this.waiting[k].abort(reason);
    this.waiting = [];
    this.head = 0;
    this.idle.length = 0;
    // destroy, not close: a cancelled run must not wait for streams still open.
    await Promise.all(this.clients.map((c) => c.destroy(reason)));
  }
}
