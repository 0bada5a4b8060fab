/**
 * The simulated text generator (chat + completions). Output is a
 * deterministic function of (prompt, seed): readable filler sentences that
 * borrow short words from the prompt. Every output piece is exactly one
 * token of the simulated tokenizer, so `usage` agrees with re-tokenizing.
 */
import { defaultTextLatency, type TextLatency } from '../latency/params';
import { hashString, Rng } from '../../util/rng';
import type { TextModelInfo } from './types';
import { countTokens, tokenId } from '../../text/tokenizer';

const WORDS = (
  'the a model server token batch queue timing stream reply answer simple small fast ' +
  'steady output input signal value vector layer kernel cache memory graph node route ' +
  'sample test result check seed this that with from into over under while after then ' +
  'will can may should every each some many more less quite fairly often rarely here now'
).split(' ');
// Every vocabulary word must be one token (at most six letters), or usage would disagree with re-tokenizing.
if (WORDS.some((w) => w.length > 6)) throw new Error('textModel vocabulary words must have at most six letters');
/** Sentence-initial forms of WORDS, made once instead of per generated sentence. */
const CAPITALIZED = new Map(WORDS.map((w) => [w, capitalize(w)]));

function capitalize(w: string): string {
  return w[0].toUpperCase() + w.slice(1);
}

export interface ChatMessage {
  role: string;
  content: string;
}

export interface GenerateOptions {
  /** Upper bound of output tokens. */
  maxTokens: number;
  /** Request seed; defaults to the model seed. */
  seed?: number;
  /** Stop strings: output ends before the first occurrence (finish "stop"). */
  stop?: readonly string[];
  /** vLLM's `ignore_eos`: never end at a natural sentence end (EOS), only at `maxTokens` or a stop string. */
  ignoreEos?: boolean;
}

export interface GeneratedText {
  /** One entry per output token; `pieces.join('')` is the text. */
  readonly pieces: string[];
  readonly tokenIds: number[];
  readonly text: string;
  finishReason: 'stop' | 'length';
  /** The stop string that ended the output, when one did (else the model "emitted EOS" or hit the limit). */
  stopMatched?: string;
}

export class TextModel implements TextModelInfo {
  readonly kind = 'text-generation' as const;
  readonly simulated = true as const;
  readonly description: string;
  constructor(
    readonly name: string,
    readonly seed: number,
    readonly createdAt: number,
    readonly latency: TextLatency = defaultTextLatency,
    readonly maxModelLen = 8192,
    readonly faults?: TextModelInfo['faults'],
    /** A reasoning model: the first this many tokens of a chat answer are reasoning (0: not a reasoning model). */
    readonly reasoningTokens = 0,
    /** LoRA adapters on this base model (vLLM `--lora-modules`): name and path. */
    readonly lora: ReadonlyArray<{ name: string; path: string }> = [],
  ) {
    this.description = `Simulated text generator "${name}": deterministic filler text, real tokenizer counts and timing; not a trained model.`;
  }

  /** The simulated chat template: `<|role|>\ncontent\n` per message, then `<|assistant|>\n`. */
  renderChat(messages: readonly ChatMessage[]): string {
    return (
      messages.map((m) => `<|${m.role.replace(/[^a-z_]/g, '') || 'user'}|>\n${m.content}\n`).join('') +
      '<|assistant|>\n'
    );
  }

  countTokens(text: string): number {
    return countTokens(text);
  }

  generate(prompt: string, opts: GenerateOptions): GeneratedText {
    const rng = new Rng(hashString(prompt, opts.seed ?? this.seed));
    // Short prompt words are found only when first needed: most tiny requests never need them.
    let borrowed: string[] | undefined;
    const natural = rng.int(12, 48);
    const stop = opts.stop?.length ? opts.stop : undefined;
    const pieces: string[] = [];
    let text = '';
    let sentenceStart = true;
    while (pieces.length < opts.maxTokens) {
      const endSentence: boolean = !sentenceStart && rng.next() < 0.12;
      let piece: string;
      if (endSentence) piece = '.';
      else {
        const useBorrowed = rng.next() < 0.25;
        if (useBorrowed) borrowed ??= (prompt.match(/\b[a-z]{3,6}\b/g) ?? []).slice(0, 64);
        const w = useBorrowed && borrowed?.length ? rng.pick(borrowed) : rng.pick(WORDS);
        const word = sentenceStart ? (CAPITALIZED.get(w) ?? capitalize(w)) : w;
        piece = text ? ` ${word}` : word;
      }
      const matched = stop && firstStop(text + piece, stop);
      if (matched !== undefined) return new Generated(pieces, text, 'stop', matched);
      pieces.push(piece);
      text += piece;
      sentenceStart = endSentence;
      if (endSentence && !opts.ignoreEos && pieces.length >= natural) return new Generated(pieces, text, 'stop');
    }
    return new Generated(pieces, text, 'length');
  }
}

/** A generation; token ids are computed when first read (most answers never show them). */
class Generated implements GeneratedText {
  #tokenIds: number[] | undefined;
  constructor(
    readonly pieces: string[],
    readonly text: string,
    readonly finishReason: GeneratedText['finishReason'],
    readonly stopMatched?: string,
  ) {}

  get tokenIds(): number[] {
    return (this.#tokenIds ??= this.pieces.map(tokenId));
  }
}

/** The stop string occurring earliest in `text`, if any. */
function firstStop(text: string, stop: readonly string[] | undefined): string | undefined {
  if (!stop) return undefined;
  let best = -1;
  let found: string | undefined;
  for (const s of stop) {
    if (!s) continue;
    const i = text.indexOf(s);
    if (i >= 0 && (best < 0 || i < best)) [best, found] = [i, s];
  }
  return found;
}
