/**
 * Prompt lengths in the server's own tokens. A text-generation run asks for
 * prompts of N tokens; only the server's tokenizer can say what N tokens are
 * (BOS, chat template, how words split). Where the server has a tokenize
 * endpoint (vLLM `POST /tokenize`, the embedded vLLM personality too) the
 * synthetic prompts are built to its counts and checked against it, and
 * dataset prompts are counted by it. Elsewhere the count is our own word
 * pieces, exact on the embedded server only. The result records which was
 * used (`server.tokenizer`).
 */
import { httpRequest } from '../../http/client';
import { mapLimit } from '../../servers/mapLimit';
import { seededUniform } from '../../stats/random';
import type { Endpoint } from '../engine/endpoint';
import type { TextApi, TextWorkload } from '../spec';
import { countTokens } from './tokens';
import { promptPoolSize, sampleLength, syntheticWords, type ChatMessage, type TextItem } from './textWorkload';

export interface PromptTokenizer {
  /** Which tokenizer counted, for the result file. */
  source: string;
  /** Tokens the server counts for this prompt as the API sends it (special tokens and chat template included). */
  count(text: string, signal?: AbortSignal): Promise<number>;
  /** Tokens the server counts for a chat history (template and generation prompt included), where it can say. */
  countMessages?(messages: ChatMessage[], signal?: AbortSignal): Promise<number>;
}

/** Our own count (the embedded server's simulated tokenizer; no chat template). */
export const ownTokenizer: PromptTokenizer = {
  source: 'inference-lab word pieces (exact on the embedded server only)',
  count: async (text) => countTokens(text),
};

/**
 * vLLM's `/tokenize`: `{model, prompt}` counts as /v1/completions does (BOS
 * included); `{model, messages, add_generation_prompt}` applies the chat
 * template as /v1/chat/completions does.
 */
export function vllmTokenizer(endpoint: Endpoint, model: string, chat: boolean): PromptTokenizer {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (let i = 0; i < endpoint.headers.length; i += 2) headers[endpoint.headers[i]] = endpoint.headers[i + 1];
  const url = `${endpoint.origin}${endpoint.basePath}/tokenize`;
  const tokenize = async (body: object, signal?: AbortSignal) => {
    const r = await httpRequest(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal,
      allowSelfSigned: endpoint.allowSelfSigned,
    });
    const n = r.json<{ count?: unknown }>().count;
    if (typeof n !== 'number') throw new Error(`${url} answered without a token "count"`);
    return n;
  };
  const countMessages = (messages: ChatMessage[], signal?: AbortSignal) =>
    tokenize({ model, messages, add_generation_prompt: true }, signal);
  return {
    source: `server /tokenize (${chat ? 'chat template applied' : 'as /v1/completions'})`,
    count: (text, signal) =>
      chat ? countMessages([{ role: 'user', content: text }], signal) : tokenize({ model, prompt: text }, signal),
    ...(chat && { countMessages }),
  };
}

/**
 * llama-cpp-python's `POST /extras/tokenize` (`{input}` → `{tokens: [...]}`, BOS included) counts a prompt as its
 * /v1/completions does (its usage.prompt_tokens); it has no chat-template variant.
 */
export function llamaCppTokenizer(endpoint: Endpoint): PromptTokenizer {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (let i = 0; i < endpoint.headers.length; i += 2) headers[endpoint.headers[i]] = endpoint.headers[i + 1];
  const url = `${endpoint.origin}${endpoint.basePath}/extras/tokenize`;
  return {
    source: 'server /extras/tokenize (llama-cpp-python, as /v1/completions)',
    async count(text, signal) {
      const r = await httpRequest(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ input: text }),
        signal,
        allowSelfSigned: endpoint.allowSelfSigned,
      });
      const tokens = r.json<{ tokens?: unknown }>().tokens;
      if (!Array.isArray(tokens)) throw new Error(`${url} answered without "tokens"`);
      return tokens.length;
    },
  };
}

/**
 * The server's tokenizer for an API, or our own when the server has none we can call: vLLM's OpenAI routes,
 * llama-cpp-python's completions route on a generic OpenAI-compatible server (each tried once; a server without
 * one falls back to our count and says why).
 */
