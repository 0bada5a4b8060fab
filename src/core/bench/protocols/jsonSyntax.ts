/**
 * A JSON syntax check over raw bytes (RFC 8259 grammar) that builds nothing:
 * no strings, numbers or objects are created, so a multi-megabyte answer
 * (embedding vectors, output tensors) is validated in one pass with memory
 * bounded by the nesting depth alone. The benchmark uses it on every
 * non-streamed answer; JSON.parse would allocate the whole tree per request
 * and load the client it measures with.
 */

export interface JsonSyntaxError {
  /** Byte offset where the body stopped being JSON (the body length when it ended early). */
  at: number;
  /** True when the body ended before its JSON value did (cut short). */
  truncated: boolean;
  reason: string;
}

/** Nesting deeper than this is refused (and bounds the check's own memory). */
export const MAX_JSON_DEPTH = 1024;

const enum S {
  Value,
  ValueOrEnd,
  KeyOrEnd,
  Key,
  Colon,
  CommaOrEnd,
  End,
}

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

function show(c: number): string {
  return c >= 0x20 && c < 0x7f ? `"${String.fromCharCode(c)}"` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}

/** The characters a backslash may escape besides `u`: " \\ / b f n r t. */
const ESCAPABLE = [0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74];

const cut = (n: number, what: string): JsonSyntaxError => ({ at: n, truncated: true, reason: `ends inside ${what}` });
const bad = (at: number, reason: string): JsonSyntaxError => ({ at, truncated: false, reason });

/** Index after the string that starts at `i` (a quote), or an error. */
function string(b: Uint8Array, n: number, start: number): number | JsonSyntaxError {
  let k = start + 1;
  while (k < n) {
    const c = b[k];
    if (c === 0x22) return k + 1;
    if (c === 0x5c) {
      const e = b[k + 1];
      if (e === undefined) return cut(n, 'a string');
      if (e === 0x75) {
        for (let h = 2; h < 6; h++) {
          if (k + h >= n) return cut(n, 'a string');
          if (!isHex(b[k + h])) return bad(k + h, `a \\u escape needs 4 hex digits, found ${show(b[k + h])}`);
        }
        k += 6;
        continue;
      }
      if (!ESCAPABLE.includes(e)) return bad(k + 1, `${show(e)} cannot follow a backslash`);
      k += 2;
      continue;
    }
    if (c < 0x20) return bad(k, `unescaped control character (${show(c)}) in a string`);
    k++;
  }
  return cut(n, 'a string');
}

/** Index after the number that starts at `i`, or an error. */
function number(b: Uint8Array, n: number, start: number): number | JsonSyntaxError {
  let k = start;
  if (b[k] === 0x2d) k++;
  if (k >= n) return cut(n, 'a number');
  if (b[k] === 0x30) k++;
  else if (isDigit(b[k])) while (k < n && isDigit(b[k])) k++;
  else return bad(k, `${show(b[k])} where a digit belongs`);
  if (b[k] === 0x2e) {
    k++;
    if (k >= n) return cut(n, 'a number');
    if (!isDigit(b[k])) return bad(k, `${show(b[k])} where a digit belongs`);
    while (k < n && isDigit(b[k])) k++;
  }
  if (b[k] === 0x65 || b[k] === 0x45) {
    k++;
    if (b[k] === 0x2b || b[k] === 0x2d) k++;
    if (k >= n) return cut(n, 'a number');
    if (!isDigit(b[k])) return bad(k, `${show(b[k])} where a digit belongs`);
    while (k < n && isDigit(b[k])) k++;
  }
  return k;
}

function literal(b: Uint8Array, n: number, start: number, word: string): number | JsonSyntaxError {
  for (let w = 0; w < word.length; w++) {
    if (start + w >= n) return cut(n, `"${word}"`);
    if (b[start + w] !== word.charCodeAt(w)) return bad(start + w, `${show(b[start + w])} in what should be "${word}"`);
  }
  return start + word.length;
}

/**
 * The nesting stack (1 = object, 2 = array), shared by every call: the check is synchronous and reads only the
 * levels it has pushed itself, so nothing is allocated per answer.
 */
const STACK = new Uint8Array(MAX_JSON_DEPTH);

/** Undefined when `b` is one complete JSON value (surrounding whitespace allowed), else where and why it is not. */
export function jsonSyntaxError(b: Uint8Array): JsonSyntaxError | undefined {
  const n = b.length;
  const stack = STACK;
  let depth = 0;
  let s: S = S.Value;
  let i = 0;
  while (i < n) {
    const c = b[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    switch (s) {
      case S.End:
        return bad(i, `${show(c)} after the end of the JSON value`);
      case S.Colon:
        if (c !== 0x3a) return bad(i, `${show(c)} where ":" belongs`);
        s = S.Value;
        i++;
        continue;
      case S.CommaOrEnd: {
        const top = stack[depth - 1];
        if (c === 0x2c) {
          s = top === 1 ? S.Key : S.Value;
          i++;
          continue;
        }
        if ((top === 1 && c === 0x7d) || (top === 2 && c === 0x5d)) {
          depth--;
          s = depth ? S.CommaOrEnd : S.End;
          i++;
          continue;
        }
        return bad(i, `${show(c)} where "," or "${top === 1 ? '}' : ']'}" belongs`);
      }
      case S.KeyOrEnd:
      case S.Key: {
        if (c === 0x7d && s === S.KeyOrEnd) {
          depth--;
          s = depth ? S.CommaOrEnd : S.End;
          i++;
          continue;
        }
        if (c !== 0x22) return bad(i, `${show(c)} where a quoted key belongs`);
        const r = string(b, n, i);
        if (typeof r !== 'number') return r;
        i = r;
        s = S.Colon;
        continue;
      }
      case S.Value:
      case S.ValueOrEnd: {
        if (c === 0x5d && s === S.ValueOrEnd) {
          depth--;
          s = depth ? S.CommaOrEnd : S.End;
          i++;
          continue;
        }
        if (c === 0x7b || c === 0x5b) {
          if (depth === MAX_JSON_DEPTH) return bad(i, `nested deeper than ${MAX_JSON_DEPTH} levels`);
          stack[depth++] = c === 0x7b ? 1 : 2;
          s = c === 0x7b ? S.KeyOrEnd : S.ValueOrEnd;
          i++;
          continue;
        }
        const r =
          c === 0x22
            ? string(b, n, i)
            : c === 0x2d || isDigit(c)
              ? number(b, n, i)
              : c === 0x74
                ? literal(b, n, i, 'true')
                : c === 0x66
                  ? literal(b, n, i, 'false')
                  : c === 0x6e
                    ? literal(b, n, i, 'null')
                    : bad(i, `${show(c)} where a value belongs`);
        if (typeof r !== 'number') return r;
        i = r;
        s = depth ? S.CommaOrEnd : S.End;
        continue;
      }
    }
  }
  if (s === S.End) return undefined;
  return depth ? cut(n, stack[depth - 1] === 1 ? 'an object' : 'an array') : cut(n, 'nothing: the body is empty');
}
