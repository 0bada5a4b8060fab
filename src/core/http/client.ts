import { Agent, request, type Dispatcher } from 'undici';
import { withTimeout } from '../util/abort';
import { httpError, InferenceError, toInferenceError } from './errors';

export interface HttpRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  signal?: AbortSignal;
  /** Whole-call limit (connect + headers + body). Default 10 s. */
  timeoutMs?: number;
  /** Refuse bodies larger than this (default 64 MiB) instead of buffering them. */
  maxBodyBytes?: number;
  /** Accept self-signed TLS certificates (explicit per-server opt-in only). */
  allowSelfSigned?: boolean;
  /** Reject non-2xx answers with an InferenceError (default true). */
  throwOnHttpError?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  url: string;
  text(): string;
  /** Parses JSON, or throws a 'malformed' InferenceError naming the URL. */
  json<T = unknown>(): T;
}

export interface HttpStreamResponse {
  status: number;
  headers: Record<string, string>;
  url: string;
  /** The body as raw chunks, in arrival order. */
  chunks: AsyncIterable<Buffer>;
  /** Stops reading and releases the connection. */
  cancel(): void;
}

const agents = new Map<string, Agent>();

/** Keep-alive pools shared per TLS policy; undici pools per origin inside an Agent. */
export function dispatcherFor(allowSelfSigned = false, connections?: number): Dispatcher {
  const key = `${allowSelfSigned}:${connections ?? ''}`;
  let a = agents.get(key);
  if (!a) {
    a = new Agent({
      keepAliveTimeout: 10_000,
      connections: connections ?? null,
      connect: allowSelfSigned ? { rejectUnauthorized: false } : undefined,
    });
    agents.set(key, a);
  }
  return a;
}

/** Closes the shared pools (extension deactivate, end of CLI). */
export async function closeHttpPools(): Promise<void> {
  const all = [...agents.values()];
  agents.clear();
  await Promise.allSettled(all.map((a) => a.close()));
}

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function makeResponse(status: number, headers: Record<string, string>, body: Buffer, url: string): HttpResponse {
  return {
    status,
    headers,
    body,
    url,
    text: () => body.toString('utf8'),
    json<T>() {
      try {
        return JSON.parse(body.toString('utf8')) as T;
      } catch {
        const preview = body.toString('utf8', 0, Math.min(body.length, 120)).replace(/\s+/g, ' ');
        throw new InferenceError('malformed', `Expected JSON from ${url} but got: ${preview || '(empty body)'}`, {
          status,
          url,
        });
      }
    },
  };
}

/** One buffered HTTP exchange with a timeout, cancellation and normalized errors. */
export async function httpRequest(url: string, opts: HttpRequestOptions = {}): Promise<HttpResponse> {
  const t = withTimeout(opts.signal, opts.timeoutMs ?? 10_000, 'Request');
  const max = opts.maxBodyBytes ?? 64 * 1024 * 1024;
  try {
    const res = await request(url, {
      method: (opts.method ?? 'GET') as Dispatcher.HttpMethod,
      headers: opts.headers,
      body: opts.body,
      signal: t.signal,
      dispatcher: dispatcherFor(opts.allowSelfSigned),
    });
    const parts: Buffer[] = [];
    let size = 0;
    for await (const c of res.body) {
      size += (c as Buffer).length;
      if (size > max) {
        res.body.destroy();
        throw new InferenceError('malformed', `Response from ${url} is larger than ${max} bytes`, {
          status: res.statusCode,
          url,
        });
      }
      parts.push(c as Buffer);
    }
    const out = makeResponse(res.statusCode, flatHeaders(res.headers), Buffer.concat(parts), url);
    if ((opts.throwOnHttpError ?? true) && (res.statusCode < 200 || res.statusCode >= 300)) {
      throw httpError(res.statusCode, out.body, url);
    }
    return out;
  } catch (e) {
    throw toInferenceError(t.signal.aborted ? (t.signal.reason ?? e) : e, url);
  } finally {
    t.dispose();
  }
}

/**
 * Starts a streaming exchange: resolves once headers arrive. A non-2xx answer
 * is read in full and thrown as an InferenceError. `timeoutMs` bounds the wait
 * for headers only; the stream itself runs until done or cancelled.
 */
export async function httpStream(url: string, opts: HttpRequestOptions = {}): Promise<HttpStreamResponse> {
  const ctrl = new AbortController();
  const onAbort = () => ctrl.abort(opts.signal?.reason);
  if (opts.signal?.aborted) onAbort();
  else opts.signal?.addEventListener('abort', onAbort, { once: true });
  const t = withTimeout(ctrl.signal, opts.timeoutMs ?? 30_000, 'Waiting for response headers');
  try {
    const res = await request(url, {
      method: (opts.method ?? 'POST') as Dispatcher.HttpMethod,
      headers: opts.headers,
      body: opts.body,
      signal: ctrl.signal,
      dispatcher: dispatcherFor(opts.allowSelfSigned),
    });
    t.dispose();
    if (res.statusCode < 200 || res.statusCode >= 300) {
      const body = Buffer.from(await res.body.arrayBuffer());
      throw httpError(res.statusCode, body, url);
    }
    const body = res.body;
    async function* chunks(): AsyncIterable<Buffer> {
      try {
        for await (const c of body) yield c as Buffer;
      } catch (e) {
        throw toInferenceError(e, url);
      } finally {
        opts.signal?.removeEventListener('abort', onAbort);
      }
    }
    return {
      status: res.statusCode,
      headers: flatHeaders(res.headers),
      url,
      chunks: chunks(),
      cancel: () => ctrl.abort(),
    };
  } catch (e) {
    t.dispose();
    opts.signal?.removeEventListener('abort', onAbort);
    throw toInferenceError(t.signal.aborted ? (t.signal.reason ?? e) : e, url);
  }
}