export async function promptTokenizer(
  kind: string | undefined,
  api: TextApi,
  endpoint: Endpoint,
  model: string,
  signal?: AbortSignal,
): Promise<PromptTokenizer> {
  const t =
    kind === 'vllm' && (api === 'openai-completions' || api === 'openai-chat')
      ? vllmTokenizer(endpoint, model, api === 'openai-chat')
      : kind === 'openai' && api === 'openai-completions'
        ? llamaCppTokenizer(endpoint)
        : undefined;
  if (!t) return ownTokenizer;
  try {
    await t.count('the', signal);
    return t;
  } catch (e) {
    if (signal?.aborted) throw e;
    const route = kind === 'vllm' ? '/tokenize' : '/extras/tokenize';
    return { ...ownTokenizer, source: `${ownTokenizer.source}; the server has no ${route} (${(e as Error).message})` };
  }
}

/** How many tokens each vocabulary word adds after a space, measured once per run (additive for BPE with a whitespace pre-tokenizer; checked below). */
async function oneTokenWords(
  tok: PromptTokenizer,
  first: string,
  signal?: AbortSignal,
): Promise<{ base: number; words: string[] }> {
  const base = await tok.count(first, signal);
  const words = syntheticWords();
  const cost = await mapLimit(words, 8, async (w) => (await tok.count(`${first} ${w}`, signal)) - base);
  return { base, words: words.filter((_, i) => cost[i] === 1) };
}

/** Words that each add exactly one token with a tokenizer, after a first word that costs `base` tokens (BOS, template). */
export interface PromptVocabulary {
  first: string;
  base: number;
  words: string[];
}

/** The vocabulary prompts of exact lengths are built from, measured with the server's tokenizer (one call per word). */
export async function promptVocabulary(tok: PromptTokenizer, signal?: AbortSignal): Promise<PromptVocabulary> {
  const first = 'the';
  const { base, words } = await oneTokenWords(tok, first, signal);
  if (!words.length)
    throw new Error(`No word adds exactly one token with ${tok.source}: cannot build prompts of exact lengths`);
  return { first, base, words };
}

/**
 * Trace prompts in the server's tokens, checked before the replay starts: the
 * first `verifiedPrompts` lines' prompts are counted by the server (so no
 * tokenize call happens during the schedule). Says how they compared.
 */
export async function checkTracePrompts(
  items: TextItem[],
  tok: PromptTokenizer,
  signal?: AbortSignal,
): Promise<{ source: string; warnings: string[] }> {
  const sample = items.slice(0, verifiedPrompts);
  const counted = await mapLimit(sample, 4, (it) => tok.count(it.prompt, signal));
  const off = counted.filter((c, i) => c !== sample[i].inputTokens).length;
  if (!off)
    return {
      source: `${tok.source}; trace prompts built from its per-word counts, the first ${sample.length} checked before the replay`,
      warnings: [],
    };
  return {
    source: `${tok.source}; trace prompts built from its per-word counts`,
    warnings: [
      `The server's tokenizer did not count the trace prompts additively: ${off} of the first ${sample.length} differ from the trace's input lengths (counted ${counted.join(', ')}; asked ${sample.map((s) => s.inputTokens).join(', ')}).`,
    ],
  };
}

export interface FittedPrompts {
  items: TextItem[];
  /** Which tokenizer counted and how the prompts were checked, for `server.tokenizer`. */
  source: string;
  /** Said to the user when lengths could not be met exactly. */
  warnings: string[];
}

/** Prompts checked against the server before the run (each costs one tokenize call). */
const verifiedPrompts = 8;

/**
 * The synthetic prompt pool of a run with lengths in the server's tokens:
 * a first word, then words that each add exactly one token, so a prompt of N
 * tokens is the first word plus N − count(first word) words. The first
 * prompts are counted by the server; if any differs, every prompt is counted
 * and the server's count becomes its length.
 */
export async function fitSyntheticPrompts(
  spec: TextWorkload,
  seed: number,
  tok: PromptTokenizer,
  signal?: AbortSignal,
  count = promptPoolSize,
): Promise<FittedPrompts> {
  const warnings: string[] = [];
  const first = 'the';
  const { base, words } = await oneTokenWords(tok, first, signal);
  if (!words.length)
    throw new Error(`No word adds exactly one token with ${tok.source}: cannot build prompts of exact lengths`);
  const rand = seededUniform(seed ^ 0x51ed);
  let short = 0;
  const items = Array.from({ length: count }, (): TextItem => {
    const asked = sampleLength(spec.inputTokens, rand);
    const outputTokens = sampleLength(spec.outputTokens, rand);
    const n = Math.max(asked, base);
    if (n > asked) short++;
    const parts = [first];
    for (let k = base; k < n; k++) parts.push(words[Math.floor(rand() * words.length)]);
    return { prompt: parts.join(' '), inputTokens: n, outputTokens };
  });
  if (short)
    warnings.push(
      `${short} prompts asked for fewer than ${base} tokens, the shortest prompt this server's tokenizer makes (special tokens and template included): they were sent with ${base}.`,
    );
  const sample = items.slice(0, verifiedPrompts);
  const counted = await mapLimit(sample, 4, (it) => tok.count(it.prompt, signal));
  if (counted.every((c, i) => c === sample[i].inputTokens))
    return {
      items,
      source: `${tok.source}; lengths built from its per-word counts, ${sample.length} prompts checked`,
      warnings,
    };
  const all = await mapLimit(items, 8, (it) => tok.count(it.prompt, signal));
  warnings.push(
    `The server's tokenizer did not count words additively: every prompt was counted by the server (lengths differ from those asked by up to ${Math.max(...all.map((c, i) => Math.abs(c - items[i].inputTokens)))} tokens).`,
  );
  return {
    items: items.map((it, i) => ({ ...it, inputTokens: all[i] })),
    source: `${tok.source}; every prompt counted`,
    warnings,
  };
}

