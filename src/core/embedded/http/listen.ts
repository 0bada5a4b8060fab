/**
 * Opens one node:http listener for a personality. node:http (not a framework)
 * keeps the per-request overhead close to a bare server, which the
 * `bench:server` target measures.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CancelledError } from '../../util/abort';

export interface HttpListener {
  server: http.Server;
  port: number;
  /** `http://host:port` (a wildcard host is shown as 127.0.0.1). */
  url: string;
  close(): Promise<void>;
}

/** `host:port` as clients should dial it (wildcard binds are reached through loopback). */
export function dialHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export function listenHttp(handler: http.RequestListener, host: string, port: number, signal?: AbortSignal): Promise<HttpListener> {
  const server = http.createServer({ keepAliveTimeout: 10_000 }, handler);
  return listenServer(server, host, port, signal).then((p) => ({
    server,
    port: p,
    url: `http://${dialHost(host)}:${p}`,
    close: () => closeServer(server),
  }));
}

/** Listens and resolves the bound port; rejects with a clear message if the port is taken. */
export function listenServer(server: http.Server, host: string, port: number, signal?: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const onAbort = () => {
      void closeServer(server);
      reject(new CancelledError());
    };
    const onError = (e: NodeJS.ErrnoException) => {
      signal?.removeEventListener('abort', onAbort);
      reject(new Error(e.code === 'EADDRINUSE' ? `Port ${port} on ${host} is already in use` : e.code === 'EACCES' ? `No permission to listen on ${host}:${port}` : `Cannot listen on ${host}:${port}: ${e.message}`));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      signal?.removeEventListener('abort', onAbort);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Stops accepting and ends every open connection, idle or streaming. */
export function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
