/**
 * The simulated embedding model: a real hashed-feature embedding. Words and
 * character trigrams are hashed into signed buckets (the "hashing trick"),
 * then the vector is L2-normalized, so texts sharing words or word pieces get
 * a higher cosine similarity. Deterministic for a given seed.
 */
import { defaultBatchLatency, type BatchLatency } from '../latency/params';
import { hashString } from '../../util/rng';
import type { EmbeddingModelInfo } from './types';
import { countTokens } from '../../text/tokenizer';

export class EmbeddingModel implements EmbeddingModelInfo {
  readonly kind = 'embedding' as const;
  readonly simulated = true as const;
  readonly description: string;
  constructor(
    readonly name: string,
    readonly seed: number,
    readonly createdAt: number,
    readonly latency: BatchLatency = defaultBatchLatency,
    readonly dimensions = 384,
    readonly maxInputTokens = 512,
    readonly faults?: EmbeddingModelInfo['faults'],
  ) {
    this.description = `Simulated embedding model "${name}": hashed word and trigram features, L2-normalized (${dimensions} dims); not a trained model.`;
  }

  countTokens(text: string): number {
    return countTokens(text);
  }

  /**
   * The embedding of `text`: unit length unless `normalize` is false (then the
   * raw signed feature counts). `dimensions` may shorten it, as in Matryoshka models.
   */
  embed(text: string, dimensions = this.dimensions, normalize = true): Float32Array {
    const dims = Math.max(1, Math.min(dimensions, this.dimensions));
    const v = new Float32Array(dims);
    const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    for (const w of words) {
      this.add(v, `w:${w}`, 1);
      const padded = `^${w}$`;
      for (let i = 0; i + 3 <= padded.length; i++) this.add(v, `t:${padded.slice(i, i + 3)}`, 0.5);
    }
    let norm = 0;
    for (let i = 0; i < dims; i++) norm += v[i] * v[i];
    if (!normalize && norm > 0) return v;
    if (norm === 0) {
      // No features (empty or symbol-only text): a fixed unit vector keeps the output normalized.
      v[hashString('empty', this.seed) % dims] = 1;
      return v;
    }
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < dims; i++) v[i] *= inv;
    return v;
  }

  private add(v: Float32Array, feature: string, weight: number): void {
    const h = hashString(feature, this.seed);
    v[h % v.length] += h & 0x80000000 ? -weight : weight;
  }
}

/** Cosine similarity of two vectors of equal length. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
