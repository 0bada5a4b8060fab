/**
 * The simulated models as Triton serves them: the image classifier and the
 * embedding model with KServe v2 tensors (embedding: BYTES text in, FP32
 * vectors out), and the decoupled model "words" (one BYTES text in, one
 * streamed response per word, as the real tier's PyTriton model). Each checks
 * request tensors with Triton's messages and computes its outputs; timing is
 * the latency engine's business.
 */
import type { Datatype } from '../../../../shared/kserveDatatypes';
import type { Tensor } from '../../../kserve/tensor';
import type { EmbeddingModel } from '../../models/embeddingModel';
import type { ImageModel } from '../../models/imageModel';
import { TextModel } from '../../models/textModel';
import { TritonError } from './tritonWire';

/** One model input or output; `shape` includes the leading -1 batch dimension. */
export interface TritonTensorSpec {
  name: string;
  datatype: Datatype;
  shape: number[];
  optional?: boolean;
}

export interface PreparedInfer {
  /** Batch size of the request (items through the dynamic batcher). */
  items: number;
  /** Every output of the model for this request. */
  compute(): Tensor[];
}

interface TritonModelBase {
  readonly name: string;
  /** 0: no batch dimension (shapes are full shapes, as Triton's max_batch_size 0). */
  readonly maxBatchSize: number;
  /** What the simulated model computes (the config's `parameters.description`). */
  readonly description: string;
  readonly inputs: readonly TritonTensorSpec[];
  readonly outputs: readonly TritonTensorSpec[];
  /** Class labels, for the classification extension. */
  readonly labels?: readonly string[];
}

/** A model answering one response per request (REST infer, ModelInfer, ModelStreamInfer). */
export interface TritonBatchModel extends TritonModelBase {
  readonly decoupled: false;
  readonly sim: ImageModel | EmbeddingModel;
  /** Checks the request inputs (names, datatypes, shapes, batch size). */
  prepare(inputs: Tensor[], requestId: string): PreparedInfer;
  /** The input a raw binary request body stands for (`Inference-Header-Content-Length: 0`). */
  rawInput(body: Buffer): Tensor;
}

/** A checked request to a decoupled model: its prompt size and every response it streams, in order. */
export interface PreparedStream {
  promptTokens: number;
  responses: Tensor[][];
}

/**
 * A decoupled model (`model_transaction_policy.decoupled`): it answers only ModelStreamInfer, with any number of
 * responses per request. `sim` is a text model named after it: the latency engine times each response as one
 * generated token (prefill, then one decode step per response).
 */
export interface TritonDecoupledModel extends TritonModelBase {
  readonly decoupled: true;
  readonly sim: TextModel;
  prepare(inputs: Tensor[], requestId: string): PreparedStream;
}

export type TritonModel = TritonBatchModel | TritonDecoupledModel;

const BATCH_SHAPE_NOTE =
  'NOTE: Setting a non-zero max_batch_size in the model config requires a batch dimension to be prepended to each input shape. ' +
  'If you want to specify the full shape including the batch dim in your input dims config, try setting max_batch_size to zero. ' +
  'See the model configuration docs for more info on max_batch_size.';

/** Checks datatype, shape and batch size of one input against its spec; returns the batch size. */
function checkInput(model: TritonModel, t: Tensor, spec: TritonTensorSpec, requestId: string): number {
  if (t.datatype !== spec.datatype) {
    throw new TritonError(
      'INVALID_ARG',
      `[request id: ${requestId}] inference input '${t.name}' data-type is '${t.datatype}', but model '${model.name}' expects '${spec.datatype}'`,
    );
  }
  const batched = model.maxBatchSize > 0;
  // A BYTES input declared [-1] also accepts [N,1] (Triton's dims [1] with reshape []).
  const shape = batched && spec.shape.length === 1 && t.shape.length === 2 && t.shape[1] === 1 ? [t.shape[0]] : t.shape;
  const fits = shape.length === spec.shape.length && shape.every((d, i) => spec.shape[i] === -1 || spec.shape[i] === d);
  if (!fits || shape[0] < 1) {
    // Without a batch dimension Triton's note is empty (the message ends in ". ", as the real 2.51 says).
    throw new TritonError(
      'INVALID_ARG',
      `[request id: ${requestId}] unexpected shape for input '${t.name}' for model '${model.name}'. Expected [${spec.shape.join(',')}], got [${t.shape.join(',')}]. ${batched ? BATCH_SHAPE_NOTE : ''}`,
    );
  }
  if (!batched) return 1;
  if (shape[0] > model.maxBatchSize)
    throw new TritonError(
      'INVALID_ARG',
      `inference request batch-size must be <= ${model.maxBatchSize} for '${model.name}'`,
    );
  return shape[0];
}

/**
 * The one input of `alternatives` the request carries. Checked in Triton 2.51's order and words (seen on the real
 * one): a repeated name, then the count, then an unknown name (its message has no request id).
 */
