/**
 * The servers bench:engine measures against, in their own process (so their
 * CPU is not counted as the engine's): one node:http server with
 *   POST /embed            → `[[0.1]]` (a TEI-shaped answer, tiny)
 *   POST /v1/completions   → SSE: `count` events (`?count=&interval=` in the
 *                            body as JSON), each stamped with the server's
 *                            CLOCK_MONOTONIC time in ms (`ts`), then [DONE]
 *   GET  /plain            → `ok`
 * Prints one line `{"url": …}` when listening; exits on SIGTERM.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const monoMs = () => Number(process.hrtime.bigint()) / 1e6;
const tiny = Buffer.from('[[0.1]]');

function stream(res: http.ServerResponse, count: number, intervalMs: number): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
  let sent = 0;
  const one = () => `data: {"choices":[{"index":0,"text":" x"}],"ts":${monoMs().toFixed(3)}}\n\n`;
  if (intervalMs <= 0) {
    let out = '';
    for (; sent < count; sent++) out += one();
    res.end(`${out}data: [DONE]\n\n`);
    return;
  }
  const start = monoMs();
  const tick = () => {
    if (res.destroyed) return;
    res.write(one());
    if (++sent >= count) return void res.end('data: [DONE]\n\n');
    // Deadline chain: no drift however late one timer fires.
    setTimeout(tick, Math.max(0, start + sent * intervalMs - monoMs()));
  };
  setTimeout(tick, intervalMs);
}

const server = http.createServer((req, res) => {
  const parts: Buffer[] = [];
  req.on('data', (c: Buffer) => parts.push(c));
  req.on('end', () => {
    if (req.url === '/embed') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': tiny.length });
      return void res.end(tiny);
    }
    if (req.url === '/v1/completions') {
      const b = JSON.parse(Buffer.concat(parts).toString('utf8') || '{}') as { max_tokens?: number; interval?: number };
      return stream(res, b.max_tokens ?? 16, b.interval ?? 0);
    }
    if (req.url === '/plain') {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
      return void res.end('ok');
    }
    res.writeHead(404).end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
