/**
 * Tensor drafts from a model's declared inputs, and the values of a draft.
 * A draft's data is JSON (nested or flat) or one of the words `zeros`,
 * `ones`, `random`, so a 1×3×224×224 input does not need 150 528 numbers
 * typed out.
 */
import { elementCount } from '../../kserve/datatypes';
import type { TensorSpec } from '../../servers/types';
import type { TensorDraft } from '../../../shared/request';

/** Tensors above this many elements start as `random` rather than a literal list. */
const literalLimit = 64;

/** Concrete shape: variable dimensions (-1) become 1; an unknown shape becomes [1]. */
export function concreteShape(shape: number[] | undefined): number[] {
  if (!shape || !shape.length) return [1];
  return shape.map((d) => (d < 0 ? 1 : d));
}

function sample(datatype: string, i: number): number | string | boolean {
  if (datatype === 'BYTES') return `input ${i}`;
  if (datatype === 'BOOL') return i % 2 === 0;
  if (datatype.startsWith('FP') || datatype === 'BF16') return Math.round((i + 1) * 0.1 * 10) / 10;
  return i + 1;
}

export function tensorDraftsFor(inputs: TensorSpec[], opts: { dropBatch?: boolean } = {}): TensorDraft[] {
  return inputs.map((t) => {
    let shape = concreteShape(t.shape);
    if (opts.dropBatch && t.shape && t.shape[0] === -1 && shape.length > 1) shape = shape.slice(1);
    const n = elementCount(shape);
    const data =
      n > literalLimit ? 'random' : JSON.stringify(Array.from({ length: n }, (_, i) => sample(t.datatype, i)));
    return { name: t.name, datatype: t.datatype || 'FP32', shape, data };
  });
}

export type TensorValue = number | string | boolean;

function flatten(v: unknown, out: unknown[]): void {
  if (Array.isArray(v)) for (const x of v) flatten(x, out);
  else out.push(v);
}

/** A deterministic pseudo-random sequence (mulberry32) so a re-sent request sends the same values. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generated(word: string, datatype: string, n: number): TensorValue[] {
  const rnd = seeded(n);
  const isFloat = datatype.startsWith('FP') || datatype === 'BF16';
  return Array.from({ length: n }, () => {
    const x =
      word === 'zeros' ? 0 : word === 'ones' ? 1 : isFloat ? Math.round(rnd() * 1e6) / 1e6 : Math.floor(rnd() * 100);
    if (datatype === 'BOOL') return x !== 0;
    if (datatype === 'BYTES') return String(x);
    return x;
  });
}

/**
 * The flat row-major values of a draft, counted against its shape. Whether
 * each value fits the datatype is checked by the KServe codec that encodes
 * them. Throws an Error whose message names the tensor and the problem.
 */
export function tensorValues(t: Pick<TensorDraft, 'name' | 'datatype' | 'shape' | 'data'>): TensorValue[] {
  const n = elementCount(t.shape);
  const text = t.data.trim();
  if (/^(zeros|ones|random)$/i.test(text)) return generated(text.toLowerCase(), t.datatype, n);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(
      `Input "${t.name}": data is not valid JSON (${(e as Error).message}); write an array such as [1, 2, 3] or one of zeros, ones, random`,
    );
  }
  const flat: unknown[] = [];
  flatten(parsed, flat);
  if (flat.length !== n)
    throw new Error(
      `Input "${t.name}": shape [${t.shape.join(', ')}] needs ${n} values but the data has ${flat.length}`,
    );
  // BYTES elements are strings on the wire; accept numbers typed without quotes.
  return flat.map((v) =>
    t.datatype === 'BYTES' && (typeof v === 'number' || typeof v === 'boolean') ? String(v) : (v as TensorValue),
  );
}