/** Dataset prompts: each counted by the server's tokenizer (our own count stays where the server has none). */
export async function countDatasetPrompts(
  items: TextItem[],
  tok: PromptTokenizer,
  signal?: AbortSignal,
): Promise<FittedPrompts> {
  if (tok === ownTokenizer || tok.source.startsWith(ownTokenizer.source))
    return { items, source: tok.source, warnings: [] };
  const counts = await mapLimit(items, 8, (it) => tok.count(it.prompt, signal));
  return {
    items: items.map((it, i) => ({ ...it, inputTokens: counts[i] })),
    source: `${tok.source}; every prompt counted`,
    warnings: [],
  };
}

/**
 * Shared-prefix groups (as SGLang's generated-shared-prefix dataset): group g
 * has a prefix of exactly `tokens` tokens — its count when sent alone, special
 * tokens and chat template included — made of a first word and one-token
 * words drawn for that group; prompt k belongs to group k mod `groups` and is
 * its prefix followed by a question of `inputTokens` one-token words, so it
 * counts exactly prefix + question. The first prompts are checked against
 * the server; any difference makes every prompt counted by it.
 */
export async function fitSharedPrefixPrompts(
  spec: TextWorkload,
  seed: number,
  tok: PromptTokenizer,
  signal?: AbortSignal,
  count = promptPoolSize,
): Promise<FittedPrompts & { prefixes: string[] }> {
  const shared = spec.sharedPrefix!;
  const warnings: string[] = [];
  const first = 'the';
  const { base, words } = await oneTokenWords(tok, first, signal);
  if (!words.length)
    throw new Error(`No word adds exactly one token with ${tok.source}: cannot build prompts of exact lengths`);
  if (shared.tokens < base)
    throw new Error(
      `sharedPrefix: ${shared.tokens} tokens is below ${base}, the shortest prompt this server's tokenizer makes (special tokens and template included)`,
    );
  const rand = seededUniform(seed ^ 0x5a7ed);
  const draw = (n: number) => Array.from({ length: n }, () => words[Math.floor(rand() * words.length)]);
  const prefixes = Array.from({ length: shared.groups }, () => [first, ...draw(shared.tokens - base)].join(' '));
  const items = Array.from({ length: count }, (_, k): TextItem => {
    const question = sampleLength(spec.inputTokens, rand);
    const outputTokens = sampleLength(spec.outputTokens, rand);
    return {
      prompt: `${prefixes[k % shared.groups]} ${draw(question).join(' ')}`,
      inputTokens: shared.tokens + question,
      outputTokens,
    };
  });
  const sample = items.slice(0, verifiedPrompts);
  const counted = await mapLimit(sample, 4, (it) => tok.count(it.prompt, signal));
  const prefixCounts = await mapLimit(prefixes.slice(0, verifiedPrompts), 4, (p) => tok.count(p, signal));
  if (counted.every((c, i) => c === sample[i].inputTokens) && prefixCounts.every((c) => c === shared.tokens))
    return {
      items,
      prefixes,
      source: `${tok.source}; ${shared.groups} prefixes of ${shared.tokens} tokens built from its per-word counts, ${sample.length} prompts checked`,
      warnings,
    };
  const all = await mapLimit(items, 8, (it) => tok.count(it.prompt, signal));
  warnings.push(
    `The server's tokenizer did not count the shared-prefix prompts additively: every prompt was counted by the server (prefix counts ${prefixCounts.join(', ')} for ${shared.tokens} asked).`,
  );
  return {
    items: items.map((it, i) => ({ ...it, inputTokens: all[i] })),
    prefixes,
    source: `${tok.source}; every prompt counted`,
    warnings,
  };
}
