/**
 * One round of fingerprint probes against a base URL. Each path is fetched at
 * most once however many adapters ask for it, so detection can run every
 * adapter's matcher in parallel without sending duplicate requests, and the
 * session remembers what each path answered for the "what was seen" report.
 */
import type { HttpResponse } from '../http/client';
import { InferenceError, toInferenceError } from '../http/errors';
import type { ServerHttp } from './serverHttp';

export type ProbeAnswer =
  | { reached: true; status: number; headers: Record<string, string>; text: string; json: unknown }
  | { reached: false; error: InferenceError };

/** What one probed path answered, in a line: `200 application/json {"name":"triton"…}`. */
export function describeAnswer(a: ProbeAnswer): string {
  if (!a.reached) return `error: ${a.error.message}`;
  const type = a.headers['content-type']?.split(';')[0];
  const body = a.text.replace(/\s+/g, ' ').trim();
  return [String(a.status), type, body ? (body.length > 120 ? `${body.slice(0, 120)}…` : body) : '(empty body)']
    .filter(Boolean)
    .join(' ');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toAnswer(res: HttpResponse): ProbeAnswer {
  const text = res.text();
  return { reached: true, status: res.status, headers: res.headers, text, json: parseJson(text) };
}

export class ProbeSession {
  private readonly answers = new Map<string, Promise<ProbeAnswer>>();
  private readonly done = new Map<string, ProbeAnswer>();

  constructor(
    readonly http: ServerHttp,
    readonly signal?: AbortSignal,
  ) {}

  /** GET (or POST) `path` once; never throws: a transport failure is an answer too. */
  get(path: string, method = 'GET'): Promise<ProbeAnswer> {
    const key = `${method} ${path}`;
    let p = this.answers.get(key);
    if (!p) {
      p = this.http
        .get(path, this.signal, method, method === 'POST' ? '{}' : undefined)
        .then(toAnswer, (e: unknown) => ({ reached: false as const, error: toInferenceError(e, this.http.url(path)) }))
        .then((a) => {
          this.done.set(key, a);
          return a;
        });
      this.answers.set(key, p);
    }
    return p;
  }

  /** Every answered probe so far, `"GET /v2": "404 application/json {…}"`. */
  seen(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, a] of this.done) out[k] = describeAnswer(a);
    return out;
  }

  answered(): ProbeAnswer[] {
    return [...this.done.values()];
  }
}

/** The object at `a.json` when the probe answered `status` (default any 2xx) with a JSON object. */
export function jsonObject(a: ProbeAnswer, status?: number): Record<string, unknown> | undefined {
  if (!a.reached) return undefined;
  if (status === undefined ? a.status < 200 || a.status >= 300 : a.status !== status) return undefined;
  const j = a.json;
  return j && typeof j === 'object' && !Array.isArray(j) ? (j as Record<string, unknown>) : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
