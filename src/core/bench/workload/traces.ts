/**
 * Request traces with timestamps, replayed at their recorded times:
 *
 * - Mooncake (JSONL): `{"timestamp": ms, "input_length", "output_length", "hash_ids": [...]}`;
 *   each hash id names one 512-token block of the prompt, so requests that
 *   share ids share a prefix (what the trace was published to show).
 * - Azure LLM inference trace (CSV): `TIMESTAMP,ContextTokens,GeneratedTokens`, the
 *   timestamp a date-time with up to 7 fractional digits.
 * - BurstGPT (CSV): `Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type`,
 *   seconds since the trace started. Rows with 0 response tokens are requests
 *   that failed in the original log: they are skipped and counted.
 *
 * Files are read line by line, twice: a scan before the run checks every
 * line (a bad one stops the run before anything is sent, naming file and
 * line) and measures the schedule; the replay then reads lines as their send
 * time comes, so memory does not grow with the trace.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { seededUniform, type Uniform } from '../../stats/random';
import type { TraceFormat } from '../spec';
import { BenchSpecError } from '../specNormalize';
import type { PromptVocabulary } from './serverTokenizer';
import { syntheticPrompt, type TextItem } from './textWorkload';

/** Tokens per Mooncake hash block (the block size of the published traces). */
export const MOONCAKE_BLOCK = 512;

export interface TraceEntry {
  /** Milliseconds on the trace's own clock. */
  atMs: number;
  inputTokens: number;
  outputTokens: number;
  hashIds?: number[];
  line: number;
}

/** What the scan found: the schedule's size and span. */
export interface TraceScan {
  format: TraceFormat;
  /** Lines that become requests, and lines skipped (with why). */
  requests: number;
  skipped: number;
  skipReasons: string[];
  firstMs: number;
  lastMs: number;
}

/** The format from the file name, or for CSV from its header. */
export function traceFormatOf(file: string, header: string): TraceFormat {
  if (!/\.csv$/i.test(file)) return 'mooncake';
  return /request tokens/i.test(header) ? 'burstgpt' : 'azure';
}

const AZURE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

function azureMs(v: string): number | undefined {
  const m = AZURE_TIME.exec(v.trim());
  if (!m) return undefined;
  const whole = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return whole + (m[7] ? Number(`0.${m[7]}`) * 1000 : 0);
}

const isCount = (v: number) => Number.isInteger(v) && v >= 0;

type Parsed = TraceEntry | { skip: string } | undefined;

/** Column positions of a CSV header, by name (case and spacing ignored). */
function columns(header: string, need: string[], file: string): number[] {
  const names = header.split(',').map((h) => h.trim().toLowerCase());
  return need.map((n) => {
    const k = names.indexOf(n);
    if (k < 0) throw new BenchSpecError(`${file}:1: the header has no "${n}" column (found: ${header.trim()})`);
    return k;
  });
}

function lineParser(format: TraceFormat, file: string): (line: string, n: number) => Parsed {
  const bad = (n: number, why: string) => new BenchSpecError(`${file}:${n}: ${why}`);
  if (format === 'mooncake') {
    return (line, n) => {
      if (!line.trim()) return undefined;
      let j: Record<string, unknown>;
      try {
        j = JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw bad(n, 'not a JSON line');
      }
      if (!j || typeof j !== 'object') throw bad(n, 'expected a JSON object');
      const { timestamp, input_length: inp, output_length: out, hash_ids: ids } = j;
      if (typeof timestamp !== 'number' || !Number.isFinite(timestamp) || timestamp < 0)
        throw bad(n, '"timestamp" must be milliseconds (a number ≥ 0)');
      if (typeof inp !== 'number' || !isCount(inp) || inp < 1)
        throw bad(n, '"input_length" must be a whole number of tokens ≥ 1');
      if (typeof out !== 'number' || !isCount(out)) throw bad(n, '"output_length" must be a whole number of tokens');
      if (ids !== undefined && (!Array.isArray(ids) || !ids.every((h) => typeof h === 'number' && Number.isInteger(h))))
        throw bad(n, '"hash_ids" must be a list of integers');
      if (out === 0) return { skip: 'output_length 0' };
      const e: TraceEntry = { atMs: timestamp, inputTokens: inp, outputTokens: out, line: n };
      if (ids) e.hashIds = ids as number[];
      return e;
    };
  }
  let cols: number[] | undefined;
  return (line, n) => {
    if (!line.trim()) return undefined;
    if (!cols) {
      cols =
        format === 'azure'
          ? columns(line, ['timestamp', 'contexttokens', 'generatedtokens'], file)
          : columns(line, ['timestamp', 'request tokens', 'response tokens'], file);
      return undefined;
    }
    const f = line.split(',');
    if (f.length <= Math.max(...cols))
      throw bad(n, `expected at least ${Math.max(...cols) + 1} comma-separated fields, found ${f.length}`);
    const at = format === 'azure' ? azureMs(f[cols[0]]) : Number(f[cols[0]]) * 1000;
    if (at === undefined || !Number.isFinite(at) || at < 0)
      throw bad(
        n,
        format === 'azure'
          ? `"${f[cols[0]].trim()}" is not a timestamp like 2023-11-16 18:15:46.6805900`
          : `"${f[cols[0]].trim()}" is not seconds since the trace started`,
      );
    const inp = Number(f[cols[1]]);
    const out = Number(f[cols[2]]);
    if (f[cols[1]].trim() === '' || !isCount(inp))
      throw bad(n, `"${f[cols[1]].trim()}" is not a whole number of input tokens`);
    if (f[cols[2]].trim() === '' || !isCount(out))
      throw bad(n, `"${f[cols[2]].trim()}" is not a whole number of output tokens`);
    if (inp === 0) return { skip: 'no input tokens' };
    if (out === 0)
      return {
        skip: format === 'burstgpt' ? '0 response tokens (a failed request in the original log)' : '0 generated tokens',
      };
    return { atMs: at, inputTokens: inp, outputTokens: out, line: n };
  };
}

