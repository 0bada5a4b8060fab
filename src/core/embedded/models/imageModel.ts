/**
 * The simulated image classifier (`resnet50`-shaped). A tensor input
 * [N,3,224,224] FP32 is pooled to an 8×8 grid per channel (192 features) and
 * projected by a fixed seeded matrix to 1000 logits, so similar images get
 * similar scores. Encoded image bytes (JPEG/PNG are not decoded) seed the
 * features from a hash of the bytes instead. Deterministic for a given seed.
 */
import { defaultBatchLatency, type BatchLatency } from '../latency/params';
import { hashBytes, Rng } from '../../util/rng';
import { imageLabels } from './labels';
import type { ImageModelInfo, TensorSpec } from './types';

const C = 3;
const H = 224;
const W = 224;
const GRID = 8;
const FEATURES = C * GRID * GRID;
/** Elements of one [3,224,224] image. */
export const IMAGE_ELEMENTS = C * H * W;

export interface TopKEntry {
  index: number;
  label: string;
  /** Softmax probability. */
  score: number;
}

export class ImageModel implements ImageModelInfo {
  readonly kind = 'image-classification' as const;
  readonly simulated = true as const;
  readonly numClasses = 1000;
  readonly labels = imageLabels;
  readonly description: string;
  readonly inputs: readonly TensorSpec[] = [
    { name: 'input', datatype: 'FP32', shape: [-1, C, H, W] },
    { name: 'image', datatype: 'BYTES', shape: [-1], optional: true },
  ];
  readonly outputs: readonly TensorSpec[] = [{ name: 'output', datatype: 'FP32', shape: [-1, 1000] }];
  private weights: Float32Array | undefined;

  constructor(
    readonly name: string,
    readonly seed: number,
    readonly createdAt: number,
    readonly latency: BatchLatency = defaultBatchLatency,
    readonly faults?: ImageModelInfo['faults'],
  ) {
    this.description = `Simulated image classifier "${name}": seeded projection of pooled pixels to 1000 synthetic labels; not a trained model.`;
  }

  /** Logits [N,1000] for N images given as one flat FP32 [N,3,224,224] buffer. */
  classifyTensor(data: Float32Array, batch: number): Float32Array {
    if (data.length !== batch * IMAGE_ELEMENTS) {
      throw new RangeError(
        `expected ${batch * IMAGE_ELEMENTS} FP32 values for shape [${batch},3,224,224], got ${data.length}`,
      );
    }
    const out = new Float32Array(batch * this.numClasses);
    for (let n = 0; n < batch; n++) {
      const feats = poolImage(data.subarray(n * IMAGE_ELEMENTS, (n + 1) * IMAGE_ELEMENTS));
      this.project(feats, out.subarray(n * this.numClasses, (n + 1) * this.numClasses));
    }
    return out;
  }

  /** Logits [1000] for one encoded image (any bytes: the content hash seeds the features). */
  classifyImage(bytes: Uint8Array): Float32Array {
    const rng = new Rng(hashBytes(bytes, this.seed));
    const feats = new Float32Array(FEATURES);
    for (let i = 0; i < FEATURES; i++) feats[i] = rng.next() * 2 - 1;
    const out = new Float32Array(this.numClasses);
    this.project(feats, out);
    return out;
  }

  /** The k best classes of one row of logits, with softmax probabilities. */
  topK(logits: ArrayLike<number>, k: number): TopKEntry[] {
    let max = -Infinity;
    for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
    let sum = 0;
    for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i] - max);
    const order = Array.from({ length: logits.length }, (_, i) => i).sort((a, b) => logits[b] - logits[a] || a - b);
    return order
      .slice(0, Math.max(0, k))
      .map((i) => ({ index: i, label: this.labels[i], score: Math.exp(logits[i] - max) / sum }));
  }

  private project(feats: Float32Array, out: Float32Array): void {
    const w = (this.weights ??= seededWeights(this.seed, this.numClasses * FEATURES));
    for (let c = 0; c < out.length; c++) {
      let s = 0;
      const row = c * FEATURES;
      for (let f = 0; f < FEATURES; f++) s += w[row + f] * feats[f];
      out[c] = s;
    }
  }
}

/** Mean of each channel over an 8×8 grid of 28×28 cells. */
function poolImage(img: Float32Array): Float32Array {
  const feats = new Float32Array(FEATURES);
  const cell = H / GRID;
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < H; y++) {
      const rowBase = c * H * W + y * W;
      const gy = Math.floor(y / cell);
      for (let x = 0; x < W; x++) feats[c * GRID * GRID + gy * GRID + Math.floor(x / cell)] += img[rowBase + x];
    }
  }
  const inv = 1 / (cell * cell);
  for (let i = 0; i < FEATURES; i++) feats[i] *= inv;
  return standardize(feats);
}

/**
 * Zero mean, unit variance, so any pixel scale (0–255, 0–1, normalized) gives
 * equally peaked scores; a flat image keeps only its sign of brightness.
 */
function standardize(f: Float32Array): Float32Array {
  let mean = 0;
  for (let i = 0; i < f.length; i++) mean += f[i];
  mean /= f.length;
  let variance = 0;
  for (let i = 0; i < f.length; i++) variance += (f[i] - mean) ** 2;
  const std = Math.sqrt(variance / f.length);
  for (let i = 0; i < f.length; i++) f[i] = std > 1e-6 ? (f[i] - mean) / std : Math.tanh(mean);
  return f;
}

function seededWeights(seed: number, n: number): Float32Array {
  const rng = new Rng(seed ^ 0x5eed);
  const w = new Float32Array(n);
  const scale = 3 / Math.sqrt(FEATURES);
  for (let i = 0; i < n; i++) w[i] = rng.normal() * scale;
  return w;
}
