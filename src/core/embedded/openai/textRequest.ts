/**
 * Reads OpenAI chat/completions bodies into one normalized request, with
 * vLLM's checks: unknown model → 404, context overflow → 400, type errors →
 * validation 400, `stream_options` without `stream` → 400.
 */
import type { ModelRegistry } from '../models/registry';
import type { ChatMessage, TextModel } from '../models/textModel';
import { countTokens } from '../../text/tokenizer';
import { RequestError } from '../requestError';
import { BodyChecker } from './validation';

export interface PromptInput {
  text: string;
  tokens: number;
  /** Leading tokens found in the server's prefix cache (vLLM personality), computed no more. */
  cached?: number;
}

export interface TextRequest {
  kind: 'chat' | 'completion';
  model: TextModel;
  /** Name as requested (echoed in responses). */
  modelName: string;
  /** One prompt for chat; one per prompt entry for completions. */
  prompts: PromptInput[];
  n: number;
  /** Requested output limit (already checked against the context window). */
  maxTokens: number;
  seed: number | undefined;
  stop: string[] | undefined;
  /** vLLM's sampling extension: generate exactly `maxTokens` tokens (stop strings still apply). */
  ignoreEos: boolean;
  stream: boolean;
  includeUsage: boolean;
  continuousUsage: boolean;
  echo: boolean;
  /** Report `usage.prompt_tokens_details.cached_tokens` (vLLM `--enable-prompt-tokens-details`). */
  promptDetails?: boolean;
}

const MAX_N = 16;

/** The base model serving LoRA adapter `name` (vLLM: a `--lora-modules` name in the `model` field). */
function loraBase(models: ModelRegistry, name: string): TextModel | undefined {
  return models.ofKind('text-generation').find((m) => m.lora.some((a) => a.name === name));
}

/** Resolves the target text model (first text model when `model` is absent; a LoRA adapter's name gives its base model). */
export function resolveTextModel(models: ModelRegistry, name: string | undefined, api: string): TextModel {
  if (name === undefined) {
    const first = models.first('text-generation');
    if (!first) throw new RequestError('unsupported-model', `No model supports the ${api} API`);
    return first;
  }
  const m = models.get(name) ?? loraBase(models, name);
  if (!m) throw new RequestError('model-not-found', `The model \`${name}\` does not exist.`, 'model');
  if (m.kind !== 'text-generation')
    throw new RequestError('unsupported-model', `The model \`${name}\` does not support the ${api} API.`, 'model');
  return m;
}

/** Chat message content: a string, null, or a list of parts whose text parts are joined. */
function contentText(c: unknown): string | undefined {
  if (typeof c === 'string') return c;
  if (c === null || c === undefined) return '';
  if (Array.isArray(c)) {
    return c
      .map((p) =>
        p && typeof p === 'object' && typeof (p as { text?: unknown }).text === 'string'
          ? (p as { text: string }).text
          : '',
      )
      .join('');
  }
  return undefined;
}

function readMessages(ck: BodyChecker): ChatMessage[] {
  const raw = ck.req<unknown[]>('messages', 'list') ?? [];
  const out: ChatMessage[] = [];
  raw.forEach((m, i) => {
    const msg = m as { role?: unknown; content?: unknown };
    if (!msg || typeof msg !== 'object' || typeof msg.role !== 'string') {
      ck.add({ type: 'missing', loc: ['body', 'messages', i, 'role'], msg: 'Field required' });
      return;
    }
    const content = contentText(msg.content);
    if (content === undefined)
      ck.add({ type: 'string_type', loc: ['body', 'messages', i, 'content'], msg: 'Input should be a valid string' });
    else out.push({ role: msg.role, content });
  });
  return out;
}

