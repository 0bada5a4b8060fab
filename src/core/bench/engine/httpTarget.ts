import type { Pool } from 'undici';
import { CancelledError } from '../../util/abort';
import type { ApiProtocol, ApiRequest, StreamState } from '../protocols/apiProtocol';
import type { RawRecord } from '../record';
import { createPool, exchange, type ExchangeOutcome } from '../transport/httpExchange';
import { ndjsonParser, sseParser, type PushParser } from '../transport/pushParsers';
import { countTokens } from '../workload/tokens';
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

/**
 * Requests over HTTP/1.1 keep-alive on a pool with one connection per
 * concurrent request. Streamed events are timestamped when their chunk
 * arrives; non-streamed bodies are only shape-checked (see apiProtocol).
 */
export class HttpTarget implements CallTarget {
  private readonly pool: Pool;
  private readonly headers = new WeakMap<ApiRequest, string[]>();

  constructor(private readonly o: HttpTargetOptions) {
    this.pool = createPool(o.origin, o.connections, { allowSelfSigned: o.allowSelfSigned });
  }

  start(i: number, rec: RawRecord, done: () => void): PendingCall {
    const { request, n, inputOwn } = this.o.plan(i);
    const proto = this.o.protocol;
    rec.n = n;
    rec.io = inputOwn;
    rec.bo = request.body.length;
    const st: StreamState = { text: '' };
    const ev: number[] = [];
    let chunkAt = 0;
    let parser: PushParser | undefined;
    const onPayload = (payload: string) => ev.push(chunkAt, proto.event!(payload, st));
    if (proto.framing === 'sse') parser = sseParser(onPayload);
    else if (proto.framing === 'ndjson') parser = ndjsonParser(onPayload);
    const body: Buffer[] | undefined = parser ? undefined : [];
    const finish = (out: ExchangeOutcome) => {
      if (!rec.e) rec.e = now() - rec.t;
      rec.st = out.status;
      rec.bi = out.bytes;
      if (ev.length) rec.ev = ev;
      if (out.error) {
        rec.ek = out.error.kind;
        rec.er = out.error.message;
        if (out.error.kind === 'cancelled') rec.x = 1;
      } else if (st.error !== undefined) {
        rec.ek = 'in-stream';
        rec.er = st.error;
      }
      rec.iu = st.usageIn;
      rec.ou = st.usageOut;
      if (this.o.countOutput) rec.oo = countTokens(st.text);
      done();
    };
    rec.t = now();
    return exchange(this.pool, this.o.origin, { method: 'POST', path: this.o.basePath + request.path, headers: this.headersOf(request), body: request.body }, {
      headers: () => (rec.h = now() - rec.t),
      data: (chunk) => {
        if (!parser) return void body!.push(chunk);
        chunkAt = now() - rec.t;
        parser.feed(chunk);
      },
      end: () => {
        rec.e = now() - rec.t;
        if (parser) {
          chunkAt = rec.e;
          parser.end();
        } else if (proto.body) proto.body(body!.length === 1 ? body![0] : Buffer.concat(body!), st);
      },
    }, finish);
  }

  /** Request headers, built once per distinct request (requests are reused across the run). */
  private headersOf(request: ApiRequest): string[] {
    let h = this.headers.get(request);
    if (!h) this.headers.set(request, (h = ['content-type', request.contentType, ...this.o.headers, ...(request.headers ?? [])]));
    return h;
  }

  async close(): Promise<void> {
    // destroy, not close: a cancelled run must not wait for streams still open.
    await this.pool.destroy(new CancelledError('Benchmark step ended'));
  }
}
