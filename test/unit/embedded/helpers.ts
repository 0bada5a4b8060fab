/**
 * Test helpers for the text personalities: an embedded server running only
 * the chosen personalities on free ports with exact (jitter-free) timing,
 * and a raw HTTP client that keeps header casing and body bytes.
 */
import http from 'node:http';
import type { EmbeddedConfigInput } from '../../../src/core/embedded/config';
import type { ModelSpec } from '../../../src/core/embedded/models/factory';
import type { Personality } from '../../../src/core/embedded/personality';
import { personalityLoaders } from '../../../src/core/embedded/personalityList';
import { EmbeddedServer } from '../../../src/core/embedded/server';

/** Fast exact latencies: tests stay quick and deterministic. */
export const FAST_TEXT = { prefillBaseMs: 1, prefillPerTokenMs: 0, decodePerTokenMs: 1, jitter: 0 };
export const FAST_BATCH = { batchBaseMs: 1, perItemMs: 0.1, jitter: 0 };

export const testModels: ModelSpec[] = [
  { name: 'tiny-llm', kind: 'text-generation', latency: FAST_TEXT },
  { name: 'mini-embed', kind: 'embedding', dimensions: 64, latency: FAST_BATCH },
];

export function textServer(only: string[], config: EmbeddedConfigInput = {}): EmbeddedServer {
  const loaders: Record<string, () => Promise<Personality>> = {};
  for (const name of only) loaders[name] = personalityLoaders[name];
  return new EmbeddedServer({ portBase: 0, models: testModels, ...config }, { loaders });
}

/** Starts a server, runs `fn` with its endpoints, always stops it. */
export async function withServer<T>(
  only: string[],
  config: EmbeddedConfigInput,
  fn: (ep: Record<string, string>, server: EmbeddedServer) => Promise<T>,
): Promise<T> {
  const server = textServer(only, config);
  const ep = await server.start();
  try {
    return await fn(ep, server);
  } finally {
    await server.stop();
  }
}

export interface RawResponse {
  status: number;
  /** Header names exactly as sent. */
  rawHeaderNames: string[];
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RawOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | object;
}

/** One request over a fresh connection; resolves with the whole body as text. */
export function raw(base: string, path: string, opts: RawOptions = {}): Promise<RawResponse> {
  const body =
    opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  const headers: Record<string, string> = {
    ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...opts.headers,
  };
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}${path}`,
      { method: opts.method ?? (body !== undefined ? 'POST' : 'GET'), headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            rawHeaderNames: res.rawHeaders.filter((_, i) => i % 2 === 0),
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export const json = <T = Record<string, unknown>>(r: RawResponse): T => JSON.parse(r.body) as T;

/** Splits an SSE body into its `data:` payloads, checking each event is exactly `data: ` (or `data:`) + payload + blank line. */
export function sseData(body: string, space: boolean): string[] {
  const prefix = space ? 'data: ' : 'data:';
  assertEndsWithBlank(body);
  return body
    .slice(0, -2)
    .split('\n\n')
    .map((e) => {
      if (!e.startsWith(prefix) || e.includes('\n')) throw new Error(`bad SSE event framing: ${JSON.stringify(e)}`);
      return e.slice(prefix.length);
    });
}

function assertEndsWithBlank(body: string): void {
  if (!body.endsWith('\n\n'))
    throw new Error(`SSE body does not end with a blank line: ${JSON.stringify(body.slice(-40))}`);
}
