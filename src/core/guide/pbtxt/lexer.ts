/**
 * Tokens of the protobuf text format as Triton's `config.pbtxt` uses it:
 * identifiers, numbers, quoted strings, punctuation, `#` comments.
 */
export type PbToken =
  | { kind: 'ident'; text: string; start: number; end: number }
  | { kind: 'number'; text: string; start: number; end: number }
  | { kind: 'string'; text: string; value: string; start: number; end: number }
  | { kind: 'punct'; text: '{' | '}' | '[' | ']' | '<' | '>' | ':' | ',' | ';'; start: number; end: number };

export class PbtxtSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${message}`);
  }
}

export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export function syntaxError(text: string, offset: number, message: string): PbtxtSyntaxError {
  const { line, column } = positionOf(text, offset);
  return new PbtxtSyntaxError(message, offset, line, column);
}

const PUNCT = new Set(['{', '}', '[', ']', '<', '>', ':', ',', ';']);
const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '?': '?',
};

/** Tokenizes the whole text; with `tolerant`, an unterminated string ends at the line end instead of throwing. */
export function tokenize(text: string, tolerant = false): PbToken[] {
  const out: PbToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) i++;
    else if (c === '#') while (i < text.length && text[i] !== '\n') i++;
    else if (PUNCT.has(c)) out.push({ kind: 'punct', text: c as '{', start: i, end: ++i });
    else if (c === '"' || c === "'") i = readString(text, i, out, tolerant);
    else if (/[-+0-9.]/.test(c)) {
      const m = /^[-+]?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?[fF]?|inf(?:inity)?|nan)/i.exec(
        text.slice(i),
      );
      if (!m) {
        if (tolerant) {
          i++;
          continue;
        }
        throw syntaxError(text, i, `unexpected character '${c}'`);
      }
      out.push({ kind: 'number', text: m[0], start: i, end: i + m[0].length });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i)) as RegExpExecArray;
      out.push({ kind: 'ident', text: m[0], start: i, end: i + m[0].length });
      i += m[0].length;
    } else if (tolerant) i++;
    else throw syntaxError(text, i, `unexpected character '${c}'`);
  }
  return out;
}

function readString(text: string, start: number, out: PbToken[], tolerant: boolean): number {
  const quote = text[start];
  let value = '';
  let i = start + 1;
  while (i < text.length && text[i] !== quote) {
    if (text[i] === '\n') {
      if (tolerant) break;
      throw syntaxError(text, start, 'string not closed before the end of the line');
    }
    if (text[i] === '\\' && i + 1 < text.length) {
      const e = text[i + 1];
      const octal = /^[0-7]{1,3}/.exec(text.slice(i + 1));
      if (octal) {
        value += String.fromCharCode(parseInt(octal[0], 8));
        i += 1 + octal[0].length;
        continue;
      }
      value += ESCAPES[e] ?? e;
      i += 2;
      continue;
    }
    value += text[i++];
  }
  if (i >= text.length && !tolerant) throw syntaxError(text, start, 'string not closed');
  const end = Math.min(i + 1, text.length);
  out.push({ kind: 'string', text: text.slice(start, end), value, start, end });
  return end;
}
