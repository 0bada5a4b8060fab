/**
 * Test helpers for the tensor personalities: an embedded server running only
 * Triton, TorchServe and TF Serving on free ports with exact (jitter-free)
 * timing, and a raw HTTP client that keeps header casing and body bytes.
 */
import http from 'node:http';
import { EmbeddedServer } from '../../../../src/core/embedded/server';
import type { EmbeddedConfigInput } from '../../../../src/core/embedded/config';
import type { Personality } from '../../../../src/core/embedded/personality';

const loaders: Record<string, () => Promise<Personality>> = {
  triton: async () => (await import('../../../../src/core/embedded/personalities/triton/triton.js')).tritonPersonality,
  torchserve: async () =>
    (await import('../../../../src/core/embedded/personalities/torchserve/torchserve.js')).torchservePersonality,
  tfserving: async () =>
    (await import('../../../../src/core/embedded/personalities/tfserving/tfserving.js')).tfservingPersonality,
};

/** Fast, exact latencies so tests run quickly and deterministically. */
export const FAST = { batchBaseMs: 1, perItemMs: 0.2, jitter: 0, maxBatch: 8 };

export function tensorServer(only: string[], config: EmbeddedConfigInput = {}): EmbeddedServer {
  const chosen = Object.fromEntries(Object.entries(loaders).filter(([k]) => only.includes(k)));
  return new EmbeddedServer(
    {
      portBase: 0,
      models: [
        { name: 'resnet50', kind: 'image-classification', latency: FAST },
        { name: 'mini-embed', kind: 'embedding', dimensions: 16, latency: FAST },
        {
          name: 'tiny-llm',
          kind: 'text-generation',
          latency: { prefillBaseMs: 1, prefillPerTokenMs: 0, decodePerTokenMs: 1, jitter: 0 },
        },
      ],
      ...config,
    },
    { loaders: chosen },
  );
}

export interface RawResponse {
  status: number;
  /** Header names exactly as sent. */
  rawHeaderNames: string[];
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** Body chunks as they arrived (chunked transfer). */
  chunks: Buffer[];
}

export function rawRequest(
  url: string,
  o: { method?: string; headers?: Record<string, string | number>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: o.method ?? 'GET', headers: o.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          rawHeaderNames: res.rawHeaders.filter((_, i) => i % 2 === 0),
          headers: res.headers,
          body: Buffer.concat(chunks),
          chunks,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

export const json = (r: RawResponse): unknown => JSON.parse(r.body.toString('utf8'));

/** A deterministic FP32 image batch [n,3,224,224]. */
export function pixels(n: number, seed = 1): Float32Array {
  const a = new Float32Array(n * 3 * 224 * 224);
  for (let i = 0; i < a.length; i++) a[i] = ((i * 7919 + seed * 104729) % 255) / 255;
  return a;
}

/**
 * One HTTP/1.1 exchange over a raw socket, returning the head and the
 * chunks exactly as framed by Transfer-Encoding: chunked.
 */
export async function rawChunked(
  url: string,
  method: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ head: string; chunks: string[] }> {
  const { connect } = await import('node:net');
  const u = new URL(url);
  const data = await new Promise<Buffer>((resolve, reject) => {
    const sock = connect(Number(u.port), u.hostname, () => {
      const extra = Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      sock.write(
        `${method} ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`,
      );
    });
    const parts: Buffer[] = [];
    sock.on('data', (c: Buffer) => parts.push(c));
    sock.on('end', () => resolve(Buffer.concat(parts)));
    sock.on('error', reject);
  });
  const split = data.indexOf('\r\n\r\n');
  const head = data.subarray(0, split).toString('latin1');
  const chunks: string[] = [];
  let at = split + 4;
  while (at < data.length) {
    const lineEnd = data.indexOf('\r\n', at);
    const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!size) break;
    chunks.push(data.subarray(lineEnd + 2, lineEnd + 2 + size).toString('utf8'));
    at = lineEnd + 2 + size + 2;
  }
  return { head, chunks };
}
