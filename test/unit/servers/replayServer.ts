/**
 * A tiny replay server for recorded exchanges (test/fixtures/exchanges/<server>/*.json):
 * answers each request whose method and path match an exchange with the
 * recorded status, headers and bytes (or chunks, written one by one), on
 * 127.0.0.1 free ports, one per port role ("main", "management", "metrics").
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface RecordedResponse {
  status: number;
  headers?: Record<string, string>;
  /** Exact body bytes as text. */
  body?: string;
  /** Serialized compactly when `body` is absent. */
  json?: unknown;
  /** Streamed in this order, one write each (SSE, NDJSON, chunked). */
  chunks?: string[];
  /** Wait this long before answering (timeouts). */
  delayMs?: number;
}

export interface Exchange {
  /** Port role; default "main". */
  port?: string;
  request: { method: string; path: string };
  response: RecordedResponse;
}

export interface Recording {
  server: string;
  defaultPort: number;
  description: string;
  source?: string;
  /** Answer for paths not in `exchanges` on the main port (each server's own 404). */
  notFound?: RecordedResponse;
  exchanges: Exchange[];
}

export interface SeenRequest {
  port: string;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}

const root = path.resolve(__dirname, '..', '..', 'fixtures', 'exchanges');

export function loadRecording(server: string, name: string): Recording {
  return JSON.parse(fs.readFileSync(path.join(root, server, `${name}.json`), 'utf8')) as Recording;
}

export function listRecordings(): { server: string; name: string }[] {
  return fs.readdirSync(root).flatMap((server) =>
    fs
      .readdirSync(path.join(root, server))
      .filter((f) => f.endsWith('.json'))
      .map((f) => ({ server, name: f.replace(/\.json$/, '') })),
  );
}

function matches(e: Exchange, port: string, method: string, url: string): boolean {
  if ((e.port ?? 'main') !== port || e.request.method !== method) return false;
  // A recorded path with a query must match exactly; otherwise the query is ignored.
  return e.request.path.includes('?') ? e.request.path === url : e.request.path === url.split('?')[0];
}

async function send(res: http.ServerResponse, r: RecordedResponse): Promise<void> {
  if (r.delayMs) await new Promise((f) => setTimeout(f, r.delayMs));
  if (res.destroyed) return;
  const body = r.body ?? (r.json !== undefined ? JSON.stringify(r.json) : undefined);
  // Node sets the framing itself: a recorded Content-Length would be sent twice.
  const headers = Object.fromEntries(
    Object.entries(r.headers ?? {}).filter(([k]) => k.toLowerCase() !== 'content-length'),
  );
  if (r.chunks) {
    res.writeHead(r.status, headers);
    for (const c of r.chunks) {
      res.write(c);
      await new Promise((f) => setTimeout(f, 2));
    }
    res.end();
    return;
  }
  headers['content-length'] = String(Buffer.byteLength(body ?? ''));
  res.writeHead(r.status, headers);
  res.end(body ?? '');
}

export class ReplayServer {
  readonly requests: SeenRequest[] = [];
  private readonly servers = new Map<string, http.Server>();

  private constructor(private readonly recordings: Recording[]) {}

  static async start(...recordings: Recording[]): Promise<ReplayServer> {
    const r = new ReplayServer(recordings);
    const roles = new Set(['main', ...recordings.flatMap((x) => x.exchanges.map((e) => e.port ?? 'main'))]);
    for (const role of roles) await r.listen(role);
    return r;
  }

  private async listen(role: string): Promise<void> {
    const server = http.createServer((req, res) => {
      const url = req.url ?? '/';
      this.requests.push({ port: role, method: req.method ?? 'GET', path: url, headers: req.headers });
      req.resume();
      req.on('end', () => {
        const e = this.recordings.flatMap((x) => x.exchanges).find((x) => matches(x, role, req.method ?? 'GET', url));
        const fallback = (role === 'main' && this.recordings.find((x) => x.notFound)?.notFound) || {
          status: 404,
          body: 'Not Found',
          headers: { 'content-type': 'text/plain' },
        };
        void send(res, e?.response ?? fallback);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.servers.set(role, server);
  }

  port(role = 'main'): number {
    const s = this.servers.get(role);
    if (!s) throw new Error(`no "${role}" port in this recording`);
    return (s.address() as AddressInfo).port;
  }

  url(role = 'main'): string {
    return `http://127.0.0.1:${this.port(role)}`;
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.servers.values()].map(
        (s) =>
          new Promise<void>((resolve) => {
            s.closeAllConnections();
            s.close(() => resolve());
          }),
      ),
    );
  }
}
