/**
 * Prompt datasets read from local files, streamed: only the first
 * `maxPrompts` usable entries are kept, and reading stops there, so a
 * 700 MB ShareGPT dump costs what those entries cost.
 *
 * - JSONL (`.jsonl`, `.ndjson`): one object per line, as a Hugging Face
 *   dataset saved with `to_json(lines=True)`.
 * - JSON (`.json`): a top-level array of objects (ShareGPT dumps), parsed
 *   element by element with @streamparser/json.
 * - Parquet (`.parquet`): Hugging Face's own storage format, read a row
 *   group at a time with hyparquet (pure JavaScript, no native code).
 *
 * Every entry goes through one reader (`datasetEntry`) that understands
 * ShareGPT `conversations`, OpenAI `messages`, and flat prompt columns.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { seededUniform } from '../../stats/random';
import type { DatasetFormat, LengthSpec } from '../spec';
import { BenchSpecError } from '../specNormalize';
import { countTokens } from './tokens';
import { sampleLength, type ChatMessage, type TextItem } from './textWorkload';

/** Columns tried, in order, for the prompt and for a reference answer (whose length becomes the output length). */
export const promptFields = ['prompt', 'text', 'input', 'question', 'instruction', 'query'];
const answerFields = ['completion', 'response', 'output', 'answer', 'target'];
const shareGptRoles: Record<string, string> = {
  human: 'user',
  user: 'user',
  gpt: 'assistant',
  assistant: 'assistant',
  chatgpt: 'assistant',
  bard: 'assistant',
  bing: 'assistant',
  system: 'system',
};

export interface DatasetOptions {
  path: string;
  format?: DatasetFormat;
  /** Column holding the prompt when none of the usual names fits. */
  promptField?: string;
  /** Stop after this many usable entries. */
  maxPrompts: number;
  /** Output length when an entry gives none. */
  outputTokens: LengthSpec;
  /** Read whole conversations of at least this many human turns (sessions.fromDataset), not single prompts. */
  turns?: number;
  seed: number;
  signal?: AbortSignal;
}

export interface Dataset {
  items: TextItem[];
  format: DatasetFormat;
  /** Entries read (usable or not) before reading stopped. */
  read: number;
  /** Entries left out, and why (e.g. a ShareGPT conversation with one turn). */
  skipped: number;
  skipReasons: string[];
}

/** The format from the file name. */
export function datasetFormatOf(file: string): DatasetFormat {
  if (/\.parquet$/i.test(file)) return 'parquet';
  if (/\.json$/i.test(file)) return 'json';
  return 'jsonl';
}

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** Why an entry is skipped rather than rejected: data sets have such entries and tools pass over them. */
class Skip {
  constructor(readonly reason: string) {}
}

function outputOf(j: Record<string, unknown>, answer: string | undefined, fallback: () => number): number {
  const out = j.output_tokens ?? j.max_tokens;
  if (typeof out === 'number' && out >= 1) return Math.round(out);
  if (answer) return Math.max(1, countTokens(answer));
  return fallback();
}

/** Chat messages up to (not including) the last assistant reply, and that reply. */
function splitReply(messages: ChatMessage[]): { prompt: ChatMessage[]; reply?: string } {
  const last = messages.length - 1;
  if (last > 0 && messages[last].role === 'assistant')
    return { prompt: messages.slice(0, last), reply: messages[last].content };
  return { prompt: messages };
}

function chatItem(messages: ChatMessage[], j: Record<string, unknown>, fallback: () => number): TextItem {
  const { prompt, reply } = splitReply(messages);
  const text = prompt.map((m) => m.content).join('\n');
  return { prompt: text, messages: prompt, inputTokens: countTokens(text), outputTokens: outputOf(j, reply, fallback) };
}

/**
 * One dataset entry → one prompt. ShareGPT conversations give their first
 * human turn as the prompt and the reply's length as the output length (as
 * `vllm bench serve --dataset-name sharegpt` does); a conversation with
 * fewer than two turns is skipped.
 */
