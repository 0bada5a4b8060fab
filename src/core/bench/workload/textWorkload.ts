import { seededUniform, standardNormal, type Uniform } from '../../stats/random';
import type { LengthSpec, TextWorkload } from '../spec';

export interface ChatMessage {
  role: string;
  content: string;
}

/** One prompt to send: its text (or chat messages), our own token count, and the output length asked for. */
export interface TextItem {
  prompt: string;
  messages?: ChatMessage[];
  inputTokens: number;
  outputTokens: number;
  /** A dataset conversation replayed as one session: its user turns in order (sessions.fromDataset). */
  userTurns?: TextItem[];
}

/** Distinct prompts per run; requests cycle through them (building them costs nothing at send time). */
export const promptPoolSize = 1024;

/** Short common words: each is one token on its own or after a space, so N words make N tokens. */
const WORDS = (
  'the of and to in is it that for on with as was at by be this are or from an but not have one all were they ' +
  'when we there can more if out so up said what about into them some could time than first been its who now ' +
  'people my made over did down only way find use may water long little very after words called just where most ' +
  'know get through back much go good new write our me man too any day same right look think also around another ' +
  'came come work three word must because does part even place well such here take why help put years different ' +
  'away again off went old number great tell men say small every found still between name should home big give air ' +
  'line set own under read last never us left end along while might next sound below saw both few'
)
  .split(' ')
  // Longer words would split into two pieces and break "N words = N tokens".
  .filter((w) => w.length <= 6);

/** The words synthetic prompts are made of (the server tokenizer measures what each costs). */
export function syntheticWords(): string[] {
  return WORDS.slice();
}

/** A length drawn from the spec: fixed, or normal rounded and clamped to [min, max] (at least 1). */
export function sampleLength(spec: LengthSpec, rand: Uniform): number {
  const raw = spec.std ? spec.mean + spec.std * standardNormal(rand) : spec.mean;
  return Math.min(Math.max(Math.round(raw), spec.min ?? 1, 1), spec.max ?? Infinity);
}

/** A prompt of exactly `tokens` words (and tokens) from a seeded stream. */
export function syntheticPrompt(tokens: number, rand: Uniform): string {
  const words: string[] = new Array(tokens);
  for (let k = 0; k < tokens; k++) words[k] = WORDS[Math.floor(rand() * WORDS.length)];
  return words.join(' ');
}

export function syntheticPrompts(spec: TextWorkload, seed: number, count = promptPoolSize): TextItem[] {
  const rand = seededUniform(seed ^ 0x51ed);
  return Array.from({ length: count }, () => {
    const inputTokens = sampleLength(spec.inputTokens, rand);
    const outputTokens = sampleLength(spec.outputTokens, rand);
    return { prompt: syntheticPrompt(inputTokens, rand), inputTokens, outputTokens };
  });
}