function pickInput(model: TritonModel, inputs: Tensor[], requestId: string): { tensor: Tensor; items: number } {
  const known = new Map(model.inputs.map((s) => [s.name, s]));
  const names = inputs.map((t) => t.name);
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated !== undefined)
    throw new TritonError('INVALID_ARG', `[request id: ${requestId}] input '${repeated}' already exists in request`);
  if (inputs.length !== 1) {
    const quoted = (list: string[]) => list.map((n) => `'${n}'`).join(',');
    const missing = model.inputs.filter((s) => !s.optional && !names.includes(s.name)).map((s) => s.name);
    // With nothing missing Triton 2.51 prints a lone "]" after "missing required input(s) ".
    const missingText = missing.length ? `[${quoted(missing)}]` : ']';
    const alt = model.inputs.length > 1 ? ` (one of ${model.inputs.map((s) => `'${s.name}'`).join(' or ')})` : '';
    throw new TritonError(
      'INVALID_ARG',
      `[request id: ${requestId}] expected 1 inputs but got ${inputs.length} inputs for model '${model.name}'. Got input(s) [${quoted([...names].sort())}], but missing required input(s) ${missingText}. Please provide all required input(s)${alt}.`,
    );
  }
  const tensor = inputs[0];
  const spec = known.get(tensor.name);
  if (!spec)
    throw new TritonError('INVALID_ARG', `unexpected inference input '${tensor.name}' for model '${model.name}'`);
  return { tensor, items: checkInput(model, tensor, spec, requestId) };
}

function concat(parts: Float32Array[], size: number): Float32Array {
  const out = new Float32Array(parts.length * size);
  parts.forEach((p, i) => out.set(p, i * size));
  return out;
}

/** A Triton model over `sim`: `compute` turns the one accepted input into every output. */
function tritonModel(
  sim: ImageModel | EmbeddingModel,
  io: Pick<TritonModel, 'inputs' | 'outputs' | 'labels'> & { rawInputName: string },
  compute: (tensor: Tensor, items: number) => Tensor[],
): TritonBatchModel {
  const { rawInputName, ...spec } = io;
  const model: TritonBatchModel = {
    name: sim.name,
    decoupled: false,
    sim,
    description: sim.description,
    maxBatchSize: sim.latency.maxBatch,
    ...spec,
    prepare(inputs, requestId) {
      const { tensor, items } = pickInput(model, inputs, requestId);
      return { items, compute: () => compute(tensor, items) };
    },
    rawInput: (body) => ({ name: rawInputName, datatype: 'BYTES', shape: [1], values: [body] }),
  };
  return model;
}

/** Pixels (`input` FP32) or encoded images (`image` BYTES) → logits `output` FP32 [N,1000]. */
export function tritonImageModel(sim: ImageModel): TritonBatchModel {
  const io = {
    inputs: sim.inputs.map((s) => ({ name: s.name, datatype: s.datatype, shape: [...s.shape], optional: s.optional })),
    outputs: sim.outputs.map((s) => ({ name: s.name, datatype: s.datatype, shape: [...s.shape] })),
    labels: sim.labels,
    rawInputName: 'image',
  };
  return tritonModel(sim, io, (tensor, items) => {
    const logits =
      tensor.datatype === 'BYTES'
        ? concat(
            (tensor.values as Uint8Array[]).map((b) => sim.classifyImage(b)),
            sim.numClasses,
          )
        : sim.classifyTensor(tensor.values as Float32Array, items);
    return [{ name: sim.outputs[0].name, datatype: 'FP32', shape: [items, sim.numClasses], values: logits }];
  });
}

/** KServe v2 embedding: BYTES `text` [-1] → FP32 `embedding` [-1, dims]. */
export function tritonEmbeddingModel(sim: EmbeddingModel): TritonBatchModel {
  const io = {
    inputs: [{ name: 'text', datatype: 'BYTES' as const, shape: [-1] }],
    outputs: [{ name: 'embedding', datatype: 'FP32' as const, shape: [-1, sim.dimensions] }],
    rawInputName: 'text',
  };
  return tritonModel(sim, io, (tensor, items) => {
    const texts = (tensor.values as Uint8Array[]).map((b) =>
      Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8'),
    );
    return [
      {
        name: 'embedding',
        datatype: 'FP32',
        shape: [items, sim.dimensions],
        values: concat(
          texts.map((t) => sim.embed(t)),
          sim.dimensions,
        ),
      },
    ];
  });
}

/** The name of the decoupled model, as the real tier's PyTriton serves it. */
export const WORDS_MODEL = 'words';

const utf8 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');

/**
 * The decoupled model "words": BYTES `text` [1] → one response per word of the text (split on single spaces),
 * each with `word` BYTES [1] (the word, with the space before it after the first) and `index` INT32 [1]. No batch
 * dimension (max_batch_size 0). Its timing is `text`'s latency parameters on a scheduler of its own.
 */
export function tritonWordsModel(text: TextModel): TritonDecoupledModel {
  const sim = new TextModel(WORDS_MODEL, text.seed, text.createdAt, text.latency, text.maxModelLen, text.faults);
  const model: TritonDecoupledModel = {
    name: WORDS_MODEL,
    decoupled: true,
    sim,
    maxBatchSize: 0,
    description: `Simulated decoupled model "${WORDS_MODEL}": streams one response per word of its input text (the word and its index), timed as tokens of "${text.name}"; not a trained model.`,
    inputs: [{ name: 'text', datatype: 'BYTES', shape: [1] }],
    outputs: [
      { name: 'word', datatype: 'BYTES', shape: [1] },
      { name: 'index', datatype: 'INT32', shape: [1] },
    ],
    prepare(inputs, requestId) {
      const { tensor } = pickInput(model, inputs, requestId);
      const input = utf8((tensor.values as Uint8Array[])[0]);
      return {
        promptTokens: sim.countTokens(input),
        responses: input.split(' ').map((w, i) => [
          { name: 'word', datatype: 'BYTES', shape: [1], values: [Buffer.from(i ? ` ${w}` : w)] },
          { name: 'index', datatype: 'INT32', shape: [1], values: Int32Array.of(i) },
        ]),
      };
    },
  };
  return model;
}
