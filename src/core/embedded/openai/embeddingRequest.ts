/**
 * Reads OpenAI `/v1/embeddings` bodies (vLLM, TEI) and encodes vectors as
 * JSON floats or as base64 little-endian float32 (the openai SDK asks for
 * base64 by default and decodes it).
 */
import type { EmbeddingModel } from '../models/embeddingModel';
import type { ModelRegistry } from '../models/registry';
import { countTokens } from '../../text/tokenizer';
import { RequestError } from '../requestError';
import { BodyChecker } from './validation';

export interface EmbeddingRequest {
  model: EmbeddingModel;
  modelName: string;
  inputs: string[];
  /** Token count of each input. */
  tokens: number[];
  encoding: 'float' | 'base64';
  dimensions: number | undefined;
}

function readInputs(ck: BodyChecker): string[] {
  const v = ck.body.input;
  if (v === undefined) {
    ck.add({ type: 'missing', loc: ['body', 'input'], msg: 'Field required' });
    return [];
  }
  const one = (x: unknown) =>
    typeof x === 'string' ? x : Array.isArray(x) && x.every((t) => Number.isInteger(t)) ? x.join(' ') : undefined;
  const single =
    typeof v === 'string' || (Array.isArray(v) && v.length && v.every((t) => Number.isInteger(t))) ? one(v) : undefined;
  if (single !== undefined) return [single];
  if (Array.isArray(v) && v.length && v.every((x) => one(x) !== undefined)) return v.map((x) => one(x) as string);
  ck.add({ type: 'string_type', loc: ['body', 'input'], msg: 'Input should be a valid string or a non-empty list' });
  return [];
}

export function parseEmbeddingRequest(body: Record<string, unknown>, models: ModelRegistry): EmbeddingRequest {
  const ck = new BodyChecker(body);
  const modelName = ck.opt<string>('model', 'string');
  const inputs = readInputs(ck);
  const encoding = ck.opt<string>('encoding_format', 'string') ?? 'float';
  const dimensions = ck.intAtLeast('dimensions', 1);
  ck.done();
  if (encoding !== 'float' && encoding !== 'base64')
    throw new RequestError(
      'validation',
      `Unsupported encoding_format "${encoding}" (float or base64)`,
      'encoding_format',
    );
  const model = modelName === undefined ? models.first('embedding') : models.get(modelName);
  if (!model)
    throw new RequestError(
      modelName === undefined ? 'unsupported-model' : 'model-not-found',
      modelName === undefined ? 'No model supports the Embeddings API' : `The model \`${modelName}\` does not exist.`,
      'model',
    );
  if (model.kind !== 'embedding')
    throw new RequestError(
      'unsupported-model',
      `The model \`${model.name}\` does not support the Embeddings API.`,
      'model',
    );
  const tokens = inputs.map((s) => countTokens(s));
  const longest = Math.max(0, ...tokens);
  if (longest > model.maxInputTokens) {
    throw new RequestError(
      'context-length',
      `This model's maximum context length is ${model.maxInputTokens} tokens. However, you requested ${longest} tokens in the input for embedding generation. Please reduce the length of the input.`,
    );
  }
  return { model, modelName: modelName ?? model.name, inputs, tokens, encoding, dimensions };
}

/** A vector as the response's `embedding` field. */
export function encodeEmbedding(v: Float32Array, encoding: 'float' | 'base64'): number[] | string {
  if (encoding === 'base64') return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  return Array.from(v);
}
