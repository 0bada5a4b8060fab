/**
 * One raw record per request, written as one JSON line. Times are
 * milliseconds (µs resolution): `q` and `t` since the run started, every
 * other time since `t` (the actual send), which keeps lines short. Profiles
 * derive all their metrics from these records and nothing else, so a result
 * can be recomputed for another profile later.
 */

/** Event flags, one per streamed event (SSE event, NDJSON line, gRPC message). */
export const EV_CHOICE = 1; // carries the generation field (OpenAI `choices` non-empty, a TGI token, an Ollama line…)
export const EV_TEXT = 2; // with non-empty generated text
export const EV_USAGE = 4; // with token usage
export const EV_DONE = 8; // end marker ([DONE], done:true, final response)
export const EV_ERROR = 16; // an in-band error
export const EV_REASON = 32; // with non-empty reasoning text (OpenAI `reasoning_content` / `reasoning`)
/**
 * First event of a transport read: the body data undici hands over in one
 * call (one HTTP chunk), the analogue of a curl write callback in
 * perf_analyzer. Events without it arrived in the same read as the event
 * before them. Records written before this flag existed have it on no event.
 */
export const EV_READ = 64;

export interface RawRecord {
  /** Request index within the run. */
  i: number;
  /** Step index. */
  s: number;
  /** 1 for a warm-up request (recorded, never summarised). */
  w?: 1;
  /** Items in the request (batch size: images, embedding inputs); 1 for text generation. */
  n: number;
  /** Scheduled send (ms since run start). Open loop: the schedule's time, so queueing shows. */
  q: number;
  /** Actual send (ms since run start). */
  t: number;
  /** Response headers received (ms after t). */
  h?: number;
  /** Response complete, failed or cancelled (ms after t). */
  e: number;
  /** Streamed events: [ms after t, flags, ms after t, flags, …]. */
  ev?: number[];
  /** HTTP status, or gRPC status code + 1000; 0 when no response arrived. */
  st: number;
  /** Error kind (InferenceError kind, or "http", "in-stream", "malformed") and message. */
  ek?: string;
  er?: string;
  /** 1 when the run was cancelled while this request was in flight. */
  x?: 1;
  /** Token counts: input/output, from the server's usage (u) and from our own count (o). */
  iu?: number;
  io?: number;
  ou?: number;
  oo?: number;
  /** Prompt tokens the server found in its prefix cache (`usage.prompt_tokens_details.cached_tokens`). */
  ic?: number;
  /** Multi-turn sessions: the conversation (0-based) and the turn within it (1-based). */
  cv?: number;
  tn?: number;
  /**
   * Reasoning tokens of a reasoning model's answer: the server's count (ru,
   * `completion_tokens_details.reasoning_tokens`, included in ou) and our own
   * count of the reasoning text (ro; oo counts the answer text only).
   */
  ru?: number;
  ro?: number;
  /** LoRA traffic: index of the adapter (spec `text.lora`) the request named. */
  ad?: number;
  /** Request and response body bytes. */
  bo: number;
  bi: number;
}

/** A successful request: a 2xx answer (or gRPC OK), no transport or in-band error, not cancelled. */
export function isSuccess(r: RawRecord): boolean {
  return r.ek === undefined && r.x === undefined && ((r.st >= 200 && r.st < 300) || r.st === 1000);
}

const r3 = (v: number) => Math.round(v * 1000) / 1000;

/**
 * Rounds a record's times to the microsecond resolution of the file, in
 * place. The engine summarises records after this, so a summary computed
 * during the run and one recomputed from the file are identical.
 */
export function quantizeRecord(r: RawRecord): void {
  r.q = r3(r.q);
  r.t = r3(r.t);
  if (r.h !== undefined) r.h = r3(r.h);
  r.e = r3(r.e);
  const ev = r.ev;
  if (ev) for (let k = 0; k < ev.length; k += 2) ev[k] = r3(ev[k]);
}

/** `.001` … `.999` as JavaScript prints them (trailing zeros dropped); index 0 unused. */
const FRACTIONS = Array.from({ length: 1000 }, (_, f) => (f ? String(f / 1000).slice(1) : ''));

/**
 * `String(r3(v))`, from integers: a time with three decimals printed by the
 * general double-to-text algorithm is the costliest step of encoding a
 * record, and every record has several. Non-negative values below 2^31 µs
 * (24 days) take the integer path; anything else is printed as before.
 */
