/**
 * Ollama `/api/generate` and `/api/chat` (wire reference §9): NDJSON
 * streaming by default (`stream: false` → one JSON object), a final line with
 * `done: true`, `done_reason` and nanosecond durations, `done_reason: "load"`
 * for a request with nothing to generate, and in-band `{"error"}` lines.
 */
import type { IncomingMessage } from 'node:http';
import { cutStream, isObject, readBody } from '../../http/respond';
import type { RouteHandler } from '../../http/router';
import type { ChatMessage } from '../../models/textModel';
import { encode } from '../../../text/tokenizer';
import type { EmbeddedContext } from '../../personality';
import { INJECTED_FAULT_MESSAGE, NOT_READY_MESSAGE, RequestError } from '../../requestError';
import { runTextJob, type TextJobResult } from '../../textJob';
import type { OllamaModels } from './ollamaModels';
import { goJson, goJsonError, msToNs, omitEmpty, rfc3339Nano, sendOllamaFailure, sendOllamaJson } from './ollamaWire';

/** Reads a JSON object body, failing with Go's decoder messages. */
export async function readOllamaJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = (await readBody(req)).toString('utf8');
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new RequestError('validation', goJsonError(text));
  }
  if (!isObject(v)) throw new RequestError('validation', 'json: cannot unmarshal into Go value of type api.Request');
  return v;
}

interface Options {
  numPredict: number | undefined;
  seed: number | undefined;
  stop: string[] | undefined;
}

function readOptions(o: unknown): Options {
  if (o === undefined || o === null) return { numPredict: undefined, seed: undefined, stop: undefined };
  if (!isObject(o)) throw new RequestError('validation', 'options must be an object');
  const int = (k: string) => (typeof o[k] === 'number' ? Math.trunc(o[k] as number) : undefined);
  const stop =
    typeof o.stop === 'string'
      ? [o.stop]
      : Array.isArray(o.stop)
        ? o.stop.filter((s): s is string => typeof s === 'string')
        : undefined;
  return { numPredict: int('num_predict'), seed: int('seed'), stop };
}

function readMessages(v: unknown): ChatMessage[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new RequestError('validation', 'messages must be a list');
  return v.map((m) => {
    if (!isObject(m) || typeof m.role !== 'string') throw new RequestError('validation', 'each message needs a role');
    return { role: m.role, content: typeof m.content === 'string' ? m.content : '' };
  });
}

function stats(x: TextJobResult, extraDelayMs: number) {
  const t = x.timings;
  const evalMs = x.delivered > 1 ? (t.decodeMs * x.delivered) / (x.delivered - 1) : t.decodeMs;
  return omitEmpty({
    total_duration: msToNs(t.totalMs),
    load_duration: msToNs(t.queueMs + extraDelayMs),
    prompt_eval_count: x.promptTokens,
    prompt_eval_duration: msToNs(t.prefillMs - extraDelayMs),
    eval_count: x.delivered,
    eval_duration: msToNs(evalMs),
  });
}

export function ollamaGenerateHandler(
  ctx: EmbeddedContext,
  models: OllamaModels,
  kind: 'generate' | 'chat',
): RouteHandler {
  // Wall time with sub-millisecond digits that stay monotonic: anchor epoch ms to the monotonic clock once.
  const anchorEpoch = ctx.clock.epochMs();
  const anchorMono = ctx.clock.now();
  const now = () => {
    const t = anchorEpoch + (ctx.clock.now() - anchorMono);
    return rfc3339Nano(Math.floor(t), (t % 1) * 1e6);
  };
  return async (req, res) => {
    try {
      const body = await readOllamaJson(req);
      const model = models.resolve(body.model);
      if (model.kind !== 'text-generation')
        throw new RequestError('unsupported-model', `"${String(body.model)}" does not support ${kind}`);
      const stream = body.stream !== false;
      const name = String(body.model);
      const messages = kind === 'chat' ? readMessages(body.messages) : [];
      const promptText = typeof body.prompt === 'string' ? body.prompt : '';
      models.touch(model, body.keep_alive);
      if (kind === 'generate' ? !promptText : !messages.length) {
        const reason = body.keep_alive === 0 ? 'unload' : 'load';
        const head =
          kind === 'chat'
            ? {
                model: name,
                created_at: now(),
                message: { role: 'assistant', content: '' },
                done_reason: reason,
                done: true,
              }
            : { model: name, created_at: now(), response: '', done: true, done_reason: reason };
        return sendOllamaJson(res, 200, head);
      }
      const o = readOptions(body.options);
      if (!ctx.faults.isReady(model.name)) throw new RequestError('not-ready', NOT_READY_MESSAGE);
      const prompt =
        kind === 'chat'
          ? model.renderChat(messages)
          : body.raw === true
            ? promptText
            : model.renderChat([
                ...(typeof body.system === 'string' ? [{ role: 'system', content: body.system }] : []),
                { role: 'user', content: promptText },
              ]);
      const context = Array.isArray(body.context) ? body.context.filter((t) => Number.isInteger(t)) : [];
      const promptTokens = Math.min(model.maxModelLen - 1, model.countTokens(prompt) + context.length);
      const maxTokens =
        o.numPredict !== undefined && o.numPredict > 0 ? o.numPredict : model.maxModelLen - promptTokens;
      const plan = ctx.faults.plan(model.name, stream);
      if (!stream && plan.fail) throw new RequestError('injected', INJECTED_FAULT_MESSAGE);
      const spec = { model, prompt, promptTokens, maxTokens, seed: o.seed, stop: o.stop, client: res };
      const final = (x: TextJobResult, content: string) => {
        const s = stats(x, plan.extraDelayMs);
        const reason = x.output.finishReason;
        if (kind === 'chat')
          return {
            model: name,
            created_at: now(),
            message: { role: 'assistant', content },
            done_reason: reason,
            done: true,
            ...s,
          };
        return {
          model: name,
          created_at: now(),
          response: content,
          done: true,
          done_reason: reason,
          context: [...context, ...encode(prompt), ...x.output.tokenIds],
          ...s,
        };
      };
      if (!stream) {
        const x = await runTextJob(ctx, spec, plan);
        if (x.end !== 'cancelled') sendOllamaJson(res, 200, final(x, x.output.text));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      res.flushHeaders();
      const x = await runTextJob(ctx, spec, plan, (_i, piece) => {
        const line =
          kind === 'chat'
            ? { model: name, created_at: now(), message: { role: 'assistant', content: piece }, done: false }
            : { model: name, created_at: now(), response: piece, done: false };
        res.write(`${goJson(line)}\n`);
      });
      if (x.end === 'disconnect') return cutStream(res);
      if (x.end === 'cancelled') return void res.end();
      if (x.end === 'failed') return void res.end(`${goJson({ error: INJECTED_FAULT_MESSAGE })}\n`);
      res.end(`${goJson(final(x, ''))}\n`);
    } catch (e) {
      sendOllamaFailure(res, e);
    }
  };
}