async function firstLine(file: string): Promise<string> {
  const input = fs.createReadStream(file, { encoding: 'utf8', end: 4095 });
  try {
    for await (const line of readline.createInterface({ input, crlfDelay: Infinity })) return line;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BenchSpecError(
      code === 'ENOENT' ? `The trace ${file} does not exist` : `Cannot read the trace ${file}: ${(e as Error).message}`,
    );
  } finally {
    input.destroy();
  }
  return '';
}

/** Every entry of the trace, in file order, read as the caller asks for the next one. */
export async function* readTrace(
  file: string,
  format: TraceFormat,
  signal?: AbortSignal,
): AsyncGenerator<TraceEntry | { skip: string; line: number }> {
  const parse = lineParser(format, file);
  const input = fs.createReadStream(file, { encoding: 'utf8', signal });
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      const e = parse(line, n);
      if (!e) continue;
      yield 'skip' in e ? { skip: e.skip, line: n } : e;
    }
  } catch (e) {
    if (e instanceof BenchSpecError || (e as Error).name === 'AbortError') throw e;
    throw new BenchSpecError(`Cannot read the trace ${file}: ${(e as Error).message}`);
  } finally {
    lines.close();
    input.destroy();
  }
}

/** Checks every line and measures the schedule, before anything is sent. */
export async function scanTrace(
  file: string,
  format: TraceFormat | undefined,
  signal?: AbortSignal,
): Promise<TraceScan> {
  const fmt = format ?? traceFormatOf(file, await firstLine(file));
  const scan: TraceScan = {
    format: fmt,
    requests: 0,
    skipped: 0,
    skipReasons: [],
    firstMs: Infinity,
    lastMs: -Infinity,
  };
  let prev = -Infinity;
  for await (const e of readTrace(file, fmt, signal)) {
    if ('skip' in e) {
      scan.skipped++;
      if (!scan.skipReasons.includes(e.skip)) scan.skipReasons.push(e.skip);
      continue;
    }
    if (e.atMs < prev)
      throw new BenchSpecError(
        `${file}:${e.line}: timestamps go backwards (${e.atMs} ms after ${prev} ms): sort the trace by time`,
      );
    prev = e.atMs;
    scan.requests++;
    scan.firstMs = Math.min(scan.firstMs, e.atMs);
    scan.lastMs = Math.max(scan.lastMs, e.atMs);
  }
  if (!scan.requests)
    throw new BenchSpecError(
      `The trace ${file} has no requests${scan.skipped ? ` (${scan.skipped} lines skipped: ${scan.skipReasons.join('; ')})` : ''}`,
    );
  return scan;
}

/**
 * The prompt of a trace entry: exactly `inputTokens` tokens. With Mooncake
 * hash ids, block k of the prompt is the same text wherever the id recurs
 * (seeded by the id), so a server's prefix cache sees the sharing the trace
 * recorded; otherwise the words are seeded by the line.
 */
export function tracePrompt(e: TraceEntry, seed: number, vocab?: PromptVocabulary): TextItem {
  const words = (n: number, rand: Uniform) =>
    vocab
      ? Array.from({ length: n }, () => vocab.words[Math.floor(rand() * vocab.words.length)]).join(' ')
      : syntheticPrompt(n, rand);
  // With the server's vocabulary the prompt opens with its first word, which costs `base` tokens (BOS, template).
  const base = vocab ? vocab.base : 0;
  const inputTokens = Math.max(e.inputTokens, base);
  const parts: string[] = vocab ? [vocab.first] : [];
  let left = inputTokens - base;
  if (e.hashIds?.length) {
    for (const [k, id] of e.hashIds.entries()) {
      if (left <= 0) break;
      const n = Math.min(MOONCAKE_BLOCK - (k === 0 ? base : 0), left);
      parts.push(words(n, seededUniform((seed ^ 0x7ace) + id * 7919)));
      left -= n;
    }
  }
  if (left > 0) parts.push(words(left, seededUniform((seed ^ 0x7ace) - e.line)));
  return { prompt: parts.filter(Boolean).join(' '), inputTokens, outputTokens: e.outputTokens };
}