export function ms3(v: number): string {
  const k = Math.round(v * 1000);
  if (k >= 0 && k < 2147483648) {
    const whole = Math.floor(k / 1000);
    return `${whole}${FRACTIONS[k - whole * 1000]}`;
  }
  return String(k / 1000);
}

/** Encodes a record as one JSON line (hand-built: this runs once per request on the hot path). */
export function encodeRecord(r: RawRecord): string {
  let s = `{"i":${r.i},"s":${r.s},"n":${r.n},"q":${ms3(r.q)},"t":${ms3(r.t)}`;
  if (r.w) s += ',"w":1';
  if (r.h !== undefined) s += `,"h":${ms3(r.h)}`;
  s += `,"e":${ms3(r.e)},"st":${r.st}`;
  if (r.ev && r.ev.length) {
    s += ',"ev":[';
    for (let k = 0; k < r.ev.length; k += 2) s += `${k ? ',' : ''}${ms3(r.ev[k])},${r.ev[k + 1]}`;
    s += ']';
  }
  if (r.ek !== undefined) s += `,"ek":${JSON.stringify(r.ek)},"er":${JSON.stringify(r.er ?? '')}`;
  if (r.x) s += ',"x":1';
  if (r.iu !== undefined) s += `,"iu":${r.iu}`;
  if (r.io !== undefined) s += `,"io":${r.io}`;
  if (r.ou !== undefined) s += `,"ou":${r.ou}`;
  if (r.oo !== undefined) s += `,"oo":${r.oo}`;
  if (r.ic !== undefined) s += `,"ic":${r.ic}`;
  if (r.tn !== undefined) s += `,"cv":${r.cv},"tn":${r.tn}`;
  if (r.ru !== undefined) s += `,"ru":${r.ru}`;
  if (r.ro !== undefined) s += `,"ro":${r.ro}`;
  if (r.ad !== undefined) s += `,"ad":${r.ad}`;
  return `${s},"bo":${r.bo},"bi":${r.bi}}\n`;
}

