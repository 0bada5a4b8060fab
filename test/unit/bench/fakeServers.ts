/**
 * Small local servers for the engine's tests: they speak just enough of each
 * wire protocol (wire reference) and let a test control timing exactly. All
 * bind 127.0.0.1 on a free port; `close()` ends every socket.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeServer {
  url: string;
  port: number;
  /** Requests received, in order (method, path, parsed JSON body or raw length). */
  requests: Array<{ method: string; path: string; body: unknown; headers: http.IncomingHttpHeaders; at: number }>;
  close(): Promise<void>;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void | Promise<void>;

export async function startServer(handler: Handler): Promise<FakeServer> {
  const requests: FakeServer['requests'] = [];
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const body = Buffer.concat(parts);
      let parsed: unknown = body.length;
      if (/json/.test(req.headers['content-type'] ?? '')) {
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch {
          parsed = body.toString('utf8');
        }
      }
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        body: parsed,
        headers: req.headers,
        at: performance.now(),
      });
      void Promise.resolve(handler(req, res, body)).catch((e: Error) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: e.message }));
      });
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A free port with nothing listening on it (bound, then closed). */
export async function deadPort(): Promise<number> {
  const s = await startServer((_q, res) => void res.end());
  await s.close();
  return s.port;
}

function json(res: http.ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

export interface OpenAiTiming {
  ttftMs: number;
  tokenMs: number;
  tokens?: number;
}

/**
 * OpenAI completions/chat streaming like vLLM: a role chunk (chat), one chunk
 * per token, a finish chunk, a usage chunk, [DONE]. Token text is " tok".
 */
export function openAiHandler(timing: OpenAiTiming | ((n: number) => OpenAiTiming)): Handler {
  let n = 0;
  return async (req, res, raw) => {
    if (req.method === 'GET' && req.url === '/v1/models')
      return json(res, 200, { object: 'list', data: [{ id: 'fake-llm', object: 'model', owned_by: 'fake' }] });
    if (req.method !== 'POST' || !/\/v1\/(chat\/)?completions$/.test(req.url ?? ''))
      return json(res, 404, { detail: 'Not Found' });
    const body = JSON.parse(raw.toString('utf8')) as { max_tokens?: number; messages?: unknown; prompt?: string };
    const t = typeof timing === 'function' ? timing(n++) : timing;
    const chat = Array.isArray(body.messages);
    const tokens = t.tokens ?? body.max_tokens ?? 4;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
    const send = (v: unknown) => res.write(`data: ${typeof v === 'string' ? v : JSON.stringify(v)}\n\n`);
    const choice = (text: string, finish: string | null = null) =>
      chat
        ? {
            index: 0,
            delta:
              text === '' && finish === null ? { role: 'assistant', content: '' } : finish ? {} : { content: text },
            finish_reason: finish,
          }
        : { index: 0, text, finish_reason: finish };
    await sleep(t.ttftMs);
    if (chat) send({ object: 'chat.completion.chunk', choices: [choice('')] });
    for (let k = 0; k < tokens; k++) {
      if (k > 0) await sleep(t.tokenMs);
      send({ object: chat ? 'chat.completion.chunk' : 'text_completion', choices: [choice(' tok')] });
    }
    send({ object: chat ? 'chat.completion.chunk' : 'text_completion', choices: [choice('', 'length')] });
    send({ choices: [], usage: { prompt_tokens: 7, completion_tokens: tokens, total_tokens: 7 + tokens } });
    send('[DONE]');
    res.end();
  };
}

/** TEI `/embed`: a bare array of one small vector per input, after `delayMs`. */
export function teiHandler(delayMs: (n: number) => number = () => 0): Handler {
  let n = 0;
  return async (req, res, raw) => {
    if (req.url !== '/embed') return json(res, 404, { error: 'not found', error_type: 'Validation' });
    const inputs = (JSON.parse(raw.toString('utf8')) as { inputs: string[] }).inputs;
    await sleep(delayMs(n++));
    json(
      res,
      200,
      inputs.map(() => [0.1, 0.2]),
    );
  };
}
