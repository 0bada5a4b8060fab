/**
 * Misbehaving inference servers, one per fault the CLI and the extension must
 * survive (issue 15). Each binds 127.0.0.1 on a free port and speaks just
 * enough of the OpenAI API (GET /v1/models, POST /v1/completions and
 * /v1/embeddings) to get past detection, then misbehaves in one way. The
 * fault suites (test/unit/faults, test/workbench/suite/faults.test.ts) run
 * the real CLI and extension against them.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface FaultServer {
  url: string;
  port: number;
  /** Inference requests received so far (POSTs). */
  hits(): number;
  /** Stops listening and ends every socket: the server "dies". */
  kill(): Promise<void>;
  close(): Promise<void>;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;

const MODELS = {
  object: 'list',
  data: [{ id: 'fault-llm', object: 'model', owned_by: 'faults', max_model_len: 2048 }],
};

function json(res: http.ServerResponse, status: number, value: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

/** A well-formed vLLM-like completions stream of `tokens` tokens. */
export function goodStream(res: http.ServerResponse, tokens = 3): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
  for (let k = 0; k < tokens; k++)
    res.write(
      `data: ${JSON.stringify({ object: 'text_completion', choices: [{ index: 0, text: ' tok', finish_reason: null }] })}\n\n`,
    );
  res.write(`data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 5, completion_tokens: tokens } })}\n\n`);
  res.end('data: [DONE]\n\n');
}

const goodEmbeddings = (res: http.ServerResponse) =>
  json(res, 200, {
    object: 'list',
    data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2] }],
    usage: { prompt_tokens: 3, total_tokens: 3 },
  });

/**
 * An OpenAI-like server whose inference answers come from `infer`; models and
 * version are well-formed unless `extra` answers those paths first.
 */
export async function faultServer(
  infer: Handler,
  extra?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean,
): Promise<FaultServer> {
  let n = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (extra?.(req, res)) return;
      if (req.method === 'GET' && req.url === '/v1/models') return json(res, 200, MODELS);
      if (req.method === 'GET' && req.url === '/version') return json(res, 200, { version: '0.0.0-faults' });
      if (req.method === 'POST' && /^\/v1\/(completions|chat\/completions|embeddings)$/.test(req.url ?? ''))
        return infer(req, res, n++);
      json(res, 404, { detail: 'Not Found' });
    });
  });
  return listen(server, () => n);
}

