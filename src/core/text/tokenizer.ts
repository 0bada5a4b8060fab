/**
 * The simulated tokenizer: deterministic, reversible by concatenation, and
 * the single source of every token count the server reports. A piece is a
 * special token (`<|user|>`), an optional space plus up to six letters, a
 * digit, a punctuation mark, or a whitespace run. Longer words split into
 * six-letter chunks, so counts grow with text length like a real BPE.
 */
import { hashString } from '../util/rng';

/** Size of the simulated vocabulary; ids are stable hashes of the piece text. */
export const VOCAB_SIZE = 32000;
const SPECIAL_IDS = new Map([
  ['<|bos|>', 1],
  ['<|eos|>', 2],
]);

/** Splits text into token pieces; `pieces(t).join('') === t`. */
export function tokenPieces(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length;) {
    const end = pieceEnd(text, i);
    out.push(text.slice(i, end));
    i = end;
  }
  return out;
}

/** Number of tokens in `text`. */
export function countTokens(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; n++) i = pieceEnd(text, i);
  return n;
}

/**
 * Where the piece starting at `i` ends. A hand-written scanner for the
 * grammar above (the regular expression
 * `<\|[a-z_]+\|>| ?[A-Za-z]{1,6}| ?\d| ?[^\sA-Za-z\d]|\s+(?!\S)|\s+` with the
 * `u` flag, tried in that order), several times faster than running it:
 * every request's prompt is counted.
 */
function pieceEnd(text: string, i: number): number {
  const len = text.length;
  let c = text.charCodeAt(i);
  if (c === LT && text.charCodeAt(i + 1) === BAR) {
    let j = i + 2;
    while (j < len && isSpecialNameChar(text.charCodeAt(j))) j++;
    if (j > i + 2 && text.charCodeAt(j) === BAR && text.charCodeAt(j + 1) === GT) return j + 2;
  }
  let k = i;
  if (isSpace(c)) {
    // One plain space before a non-space joins the next piece; any other run ends
    // one character early when a non-space follows (the `(?!\S)` backtrack).
    let j = i + 1;
    while (j < len && isSpace(text.charCodeAt(j))) j++;
    if (j === len) return j;
    if (j - i > 1) return j - 1;
    if (c !== SPACE) return j;
    k = j;
    c = text.charCodeAt(k);
  }
  if (isLetter(c)) {
    let j = k + 1;
    while (j < len && j - k < 6 && isLetter(text.charCodeAt(j))) j++;
    return j;
  }
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = text.charCodeAt(k + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return k + 2;
  }
  return k + 1;
}

const SPACE = 0x20;
const LT = 0x3c;
const GT = 0x3e;
const BAR = 0x7c;

function isLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

function isSpecialNameChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

/** JavaScript's `\s`: ASCII whitespace, no-break spaces, Unicode space separators, line/paragraph separators and the BOM. */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** The stable id of one piece (special tokens keep small fixed ids). */
export function tokenId(piece: string): number {
  // Only a piece starting with `<` can be special: skip the keyed lookup otherwise (it runs per output token).
  const special = piece.charCodeAt(0) === LT ? SPECIAL_IDS.get(piece) : undefined;
  return special ?? 3 + (hashString(piece) % (VOCAB_SIZE - 3));
}

/** Token ids of `text`. */
export function encode(text: string): number[] {
  return tokenPieces(text).map(tokenId);
}
