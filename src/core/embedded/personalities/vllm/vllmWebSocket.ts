/**
 * WebSocket streaming generation on the vLLM personality, at `/v1/stream`
 * (same API-key rule as the other `/v1` routes: `Authorization: Bearer` on
 * the upgrade request). One connection carries any number of requests.
 *
 * Client → server, one JSON text message per request:
 *   `{"id"?: string|number, "model"?, "prompt": str | "messages": [...], "max_tokens"?, "n"?, "seed"?, "stop"?}`
 *   (a completions body, or a chat body when `messages` is present), and
 *   `{"type":"cancel","id":…}` to stop one.
 * Server → client, one JSON text message each:
 *   `{"type":"token","id","index","token_index","text"}` per output token;
 *   `{"type":"done","id","model","choices":[{"index","text","finish_reason"}],"usage":{prompt_tokens,completion_tokens,total_tokens},"timings":{queue_ms,ttft_ms,total_ms}}` at the end;
 *   `{"type":"error","id","error":{"message","type","param","code"}}` (vLLM's error object; `id` null if the message was unreadable).
 * An injected disconnect fault closes the connection abruptly.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseTextRequest, type TextRequest } from '../../openai/textRequest';
import { invalidBody } from '../../openai/validation';
import type { EmbeddedContext } from '../../personality';
import { INJECTED_FAULT_MESSAGE, REQUEST_ERROR_STATUS, RequestError } from '../../requestError';
import { runTextJob } from '../../textJob';
import { hasBearer } from '../bearerAuth';
import type { VllmMetrics } from './vllmMetrics';
import { notReady, vllmErrorObject } from './vllmWire';

export const VLLM_WS_PATH = '/v1/stream';

type RequestId = string | number | null;

function refuse(socket: Duplex, status: number, reason: string, body: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

function errorMessage(id: RequestId, e: unknown) {
  const status = e instanceof RequestError ? REQUEST_ERROR_STATUS[e.reason] : 500;
  const message = e instanceof Error ? e.message : String(e);
  return {
    type: 'error',
    id,
    error: vllmErrorObject(
      status,
      message,
      e instanceof RequestError ? e.param : null,
      e instanceof RequestError && e.reason === 'validation' ? 'Bad Request' : undefined,
    ),
  };
}

export function attachVllmWebSocket(
  ctx: EmbeddedContext,
  metrics: VllmMetrics,
  server: Server,
  apiKey: string | undefined,
): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if ((req.url ?? '').split('?')[0] !== VLLM_WS_PATH)
      return refuse(socket, 404, 'Not Found', '{"detail":"Not Found"}');
    if (apiKey && !hasBearer(req, apiKey)) return refuse(socket, 401, 'Unauthorized', '{"error":"Unauthorized"}');
    wss.handleUpgrade(req, socket, head, (ws) => serveConnection(ctx, metrics, ws));
  });
  return {
    close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
    },
  };
}

function serveConnection(ctx: EmbeddedContext, metrics: VllmMetrics, ws: WebSocket): void {
  const running = new Map<RequestId, AbortController>();
  let counter = 0;
  const send = (m: unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
  };
  ws.on('close', () => running.forEach((c) => c.abort()));
  ws.on('message', (data, isBinary) => {
    let msg: Record<string, unknown>;
    try {
      const v: unknown = JSON.parse(isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString());
      if (!v || typeof v !== 'object' || Array.isArray(v)) throw invalidBody('not an object');
      msg = v as Record<string, unknown>;
    } catch (e) {
      return send(
        errorMessage(null, e instanceof RequestError ? e : invalidBody(e instanceof Error ? e.message : String(e))),
      );
    }
    const id: RequestId = typeof msg.id === 'string' || typeof msg.id === 'number' ? msg.id : `req-${++counter}`;
    if (msg.type === 'cancel') return running.get(id)?.abort();
    if (running.has(id))
      return send(
        errorMessage(
          id,
          new RequestError('validation', `A request with id ${JSON.stringify(id)} is already running`, 'id'),
        ),
      );
    const ctrl = new AbortController();
    running.set(id, ctrl);
    void generate(ctx, metrics, msg, id, ctrl.signal, send, () => ws.terminate())
      .catch((e: unknown) => send(errorMessage(id, e)))
      .finally(() => running.delete(id));
  });
}

async function generate(
  ctx: EmbeddedContext,
  metrics: VllmMetrics,
  msg: Record<string, unknown>,
  id: RequestId,
  signal: AbortSignal,
  send: (m: unknown) => void,
  cut: () => void,
): Promise<void> {
  const { id: _id, type: _type, stream: _stream, stream_options: _so, ...body } = msg;
  const r: TextRequest = parseTextRequest(body, 'messages' in body ? 'chat' : 'completion', ctx.models);
  if (!ctx.faults.isReady(r.model.name)) throw notReady();
  const plan = ctx.faults.plan(r.model.name, true);
  const choices = r.prompts.flatMap((p, pi) =>
    Array.from({ length: r.n }, (_, i) => ({
      index: pi * r.n + i,
      p,
      seed: i === 0 ? r.seed : (r.seed ?? r.model.seed) + i,
    })),
  );
  const results = await Promise.all(
    choices.map((c) =>
      runTextJob(
        ctx,
        {
          model: r.model,
          prompt: c.p.text,
          promptTokens: c.p.tokens,
          maxTokens: r.maxTokens,
          seed: c.seed,
          stop: r.stop,
          ignoreEos: r.ignoreEos,
          signal,
        },
        plan,
        (i, text) => send({ type: 'token', id, index: c.index, token_index: i, text }),
      ),
    ),
  );
  if (results.some((x) => x.end === 'disconnect')) return cut();
  if (results.some((x) => x.end === 'failed'))
    return send({ type: 'error', id, error: vllmErrorObject(500, INJECTED_FAULT_MESSAGE, null) });
  if (results.some((x) => x.end === 'cancelled')) return;
  results.forEach((x, i) => metrics.sequence(r.model.name, x.timings, choices[i].p.tokens, x.output.finishReason));
  const prompt = r.prompts.reduce((n, p) => n + p.tokens, 0);
  const completion = results.reduce((n, x) => n + x.delivered, 0);
  const t = results[0].timings;
  send({
    type: 'done',
    id,
    model: r.modelName,
    choices: results.map((x, i) => ({
      index: choices[i].index,
      text: x.output.text,
      finish_reason: x.output.finishReason,
    })),
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
    timings: {
      queue_ms: round(t.queueMs),
      ttft_ms: round(t.ttftMs),
      total_ms: round(Math.max(...results.map((x) => x.timings.totalMs))),
    },
  });
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