export function datasetEntry(
  value: unknown,
  where: string,
  promptField: string | undefined,
  fallback: () => number,
): TextItem | Skip {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new BenchSpecError(`${where}: expected a JSON object`);
  const j = value as Record<string, unknown>;
  if (promptField !== undefined) {
    const p = j[promptField];
    if (Array.isArray(p)) return chatItem(messagesOf(p, where), j, fallback);
    if (!str(p)) throw new BenchSpecError(`${where}: the prompt field "${promptField}" is not a non-empty string`);
    return { prompt: p, inputTokens: countTokens(p), outputTokens: outputOf(j, answerOf(j), fallback) };
  }
  if (Array.isArray(j.conversations)) {
    const turns = shareGptMessages(j.conversations, where);
    const first = turns.findIndex((t) => t.role === 'user');
    if (first < 0 || turns[first + 1]?.role !== 'assistant')
      return new Skip('a conversation without a human turn and its reply');
    if (!turns[first].content) return new Skip('an empty human turn');
    const prompt = turns[first].content;
    return {
      prompt,
      messages: [{ role: 'user', content: prompt }],
      inputTokens: countTokens(prompt),
      outputTokens: outputOf(j, turns[first + 1].content || undefined, fallback),
    };
  }
  if (Array.isArray(j.messages)) {
    const messages = messagesOf(j.messages, where);
    if (!messages.some((m) => m.role !== 'assistant'))
      throw new BenchSpecError(`${where}: "messages" has no user or system message`);
    return chatItem(messages, j, fallback);
  }
  const field = promptFields.find((f) => str(j[f]));
  if (!field)
    throw new BenchSpecError(
      `${where}: expected a "prompt" string (or ${promptFields.slice(1).join(', ')}), "messages" or ShareGPT "conversations"; name another column with text.promptField`,
    );
  const prompt = j[field] as string;
  return { prompt, inputTokens: countTokens(prompt), outputTokens: outputOf(j, answerOf(j), fallback) };
}

/** ShareGPT `conversations` ({from, value}) as chat messages. */
function shareGptMessages(list: unknown[], where: string): ChatMessage[] {
  return list.map((t: unknown, k: number) => {
    const tt = t as Record<string, unknown>;
    const role = typeof tt?.from === 'string' ? shareGptRoles[tt.from.toLowerCase()] : undefined;
    if (!role || typeof tt.value !== 'string')
      throw new BenchSpecError(`${where}: conversations[${k}] needs "from" (human, gpt, system) and a string "value"`);
    return { role, content: tt.value };
  });
}

/**
 * One dataset conversation → one session to replay (sessions.fromDataset): its
 * first `turns` human turns, each answered by the recorded reply that follows
 * it (whose length becomes that turn's output length). System messages are left
 * out; a conversation with fewer such turns is skipped.
 */
export function conversationEntry(
  value: unknown,
  where: string,
  turns: number,
  fallback: () => number,
): TextItem | Skip {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new BenchSpecError(`${where}: expected a JSON object`);
  const j = value as Record<string, unknown>;
  const messages = Array.isArray(j.conversations)
    ? shareGptMessages(j.conversations, where)
    : Array.isArray(j.messages)
      ? messagesOf(j.messages, where)
      : undefined;
  if (!messages)
    throw new BenchSpecError(
      `${where}: replaying conversations (sessions.fromDataset) needs ShareGPT "conversations" or chat "messages"`,
    );
  const said = messages.filter((m) => m.role !== 'system');
  const userTurns: TextItem[] = [];
  for (let k = 0; k + 1 < said.length && userTurns.length < turns; k += 2) {
    if (said[k].role !== 'user' || said[k + 1].role !== 'assistant') break;
    if (!said[k].content) return new Skip('an empty human turn');
    const prompt = said[k].content;
    userTurns.push({
      prompt,
      inputTokens: countTokens(prompt),
      outputTokens: outputOf({}, said[k + 1].content || undefined, fallback),
    });
  }
  if (userTurns.length < turns)
    return new Skip(`a conversation with fewer than ${turns} human turns each followed by its reply`);
  return { ...userTurns[0], userTurns };
}

function answerOf(j: Record<string, unknown>): string | undefined {
  const f = answerFields.find((k) => str(j[k]));
  return f ? (j[f] as string) : undefined;
}

function messagesOf(list: unknown[], where: string): ChatMessage[] {
  if (!list.length) throw new BenchSpecError(`${where}: "messages" is empty`);
  return list.map((m: unknown, k: number) => {
    const mm = m as Record<string, unknown>;
    if (typeof mm?.role !== 'string' || typeof mm.content !== 'string')
      throw new BenchSpecError(`${where}: messages[${k}] needs a string "role" and "content"`);
    return { role: mm.role, content: mm.content };
  });
}

/** Collects entries until `maxPrompts`; `add` returns false once enough are in. */
function collector(o: DatasetOptions, format: DatasetFormat) {
  const rand = seededUniform(o.seed ^ 0xda7a);
  const fallback = () => sampleLength(o.outputTokens, rand);
  const ds: Dataset = { items: [], format, read: 0, skipped: 0, skipReasons: [] };
  return {
    ds,
    add(value: unknown, where: string): boolean {
      ds.read++;
      const item =
        o.turns !== undefined
          ? conversationEntry(value, where, o.turns, fallback)
          : datasetEntry(value, where, o.promptField, fallback);
      if (item instanceof Skip) {
        ds.skipped++;
        if (!ds.skipReasons.includes(item.reason)) ds.skipReasons.push(item.reason);
      } else ds.items.push(item);
      return ds.items.length < o.maxPrompts;
    },
  };
}