/** Most bytes `encodeRecordInto` writes for a record with `events` streamed events (each number ≤ 25 characters). */
export function maxEncodedBytes(r: RawRecord): number {
  return 720 + 27 * (r.ev ? r.ev.length : 0);
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const K = {
  i: ascii('{"i":'),
  s: ascii(',"s":'),
  n: ascii(',"n":'),
  q: ascii(',"q":'),
  t: ascii(',"t":'),
  w: ascii(',"w":1'),
  h: ascii(',"h":'),
  e: ascii(',"e":'),
  st: ascii(',"st":'),
  ev: ascii(',"ev":['),
  x: ascii(',"x":1'),
  iu: ascii(',"iu":'),
  io: ascii(',"io":'),
  ou: ascii(',"ou":'),
  oo: ascii(',"oo":'),
  ic: ascii(',"ic":'),
  cv: ascii(',"cv":'),
  tn: ascii(',"tn":'),
  ru: ascii(',"ru":'),
  ro: ascii(',"ro":'),
  ad: ascii(',"ad":'),
  bo: ascii(',"bo":'),
  bi: ascii(',"bi":'),
};

function putBytes(out: Buffer, at: number, b: Uint8Array): number {
  for (let k = 0; k < b.length; k++) out[at + k] = b[k];
  return at + b.length;
}

/** The decimal digits of an integer 0 ≤ v < 2^31. */
function putUint(out: Buffer, at: number, v: number): number {
  let len = 1;
  for (let x = v; x >= 10; x = Math.floor(x / 10)) len++;
  let k = at + len;
  do {
    out[--k] = 48 + (v % 10);
    v = Math.floor(v / 10);
  } while (v > 0);
  return at + len;
}

/** `String(v)`, as ASCII bytes. */
function putNum(out: Buffer, at: number, v: number): number {
  if (v >= 0 && v < 2147483648 && Math.floor(v) === v) return putUint(out, at, v);
  return at + out.write(String(v), at, 'latin1');
}

/** `ms3(v)`, as ASCII bytes. */
function putMs3(out: Buffer, at: number, v: number): number {
  const k = Math.round(v * 1000);
  if (k >= 0 && k < 2147483648) {
    const whole = Math.floor(k / 1000);
    at = putUint(out, at, whole);
    const f = k - whole * 1000;
    if (f) {
      // .001 … .999 with trailing zeros dropped, as JavaScript prints f / 1000.
      const d2 = Math.floor(f / 10) % 10;
      const d3 = f % 10;
      out[at++] = 46;
      out[at++] = 48 + Math.floor(f / 100);
      if (d2 || d3) out[at++] = 48 + d2;
      if (d3) out[at++] = 48 + d3;
    }
    return at;
  }
  return at + out.write(String(k / 1000), at, 'latin1');
}

/**
 * `encodeRecord(r)` written straight into `out` at `at` as bytes (returns the
 * offset after the line): no string per record. For records without an error
 * (`ek`), whose line is ASCII; the caller leaves `maxEncodedBytes(r)` free.
 */
export function encodeRecordInto(out: Buffer, at: number, r: RawRecord): number {
  at = putNum(out, putBytes(out, at, K.i), r.i);
  at = putNum(out, putBytes(out, at, K.s), r.s);
  at = putNum(out, putBytes(out, at, K.n), r.n);
  at = putMs3(out, putBytes(out, at, K.q), r.q);
  at = putMs3(out, putBytes(out, at, K.t), r.t);
  if (r.w) at = putBytes(out, at, K.w);
  if (r.h !== undefined) at = putMs3(out, putBytes(out, at, K.h), r.h);
  at = putMs3(out, putBytes(out, at, K.e), r.e);
  at = putNum(out, putBytes(out, at, K.st), r.st);
  const ev = r.ev;
  if (ev && ev.length) {
    at = putBytes(out, at, K.ev);
    for (let k = 0; k < ev.length; k += 2) {
      if (k) out[at++] = 44;
      at = putMs3(out, at, ev[k]);
      out[at++] = 44;
      at = putNum(out, at, ev[k + 1]);
    }
    out[at++] = 93;
  }
  if (r.x) at = putBytes(out, at, K.x);
  if (r.iu !== undefined) at = putNum(out, putBytes(out, at, K.iu), r.iu);
  if (r.io !== undefined) at = putNum(out, putBytes(out, at, K.io), r.io);
  if (r.ou !== undefined) at = putNum(out, putBytes(out, at, K.ou), r.ou);
  if (r.oo !== undefined) at = putNum(out, putBytes(out, at, K.oo), r.oo);
  if (r.ic !== undefined) at = putNum(out, putBytes(out, at, K.ic), r.ic);
  if (r.tn !== undefined) {
    at = putNum(out, putBytes(out, at, K.cv), r.cv!);
    at = putNum(out, putBytes(out, at, K.tn), r.tn);
  }
  if (r.ru !== undefined) at = putNum(out, putBytes(out, at, K.ru), r.ru);
  if (r.ro !== undefined) at = putNum(out, putBytes(out, at, K.ro), r.ro);
  if (r.ad !== undefined) at = putNum(out, putBytes(out, at, K.ad), r.ad);
  at = putNum(out, putBytes(out, at, K.bo), r.bo);
  at = putNum(out, putBytes(out, at, K.bi), r.bi);
  out[at++] = 125;
  out[at++] = 10;
  return at;
}

/** A step boundary line, so that a records file alone is enough to rebuild summaries. */
export interface StepMarker {
  index: number;
  label: string;
  /** Measured phase start (ms since run start). */
  start: number;
  /** Last measured request ended (set on the closing marker). */
  end?: number;
}

/** First line of every records file. */
export interface RecordsMeta {
  format: 'inference-lab/bench-records';
  version: 1;
  /** Wall-clock time of run start (t = 0), ISO 8601. */
  startedAt: string;
}

export type RecordsLine =
  { kind: 'record'; record: RawRecord } | { kind: 'step'; step: StepMarker } | { kind: 'meta'; meta: RecordsMeta };

/** Parses one line of a records file; `undefined` for a blank or truncated line. */
export function decodeLine(line: string): RecordsLine | undefined {
  if (!line.trim()) return undefined;
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined; // a line cut short by a crash: everything before it is intact
  }
  if (j.meta) return { kind: 'meta', meta: j.meta as RecordsMeta };
  if (j.step) return { kind: 'step', step: j.step as StepMarker };
  if (typeof j.i === 'number' && typeof j.t === 'number') return { kind: 'record', record: j as unknown as RawRecord };
  return undefined;
}
