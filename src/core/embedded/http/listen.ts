/**
 * Opens one node:http listener for a personality. node:http (not a framework)
 * keeps the per-request overhead close to a bare server, which the
 * `bench:server` target measures.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { CancelledError } from '../../util/abort';
import { endPendingNow } from './respond';

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

export function listenHttp(
  handler: http.RequestListener,
  host: string,
  port: number,
  signal?: AbortSignal,
): Promise<HttpListener> {
  const server = http.createServer({ keepAliveTimeout: 10_000 }, handler);
  server.on('clientError', onClientError);
  return listenServer(server, host, port, signal).then((p) => ({
    server,
    port: p,
    url: `http://${dialHost(host)}:${p}`,
    close: () => closeServer(server),
  }));
}

/** node:http's own answers to a request it cannot parse, by parser error code. */
const CLIENT_ERROR_ANSWERS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: 'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 'HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n',
  ERR_HTTP_REQUEST_TIMEOUT: 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n',
};
const BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n';

/**
 * node:http's default for a connection whose next bytes do not parse (answer
 * 400, 431, 413 or 408 unless a response is under way, then close), except
 * that an answer deferred to the end of the loop turn (see `endSoon`) is sent
 * instead, as node:http would have sent it had it not been deferred: those
 * bytes came after the request it answers.
 */
function onClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  // The deferred answer drains before the close (it may be large).
  if (err.code !== 'ECONNRESET' && socket.writable && endPendingNow(socket)) return void socket.destroySoon();
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) socket.write(CLIENT_ERROR_ANSWERS[err.code ?? ''] ?? BAD_REQUEST);
  socket.destroy(err);
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
      reject(
        new Error(
          e.code === 'EADDRINUSE'
            ? `Port ${port} on ${host} is already in use`
            : e.code === 'EACCES'
              ? `No permission to listen on ${host}:${port}`
              : `Cannot listen on ${host}:${port}: ${e.message}`,
        ),
      );
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
    // Answers deferred to the end of this loop turn go out before their connections close.
    endPendingNow();
    server.closeAllConnections();
  });
}
