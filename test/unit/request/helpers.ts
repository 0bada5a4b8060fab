/** Servers for the request tests: the embedded server in-process on free ports, and a scripted node:http peer. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { personalityLoaders } from '../../../src/core/embedded/personalityList';
import { EmbeddedServer } from '../../../src/core/embedded/server';
import type { EmbeddedConfigInput } from '../../../src/core/embedded/config';
import type { RequestTarget } from '../../../src/shared/request';

export async function startEmbedded(
  names: string[],
  config: EmbeddedConfigInput = {},
): Promise<{ endpoints: Record<string, string>; stop(): Promise<void> }> {
  const loaders = Object.fromEntries(names.map((n) => [n, personalityLoaders[n]]));
  const server = new EmbeddedServer({ ...config, portBase: 0, host: '127.0.0.1' }, { loaders });
  const endpoints = await server.start();
  return { endpoints, stop: () => server.stop() };
}

export interface Scripted {
  url: string;
  /** Requests seen, in order (method, path, headers, body). */
  seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: Buffer }>;
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1:0 answering with `handler` (full control of the bytes sent). */
export async function scriptedServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void,
): Promise<Scripted> {
  const seen: Scripted['seen'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export function target(
  kind: string,
  baseUrl: string,
  model?: string,
  extra: Partial<RequestTarget> = {},
): RequestTarget {
  return { serverId: `test.${kind}`, serverName: `test ${kind}`, kind, baseUrl, model, ...extra };
}

/**
 * A forwarding proxy on 127.0.0.1 (`port`, or a free one) in front of `target`, recording each request's method and
 * path as it forwards it.
 */
export async function recordingProxy(
  target: string,
  port = 0,
): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const to = new URL(target);
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const out = http.request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Writes SSE/NDJSON pieces with a pause between them, as a server generating tokens does. */
export async function writeSlowly(res: http.ServerResponse, pieces: string[], gapMs = 5): Promise<void> {
  for (const p of pieces) {
    if (res.destroyed) return;
    res.write(p);
    await new Promise((r) => setTimeout(r, gapMs));
  }
}
