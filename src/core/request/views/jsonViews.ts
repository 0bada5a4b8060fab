/**
 * What a JSON answer means, by shape: generated text (OpenAI, TGI, Ollama,
 * Triton generate), embeddings (OpenAI, Ollama, TEI), tensors (KServe v2
 * outputs, TF Serving predictions / outputs) and top-k labels. The pretty
 * JSON view is always added by the caller.
 */
import type { ResponseView } from '../../../shared/request';
import { embeddingSummary, labelMap, tensorViews } from './tensorTable';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumArray = (v: unknown): v is number[] =>
  Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number');

function generation(j: Obj): ResponseView | undefined {
  if (Array.isArray(j.choices) && isObj(j.choices[0])) {
    const c = j.choices[0];
    const text = isObj(c.message) ? c.message.content : c.text;
    if (typeof text === 'string')
      return {
        type: 'generation',
        text,
        finishReason: typeof c.finish_reason === 'string' ? c.finish_reason : undefined,
      };
  }
  if (typeof j.generated_text === 'string') {
    const d = isObj(j.details) ? j.details : {};
    return {
      type: 'generation',
      text: j.generated_text,
      finishReason: typeof d.finish_reason === 'string' ? d.finish_reason : undefined,
    };
  }
  if (typeof j.text_output === 'string') return { type: 'generation', text: j.text_output };
  const ollama = isObj(j.message) ? j.message.content : j.response;
  if (typeof ollama === 'string' && 'done' in j)
    return {
      type: 'generation',
      text: ollama,
      finishReason: typeof j.done_reason === 'string' ? j.done_reason : undefined,
    };
  return undefined;
}

function embeddings(j: unknown): ResponseView | undefined {
  let vectors: unknown[] | undefined;
  if (Array.isArray(j) && j.every(isNumArray)) vectors = j;
  else if (isObj(j) && Array.isArray(j.data) && j.data.every((d) => isObj(d) && isNumArray(d.embedding)))
    vectors = j.data.map((d) => (d as Obj).embedding);
  else if (isObj(j) && Array.isArray(j.embeddings) && j.embeddings.every(isNumArray)) vectors = j.embeddings;
  else if (isObj(j) && isNumArray(j.embedding)) vectors = [j.embedding];
  if (!vectors?.length) return undefined;
  return { type: 'embeddings', items: vectors.map((v, i) => embeddingSummary(i, v as number[])) };
}

function flat(v: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(v)) for (const x of v) flat(x, out);
  else out.push(v);
  return out;
}

function shapeOf(v: unknown): number[] {
  const s: number[] = [];
  for (let x = v; Array.isArray(x); x = x[0]) s.push(x.length);
  return s;
}

type Cell = number | string | boolean;

/** KServe v2 `outputs[]` that carry `data` (binary outputs are decoded elsewhere). */
function kserveTensors(j: Obj): ResponseView[] {
  if (!Array.isArray(j.outputs) || !j.outputs.every((o) => isObj(o) && typeof o.name === 'string')) return [];
  const tensors = (j.outputs as Obj[])
    .filter((o) => Array.isArray(o.data))
    .map((o) => ({
      name: String(o.name),
      datatype: String(o.datatype ?? ''),
      shape: Array.isArray(o.shape) ? o.shape.map(Number) : [],
      values: flat(o.data) as Cell[],
    }));
  return tensorViews(tensors);
}

/** TF Serving `predictions` (row format) or `outputs` (columnar). */
function tfTensors(j: Obj): ResponseView[] {
  const v = j.predictions ?? j.outputs;
  if (v === undefined || (isObj(j) && Array.isArray(j.outputs) && isObj(j.outputs[0]))) return [];
  const named: Array<[string, unknown]> = isObj(v)
    ? Object.entries(v)
    : Array.isArray(v) && v.length && v.every(isObj)
      ? Object.keys(v[0] as Obj).map((k) => [k, (v as Obj[]).map((r) => r[k])])
      : [['predictions' in j ? 'predictions' : 'outputs', v]];
  return tensorViews(
    named.map(([name, val]) => {
      const values = flat(val) as Cell[];
      return { name, datatype: typeof values[0] === 'string' ? 'BYTES' : 'FP32', shape: shapeOf(val), values };
    }),
  );
}

/** Specialised views of a JSON answer, most specific first. */
export function jsonViews(j: unknown): ResponseView[] {
  const emb = embeddings(j);
  if (emb) return [emb];
  if (!isObj(j)) return [];
  const gen = generation(j);
  if (gen) return [gen];
  const tensors = kserveTensors(j);
  if (tensors.length) return tensors;
  const labels = labelMap(j);
  if (labels) return [{ type: 'topk', output: 'response', labels }];
  return tfTensors(j);
}
