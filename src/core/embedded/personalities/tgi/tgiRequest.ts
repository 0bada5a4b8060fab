/**
 * Reads TGI `/generate` bodies (`{"inputs", "parameters"}`) with TGI's
 * validation rules and messages (`max_new_tokens` strictly positive, at most
 * four stop sequences, input + new tokens within `max_total_tokens`).
 */
import { isObject } from '../../http/respond';
import type { TextModel } from '../../models/textModel';
import { RequestError } from '../../requestError';

export const TGI_MAX_STOP_SEQUENCES = 4;

export interface TgiGenerateRequest {
  inputs: string;
  inputTokens: number;
  maxNewTokens: number;
  stop: string[];
  seed: number | undefined;
  details: boolean;
  returnFullText: boolean;
  stream: boolean;
}

const invalid = (m: string) => new RequestError('validation', m);

function positive(p: Record<string, unknown>, name: string, below?: number): void {
  const v = p[name];
  if (v === undefined || v === null) return;
  if (typeof v !== 'number' || v <= 0 || (below !== undefined && v >= below)) {
    throw invalid(
      below === undefined
        ? `\`${name}\` must be strictly positive`
        : `\`${name}\` must be > 0.0 and < ${below.toFixed(1)}`,
    );
  }
}

export function parseTgiGenerate(body: Record<string, unknown>, model: TextModel): TgiGenerateRequest {
  if (typeof body.inputs !== 'string')
    throw invalid(body.inputs === undefined ? 'missing field `inputs`' : '`inputs` must be a string');
  if (!body.inputs.length) throw invalid('`inputs` cannot be empty');
  const p = body.parameters === undefined || body.parameters === null ? {} : body.parameters;
  if (!isObject(p)) throw invalid('`parameters` must be an object');
  positive(p, 'temperature');
  positive(p, 'repetition_penalty');
  positive(p, 'top_p', 1);
  const stop = p.stop === undefined || p.stop === null ? [] : p.stop;
  if (!Array.isArray(stop) || !stop.every((s) => typeof s === 'string'))
    throw invalid('`stop` must be a list of strings');
  if (stop.length > TGI_MAX_STOP_SEQUENCES)
    throw invalid(`\`stop\` supports up to ${TGI_MAX_STOP_SEQUENCES} stop sequences. Given: ${stop.length}`);
  const inputTokens = model.countTokens(body.inputs);
  const maxTotal = model.maxModelLen;
  if (inputTokens >= maxTotal)
    throw invalid(`\`inputs\` must have less than ${maxTotal} tokens. Given: ${inputTokens}`);
  const mnt = p.max_new_tokens;
  if (mnt !== undefined && mnt !== null && (!Number.isInteger(mnt) || (mnt as number) <= 0))
    throw invalid('`max_new_tokens` must be strictly positive');
  const maxNewTokens = typeof mnt === 'number' ? mnt : maxTotal - inputTokens;
  if (inputTokens + maxNewTokens > maxTotal) {
    throw invalid(
      `\`inputs\` tokens + \`max_new_tokens\` must be <= ${maxTotal}. Given: ${inputTokens} \`inputs\` tokens and ${maxNewTokens} \`max_new_tokens\``,
    );
  }
  const seed = p.seed;
  if (seed !== undefined && seed !== null && !Number.isInteger(seed)) throw invalid('`seed` must be an integer');
  return {
    inputs: body.inputs,
    inputTokens,
    maxNewTokens,
    stop: stop as string[],
    seed: typeof seed === 'number' ? seed : undefined,
    details: p.details === true,
    returnFullText: p.return_full_text === true,
    stream: body.stream === true,
  };
}