function openError(file: string, e: unknown): BenchSpecError {
  const code = (e as NodeJS.ErrnoException).code;
  return new BenchSpecError(
    code === 'ENOENT'
      ? `The dataset ${file} does not exist`
      : `Cannot read the dataset ${file}: ${(e as Error).message}`,
  );
}

async function readJsonl(o: DatasetOptions, add: (v: unknown, where: string) => boolean): Promise<void> {
  const input = fs.createReadStream(o.path, { encoding: 'utf8', signal: o.signal });
  const opened = new Promise<void>((resolve, reject) => {
    input.once('open', () => resolve());
    input.once('error', reject);
  });
  await opened.catch((e: unknown) => {
    throw openError(o.path, e);
  });
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      if (!line.trim()) continue;
      let j: unknown;
      try {
        j = JSON.parse(line);
      } catch {
        throw new BenchSpecError(`${o.path}:${n}: not a JSON line`);
      }
      if (!add(j, `${o.path}:${n}`)) break;
    }
  } finally {
    lines.close();
    input.destroy();
  }
}

async function readJsonArray(o: DatasetOptions, add: (v: unknown, where: string) => boolean): Promise<void> {
  const { JSONParser } = await import('@streamparser/json');
  const parser = new JSONParser({ paths: ['$.*'], keepStack: false });
  let k = 0;
  let done = false;
  let failure: unknown;
  let first = true;
  parser.onValue = ({ value, stack }) => {
    if (done || failure || stack.length !== 1) return;
    try {
      if (!add(value, `${o.path}: entry ${k + 1}`)) done = true;
    } catch (e) {
      failure = e;
    }
    k++;
  };
  const input = fs.createReadStream(o.path, { signal: o.signal });
  try {
    for await (const chunk of input) {
      if (first) {
        const head = (chunk as Buffer)
          .toString('utf8', 0, 64)
          .replace(/^\uFEFF/, '')
          .trimStart();
        if (head && head[0] !== '[')
          throw new BenchSpecError(
            `${o.path}: expected a JSON array of entries (JSON Lines files are read when named .jsonl)`,
          );
        if (head) first = false;
      }
      parser.write(chunk as Buffer);
      if (failure) throw failure;
      if (done) break;
    }
    if (!done && !parser.isEnded) parser.end();
  } catch (e) {
    if (e instanceof BenchSpecError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code) throw openError(o.path, e);
    if ((e as Error).name === 'AbortError') throw e;
    throw new BenchSpecError(`${o.path}: not valid JSON after entry ${k}: ${(e as Error).message}`);
  } finally {
    input.destroy();
  }
  if (failure) throw failure;
}

/** Rows per read: a row group is decoded at most once per chunk of this many rows. */
const PARQUET_CHUNK = 256;

async function readParquet(o: DatasetOptions, add: (v: unknown, where: string) => boolean): Promise<void> {
  const { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } = await import('hyparquet');
  let file: Awaited<ReturnType<typeof asyncBufferFromFile>>;
  try {
    file = await asyncBufferFromFile(o.path);
  } catch (e) {
    throw openError(o.path, e);
  }
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (e) {
    throw new BenchSpecError(`${o.path}: not a Parquet file (${(e as Error).message})`);
  }
  const rows = Number(metadata.num_rows);
  for (let start = 0; start < rows; start += PARQUET_CHUNK) {
    o.signal?.throwIfAborted();
    let chunk: Record<string, unknown>[];
    try {
      chunk = await parquetReadObjects({
        file,
        metadata,
        rowStart: start,
        rowEnd: Math.min(rows, start + PARQUET_CHUNK),
      });
    } catch (e) {
      throw new BenchSpecError(
        `${o.path}: cannot read rows ${start + 1}–${Math.min(rows, start + PARQUET_CHUNK)}: ${(e as Error).message}`,
      );
    }
    for (let k = 0; k < chunk.length; k++) if (!add(chunk[k], `${o.path}: row ${start + k + 1}`)) return;
  }
}

/** Reads up to `maxPrompts` prompts from a dataset file; throws BenchSpecError naming the file and line, entry or row. */
export async function readDataset(o: DatasetOptions): Promise<Dataset> {
  const format = o.format ?? datasetFormatOf(o.path);
  const { ds, add } = collector(o, format);
  if (format === 'parquet') await readParquet(o, add);
  else if (format === 'json') await readJsonArray(o, add);
  else await readJsonl(o, add);
  if (!ds.items.length)
    throw new BenchSpecError(
      `The dataset ${o.path} has no usable prompts${ds.skipped ? ` (${ds.skipped} skipped: ${ds.skipReasons.join('; ')})` : ''}`,
    );
  return ds;
}