/** Completion `prompt`: a string, a list of strings, a token list, or a list of token lists. */
function readPrompts(ck: BodyChecker): PromptInput[] {
  const p = (ck.body as { prompt?: unknown }).prompt;
  if (typeof p === 'string') return [{ text: p, tokens: countTokens(p) }];
  const bad = () =>
    ck.add({ type: 'string_type', loc: ['body', 'prompt'], msg: 'Input should be a valid string or list' });
  if (p === undefined) {
    ck.add({ type: 'missing', loc: ['body', 'prompt'], msg: 'Field required' });
    return [];
  }
  const one = (x: unknown): PromptInput | undefined => {
    if (typeof x === 'string') return { text: x, tokens: countTokens(x) };
    if (Array.isArray(x) && x.every((t) => Number.isInteger(t))) return { text: x.join(' '), tokens: x.length };
    return undefined;
  };
  const single = one(p);
  if (single) return [single];
  if (!Array.isArray(p) || !p.length) return (bad(), []);
  const many = p.map(one);
  if (many.some((x) => !x)) return (bad(), []);
  return many as PromptInput[];
}

/** The body fields read by name (named reads stay fast: this runs on every request). */
interface TextBody {
  model?: unknown;
  max_tokens?: unknown;
  max_completion_tokens?: unknown;
  n?: unknown;
  seed?: unknown;
  stop?: unknown;
  stream?: unknown;
  stream_options?: unknown;
  echo?: unknown;
  temperature?: unknown;
  top_p?: unknown;
  ignore_eos?: unknown;
}

export function parseTextRequest(
  body: Record<string, unknown>,
  kind: 'chat' | 'completion',
  models: ModelRegistry,
): TextRequest {
  const b = body as TextBody;
  const ck = new BodyChecker(body);
  const modelName = ck.optOf<string>('model', b.model, 'string');
  let prompts: PromptInput[] = [];
  const messages = kind === 'chat' ? readMessages(ck) : [];
  if (kind === 'completion') prompts = readPrompts(ck);
  const maxTokens =
    kind === 'chat' && b.max_completion_tokens !== undefined
      ? ck.intAtLeastOf('max_completion_tokens', b.max_completion_tokens, 1)
      : ck.intAtLeastOf('max_tokens', b.max_tokens, 1);
  const n = ck.intAtLeastOf('n', b.n, 1) ?? 1;
  const seed = ck.optOf<number>('seed', b.seed, 'int');
  const stop = ck.stringOrListOf('stop', b.stop);
  const stream = ck.optOf<boolean>('stream', b.stream, 'bool') ?? false;
  const streamOptions = ck.optOf<Record<string, unknown>>('stream_options', b.stream_options, 'object');
  const ignoreEos = ck.optOf<boolean>('ignore_eos', b.ignore_eos, 'bool') ?? false;
  const echo = kind === 'completion' ? (ck.optOf<boolean>('echo', b.echo, 'bool') ?? false) : false;
  ck.optOf('temperature', b.temperature, 'number');
  ck.optOf('top_p', b.top_p, 'number');
  ck.done();
  if (n > MAX_N) throw new RequestError('validation', `n must be at most ${MAX_N}.`, 'n');
  if (streamOptions && !stream)
    throw new RequestError('validation', 'Stream options can only be defined when `stream=True`.', 'stream_options');
  const model = resolveTextModel(models, modelName, kind === 'chat' ? 'Chat Completions' : 'Completions');
  if (kind === 'chat') {
    const text = model.renderChat(messages);
    prompts = [{ text, tokens: model.countTokens(text) }];
  }
  let longest = 0;
  for (const p of prompts) if (p.tokens > longest) longest = p.tokens;
  const room = model.maxModelLen - longest;
  if (room < 1 || (maxTokens !== undefined && maxTokens > room)) {
    const asked = maxTokens ?? 1;
    throw new RequestError(
      'context-length',
      `This model's maximum context length is ${model.maxModelLen} tokens. However, you requested ${longest + asked} tokens (${longest} in the ${kind === 'chat' ? 'messages' : 'prompt'}, ${asked} in the completion). Please reduce the length of the ${kind === 'chat' ? 'messages' : 'prompt'} or completion.`,
    );
  }
  return {
    kind,
    model,
    modelName: modelName ?? model.name,
    prompts,
    n,
    maxTokens: maxTokens ?? room,
    seed,
    stop,
    ignoreEos,
    stream,
    includeUsage: streamOptions?.include_usage === true,
    continuousUsage: streamOptions?.continuous_usage_stats === true,
    echo,
  };
}
