/**
 * The simulated tokenizer: deterministic, reversible by concatenation, and
 * the single source of every token count the server reports. A piece is a
 * special token (`<|user|>`), an optional space plus up to six letters, a
 * digit, a punctuation mark, or a whitespace run. Longer words split into
 * six-letter chunks, so counts grow with text length like a real BPE.
 */
import { hashString } from '../util/rng';

const PIECE = /<\|[a-z_]+\|>| ?[A-Za-z]{1,6}| ?\d| ?[^\sA-Za-z\d]|\s+(?!\S)|\s+/gu;

/** Size of the simulated vocabulary; ids are stable hashes of the piece text. */
export const VOCAB_SIZE = 32000;
const SPECIAL_IDS: Record<string, number> = { '<|bos|>': 1, '<|eos|>': 2 };

/** Splits text into token pieces; `pieces(t).join('') === t`. */
export function tokenPieces(text: string): string[] {
  return text.match(PIECE) ?? [];
}

/** Number of tokens in `text`. */
export function countTokens(text: string): number {
  PIECE.lastIndex = 0;
  let n = 0;
  while (PIECE.exec(text)) n++;
  return n;
}

/** The stable id of one piece (special tokens keep small fixed ids). */
export function tokenId(piece: string): number {
  return SPECIAL_IDS[piece] ?? 3 + (hashString(piece) % (VOCAB_SIZE - 3));
}

/** Token ids of `text`. */
export function encode(text: string): number[] {
  return tokenPieces(text).map(tokenId);
}