async function listen(server: http.Server | net.Server, hits: () => number): Promise<FaultServer> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  let closed = false;
  const kill = () =>
    new Promise<void>((r) => {
      if (closed) return r();
      closed = true;
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return { url: `http://127.0.0.1:${port}`, port, hits, kill, close: kill };
}

/** The faults, by name: each returns a running server. */
export const faults = {
  /** 200 with an HTML page (a proxy's login page) where an event stream belongs. */
  wrongContentType: () =>
    faultServer((_q, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Please sign in</body></html>');
    }),
  /** Answers `good` requests well, then 200 with an HTML page (the run's records must say why each failed). */
  htmlAfter: (good: number) =>
    faultServer((_q, res, n) => {
      if (n < good) return goodStream(res);
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>maintenance</html>');
    }),
  /** 200 text/event-stream whose events are cut-off JSON. */
  truncatedStreamJson: () =>
    faultServer((_q, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: {"object":"text_completion","choices":[{"text":" to\n\n');
    }),
  /** 200 text/event-stream with well-formed events that never carry `choices`, then [DONE]. */
  noGenerationEvent: () =>
    faultServer((_q, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: {"id":"x","object":"text_completion"}\n\ndata: [DONE]\n\n');
    }),
  /** 200 application/json (embeddings) with a body cut short. */
  truncatedJson: () =>
    faultServer((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"object":"list","data":[{"embedding":[0.1,');
    }),
  /** 200 application/json (embeddings) that is not JSON at all. */
  invalidJson: () =>
    faultServer((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{this is not json}');
    }),
  /** 200 application/json (embeddings) of binary garbage. */
  binaryGarbage: () =>
    faultServer((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(Buffer.from([0x00, 0xff, 0x1b, 0x5b, 0x32, 0x4a, 0x89, 0x50, 0x4e, 0x47]));
    }),
  /** 200 application/json embeddings of about 64 KB with one byte in the middle that is not JSON (both ends are fine). */
  badByteInLargeJson: () =>
    faultServer((_q, res) => {
      const embedding = Array.from({ length: 13_000 }, (_, k) => (k % 100) / 100);
      const body = Buffer.from(
        JSON.stringify({
          object: 'list',
          data: [{ object: 'embedding', index: 0, embedding }],
          usage: { prompt_tokens: 3, total_tokens: 3 },
        }),
      );
      body[body.length >> 1] = 0x3f; // "?"
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    }),
  /** Answers `good` requests correctly, then dies (stops listening, drops every socket). */
  diesAfter: async (good: number) => {
    let srv: FaultServer | undefined = undefined;
    srv = await faultServer((req, res, n) => {
      if (n < good) return req.url === '/v1/embeddings' ? goodEmbeddings(res) : goodStream(res);
      res.destroy();
      void srv?.kill();
    });
    return srv;
  },
  /** Starts a good event stream, sends `events` tokens, then resets the connection (a server that crashed mid-answer). */
  resetMidStream: (events = 2) =>
    faultServer((_q, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let k = 0; k < events; k++)
        res.write(`data: ${JSON.stringify({ choices: [{ index: 0, text: ' tok', delta: { content: ' tok' } }] })}\n\n`);
      setTimeout(() => res.socket?.resetAndDestroy(), 50);
    }),
  /** Sends the stream's headers and one token, then nothing more while the connection stays open (a stalled stream). */
  stalledStream: () =>
    faultServer((_q, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, text: ' tok', delta: { content: ' tok' } }] })}\n\n`);
    }),
  /** Answers every request after the first `good` with HTTP 500. */
  failsAfter: (good: number) =>
    faultServer((req, res, n) => {
      if (n < good) return req.url === '/v1/embeddings' ? goodEmbeddings(res) : goodStream(res);
      json(res, 500, { error: { message: 'internal error', type: 'InternalServerError' } });
    }),
  /** Accepts inference requests and never answers (a stalled test request). */
  stall: () => faultServer(() => undefined),
  /** Streams events forever (an endless test request). */
  endlessStream: () =>
    faultServer((_q, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const t = setInterval(
        () => res.write(`data: ${JSON.stringify({ choices: [{ index: 0, text: ' tok' }] })}\n\n`),
        20,
      );
      res.on('close', () => clearInterval(t));
    }),
  /** Accepts the connection and the request of detection, and never answers anything. */
  silent: async () => {
    let connections = 0;
    const server = net.createServer(() => void connections++);
    // hits() counts connections here: detection has begun once one arrived.
    return listen(server, () => connections);
  },
  /** Escape sequences in everything it controls: version, model names, error bodies. */
  controlChars: () =>
    faultServer(
      (_q, res) => json(res, 500, { error: { message: 'boom\x1b]0;pwned\x07\x1b[2J\r\nFAKE: all good' } }),
      (req, res) => {
        if (req.url === '/v1/models')
          return (
            json(res, 200, {
              object: 'list',
              data: [{ id: 'm\x1b[31mred\x1b]0;title\x07', object: 'model', owned_by: 'x' }],
            }),
            true
          );
        if (req.url === '/version') return (json(res, 200, { version: '1.0\x1b[2J\x1b[H' }), true);
        return false;
      },
    ),
  /** A response header of 2 MB on every answer (raw socket: Node's own server refuses to send it). */
  hugeHeader: async () => {
    const big = 'x'.repeat(2 * 1024 * 1024);
    const server = net.createServer((s) => {
      s.once('data', () =>
        s.end(
          `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-big: ${big}\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}`,
        ),
      );
      s.on('error', () => undefined);
    });
    return listen(server, () => 0);
  },
  /** 401 to everything, as a server behind an API key does to a wrong key. */
  auth: (status: 401 | 403 = 401) =>
    faultServer(
      () => undefined,
      (_req, res) => (
        json(res, status, { error: { message: 'Invalid API key', type: 'invalid_request_error' } }),
        true
      ),
    ),
  /** Models and version are fine, inference answers 401 (a key valid for listing only). */
  authOnInference: () => faultServer((_q, res) => json(res, 401, { error: { message: 'Invalid API key' } })),
  /** vLLM with --api-key and a wrong key: /version and /health open (server: uvicorn), the model list and inference answer 401. */
  authOnModels: () =>
    faultServer(
      (_q, res) => json(res, 401, { error: 'Unauthorized' }),
      (req, res) => {
        if (req.url === '/version') return (json(res, 200, { version: '0.10.1' }, { server: 'uvicorn' }), true);
        if (req.url === '/health') return (res.writeHead(200, { server: 'uvicorn' }).end(), true);
        if (req.url === '/v1/models') return (json(res, 401, { error: 'Unauthorized' }), true);
        return false;
      },
    ),
  /** Models list that is not JSON (malformed server data during detection). */
  malformedModels: () =>
    faultServer(
      (_q, res) => goodStream(res),
      (req, res) => {
        if (req.url !== '/v1/models') return false;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"object":"list","data":[{"id":');
        return true;
      },
    ),
  /** Answers the model list once (detection), then never again (the health check that follows hangs). */
  answersOnce: () => {
    let listed = 0;
    return faultServer(
      (_q, res) => goodStream(res),
      (req) => req.url === '/v1/models' && listed++ > 0,
    );
  },
  /** A plain HTTP/1.1 server (what answers when a gRPC address points at an HTTP port). */
  http1: () =>
    faultServer(
      () => undefined,
      (_req, res) => {
        res.writeHead(404, { 'content-type': 'text/html' });
        res.end('<html><body>Not Found</body></html>');
        return true;
      },
    ),
  /** A correct server that takes `ms` per answer (a run long enough to act on while it goes). */
  slow: (ms: number) =>
    faultServer(
      (req, res) => void setTimeout(() => (req.url === '/v1/embeddings' ? goodEmbeddings(res) : goodStream(res)), ms),
    ),
  /** A correct server (the control case). */
  good: () => faultServer((req, res) => (req.url === '/v1/embeddings' ? goodEmbeddings(res) : goodStream(res))),
};
