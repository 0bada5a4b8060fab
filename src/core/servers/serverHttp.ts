/**
 * The HTTP side of an adapter: one base URL plus the per-server options
 * (bearer key, self-signed opt-in, per-call timeout) applied to every call.
 * Built on the shared undici pools of `http/client.ts`.
 */
import { httpRequest, type HttpResponse } from '../http/client';
import { httpError, InferenceError, parseBaseUrl } from '../http/errors';

export interface ServerHttpOptions {
  apiKey?: string;
  allowSelfSigned?: boolean;
  /** Per-call limit in ms (default 5000). */
  timeoutMs?: number;
  /** Largest body read (default 16 MiB); detection probes take far less. */
  maxBodyBytes?: number;
  /** Server-specific reading of an error answer (e.g. TorchServe's auth failure is a 400). */
  mapError?: (res: HttpResponse) => InferenceError | undefined;
}

export const defaultTimeoutMs = 5000;

/** `base` without query, fragment, credentials or trailing slash. Throws 'invalid-url'. */
export function normalizeBaseUrl(input: string): string {
  const u = parseBaseUrl(input);
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
}

/** Joins a base URL (which may carry a path prefix) and an absolute path. */
export function joinUrl(base: string, path: string): string {
  return path ? `${base.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}` : base;
}

/** The same host with another port (TorchServe management, Triton metrics). */
export function withPort(base: string, port: number, path = ''): string {
  const u = new URL(base);
  u.port = String(port);
  return joinUrl(`${u.protocol}//${u.host}`, path);
}

/** The port of a base URL, defaulting by scheme. */
export function portOf(base: string): number {
  const u = new URL(base);
  return u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
}

export class ServerHttp {
  readonly base: string;
  constructor(
    baseUrl: string,
    private readonly opts: ServerHttpOptions = {},
  ) {
    this.base = normalizeBaseUrl(baseUrl);
  }

  /** The same options against another base URL. */
  at(baseUrl: string): ServerHttp {
    return new ServerHttp(baseUrl, this.opts);
  }

  url(path: string): string {
    return joinUrl(this.base, path);
  }

  /** Any HTTP status resolves; only transport failures (refused, DNS, TLS, timeout) throw. */
  async get(path: string, signal?: AbortSignal, method = 'GET', body?: string): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: 'application/json, text/plain;q=0.9, */*;q=0.5' };
    if (this.opts.apiKey) headers.authorization = `Bearer ${this.opts.apiKey}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return httpRequest(this.url(path), {
      method,
      headers,
      body,
      signal,
      timeoutMs: this.opts.timeoutMs ?? defaultTimeoutMs,
      allowSelfSigned: this.opts.allowSelfSigned,
      throwOnHttpError: false,
      maxBodyBytes: this.opts.maxBodyBytes ?? 16 * 1024 * 1024,
    });
  }

  /** Throws the normalized error for a non-2xx answer. */
  ensureOk(res: HttpResponse): HttpResponse {
    if (res.status >= 200 && res.status < 300) return res;
    throw this.opts.mapError?.(res) ?? httpError(res.status, res.body, res.url);
  }

  async getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.ensureOk(await this.get(path, signal)).json<T>();
  }

  async postJson<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    const res = this.ensureOk(
      await this.get(path, signal, 'POST', body === undefined ? undefined : JSON.stringify(body)),
    );
    return res.json<T>();
  }

  /** The JSON object at `path` on a 2xx answer; undefined for other statuses or bodies. Transport failures throw. */
  async optionalJson(path: string, signal?: AbortSignal): Promise<Record<string, unknown> | undefined> {
    const res = await this.get(path, signal);
    if (res.status < 200 || res.status >= 300) return undefined;
    try {
      const j: unknown = JSON.parse(res.text());
      return j && typeof j === 'object' && !Array.isArray(j) ? (j as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
}
