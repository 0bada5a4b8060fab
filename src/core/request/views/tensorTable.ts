/**
 * Tensors as tables (rows of the last dimension, capped, with min / max /
 * mean), top-k labels from classification outputs, and embedding summaries
 * (dimensions, L2 norm, the first values).
 */
import type { EmbeddingSummary, LabelScore, ResponseView, TensorTable } from '../../../shared/request';

const maxRows = 64;
const maxCols = 32;

export function tensorTable(
  name: string,
  datatype: string,
  shape: number[],
  values: ArrayLike<number | string | boolean | bigint>,
): TensorTable {
  const total = values.length;
  const cols = Math.max(1, Math.min(shape.length ? shape[shape.length - 1] || 1 : total, total || 1));
  const rows: TensorTable['rows'] = [];
  for (let r = 0; r * cols < total && rows.length < maxRows; r++) {
    const row: Array<number | string | boolean> = [];
    for (let c = 0; c < Math.min(cols, maxCols); c++) {
      const v = values[r * cols + c];
      row.push(typeof v === 'bigint' ? Number(v) : v);
    }
    rows.push(row);
  }
  const table: TensorTable = {
    name,
    datatype,
    shape,
    rows,
    totalElements: total,
    truncated: total > rows.length * Math.min(cols, maxCols),
  };
  if (total && typeof values[0] !== 'string' && typeof values[0] !== 'boolean')
    table.stats = numericStats(values as ArrayLike<number | bigint>);
  return table;
}

function numericStats(values: ArrayLike<number | bigint>): { min: number; max: number; mean: number } {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { min, max, mean: sum / values.length };
}

/**
 * The k best classes of the first row of a score tensor. Probabilities
 * (all in [0, 1], summing to 1) are shown as they are; other scores are
 * treated as logits and turned into probabilities by a softmax.
 */
export function topK(values: ArrayLike<number>, rowLength: number, k = 5, labels?: readonly string[]): LabelScore[] {
  const n = Math.min(rowLength, values.length);
  if (n < 2) return [];
  const row = Array.from({ length: n }, (_, i) => Number(values[i]));
  const sum = row.reduce((a, b) => a + b, 0);
  const isProb = row.every((v) => v >= 0 && v <= 1) && Math.abs(sum - 1) < 0.01;
  let probs = row;
  if (!isProb) {
    const max = row.reduce((a, b) => (b > a ? b : a), -Infinity);
    const exps = row.map((v) => Math.exp(v - max));
    const z = exps.reduce((a, b) => a + b, 0);
    probs = exps.map((e) => e / z);
  }
  const order = row.map((_, i) => i).sort((a, b) => probs[b] - probs[a] || a - b);
  return order.slice(0, k).map((i) => ({ index: i, label: labels?.[i] ?? `class ${i}`, score: probs[i] }));
}

/** Triton's classification extension: BYTES values "score:index[:label]". */
export function classificationStrings(values: readonly string[]): LabelScore[] | undefined {
  const out: LabelScore[] = [];
  for (const v of values) {
    const m = /^(-?[\d.eE+-]+):(\d+)(?::(.*))?$/.exec(v);
    if (!m) return undefined;
    out.push({ score: Number(m[1]), index: Number(m[2]), label: m[3] || `class ${m[2]}` });
  }
  return out.length ? out : undefined;
}

/** Label → score maps (TorchServe's image classifier answer `{"tabby": 0.46, …}`). */
export function labelMap(o: Record<string, unknown>, k = 5): LabelScore[] | undefined {
  const entries = Object.entries(o);
  if (entries.length < 2 || !entries.every(([, v]) => typeof v === 'number')) return undefined;
  return entries
    .map(([label, score]) => ({ label, score: score as number }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
}

export function embeddingSummary(index: number, v: readonly number[]): EmbeddingSummary {
  let sq = 0;
  for (const x of v) sq += x * x;
  return { index, dims: v.length, norm: Math.sqrt(sq), preview: v.slice(0, 8) };
}

export interface DecodedTensor {
  name: string;
  datatype: string;
  shape: number[];
  values: ArrayLike<number | string | boolean | bigint>;
}

/** Top-k of a score-like output: numeric with a last dimension of at least 2, or Triton classification strings. */
function topKOf(t: DecodedTensor): ResponseView[] {
  if (!t.values.length) return [];
  if (typeof t.values[0] === 'string') {
    const labels = classificationStrings(Array.from(t.values as ArrayLike<string>));
    return labels ? [{ type: 'topk', output: t.name, labels }] : [];
  }
  const last = t.shape[t.shape.length - 1] ?? 0;
  if (!/^(FP|BF16)/.test(t.datatype) || last < 2 || t.values.length < last) return [];
  const row = Array.from({ length: last }, (_, i) => Number(t.values[i]));
  return [{ type: 'topk', output: t.name, labels: topK(row, last) }];
}

/** A tensors view of every output, then a top-k view of each score-like one. */
export function tensorViews(tensors: DecodedTensor[]): ResponseView[] {
  if (!tensors.length) return [];
  const tables = tensors.map((t) => tensorTable(t.name, t.datatype, t.shape, t.values));
  return [{ type: 'tensors', tensors: tables }, ...tensors.flatMap(topKOf)];
}
