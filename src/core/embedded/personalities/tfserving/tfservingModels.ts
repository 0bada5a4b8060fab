/**
 * The simulated models as TF Serving SavedModels: their signatures (for
 * `/metadata`) and how one example of each input is read and computed. The
 * image classifier takes FP32 pixels (`serving_default`) or `{"b64": …}`
 * image bytes (`serving_bytes`); the embedding model and the text generator
 * take strings.
 */
import { IMAGE_ELEMENTS, type ImageModel } from '../../models/imageModel';
import type { SimulatedModel } from '../../models/registry';
import { flattenData } from '../../../kserve/jsonTensor';
import { TfError } from './tfservingWire';

export interface TfTensorInfo {
  name: string;
  dtype: string;
  shape: number[];
}

export interface TfSignature {
  inputs: TfTensorInfo[];
  outputs: TfTensorInfo[];
}

/** One example of the signature's single input, decoded. */
export type TfExample = Float32Array | Buffer | string;

const PREDICT = 'tensorflow/serving/predict';

function imageSignatures(m: ImageModel): Record<string, TfSignature> {
  const outputs = [
    { name: 'classes', dtype: 'DT_INT64', shape: [-1] },
    { name: 'labels', dtype: 'DT_STRING', shape: [-1] },
    { name: 'probabilities', dtype: 'DT_FLOAT', shape: [-1, m.numClasses] },
  ];
  return {
    serving_default: { inputs: [{ name: 'input', dtype: 'DT_FLOAT', shape: [-1, 3, 224, 224] }], outputs },
    serving_bytes: { inputs: [{ name: 'image_bytes', dtype: 'DT_STRING', shape: [-1] }], outputs },
  };
}

export function tfSignatures(m: SimulatedModel): Record<string, TfSignature> {
  if (m.kind === 'image-classification') return imageSignatures(m);
  if (m.kind === 'embedding')
    return {
      serving_default: {
        inputs: [{ name: 'text', dtype: 'DT_STRING', shape: [-1] }],
        outputs: [{ name: 'embedding', dtype: 'DT_FLOAT', shape: [-1, m.dimensions] }],
      },
    };
  return {
    serving_default: {
      inputs: [{ name: 'prompt', dtype: 'DT_STRING', shape: [-1] }],
      outputs: [{ name: 'text', dtype: 'DT_STRING', shape: [-1] }],
    },
  };
}

const tensorInfo = (t: TfTensorInfo, sig: string) => ({
  dtype: t.dtype,
  tensor_shape: { dim: t.shape.map((d) => ({ size: String(d), name: '' })), unknown_rank: false },
  name: `${sig}_${t.name}:0`,
});

/** `GET /v1/models/{m}/metadata` (the doubled `signature_def` key is TF Serving's). */
export function tfMetadata(m: SimulatedModel, version: string) {
  const sigs = Object.entries(tfSignatures(m)).map(([name, s]) => [
    name,
    {
      inputs: Object.fromEntries(s.inputs.map((t) => [t.name, tensorInfo(t, name)])),
      outputs: Object.fromEntries(s.outputs.map((t) => [t.name, tensorInfo(t, 'StatefulPartitionedCall')])),
      method_name: PREDICT,
      defaults: {},
    },
  ]);
  return {
    model_spec: { name: m.name, signature_name: '', version },
    // `metadata` is a map: next to signature_def we say that the model is simulated.
    metadata: { signature_def: { signature_def: Object.fromEntries(sigs) }, simulated: { description: m.description } },
  };
}

const isB64 = (v: unknown): v is { b64: string } =>
  !!v && typeof v === 'object' && typeof (v as { b64?: unknown }).b64 === 'string';

/** Reads one example for `input` (a pixel array, a string, or `{"b64": …}`). */
export function readExample(input: TfTensorInfo, v: unknown, index: number): TfExample {
  if (isB64(v)) return Buffer.from(v.b64, 'base64');
  if (input.dtype === 'DT_STRING') {
    if (typeof v !== 'string')
      throw new TfError(
        'INVALID_ARGUMENT',
        `Input '${input.name}' (example ${index}) must be a string or {"b64": "..."}`,
      );
    return v;
  }
  const flat = flattenData(v);
  if (flat.length !== IMAGE_ELEMENTS || !flat.every((x) => typeof x === 'number')) {
    throw new TfError(
      'INVALID_ARGUMENT',
      `Input '${input.name}' (example ${index}) must hold ${IMAGE_ELEMENTS} numbers of shape [3,224,224], got ${flat.length} values`,
    );
  }
  return Float32Array.from(flat as number[]);
}

/** Splits a columnar (`inputs`) value into examples along its first dimension. */
export function columnarExamples(input: TfTensorInfo, v: unknown): TfExample[] {
  if (input.dtype === 'DT_STRING' || isB64(v))
    return (Array.isArray(v) ? v : [v]).map((x, i) => readExample(input, x, i));
  const flat = flattenData(v);
  if (!flat.length || flat.length % IMAGE_ELEMENTS) {
    throw new TfError(
      'INVALID_ARGUMENT',
      `Input '${input.name}' must have shape [-1,3,224,224]: ${flat.length} values is not a multiple of ${IMAGE_ELEMENTS}`,
    );
  }
  return Array.from({ length: flat.length / IMAGE_ELEMENTS }, (_, i) =>
    readExample(input, flat.slice(i * IMAGE_ELEMENTS, (i + 1) * IMAGE_ELEMENTS), i),
  );
}

/** Outputs of one image example: argmax class, its label, and softmax probabilities. */
export function imageOutputs(m: ImageModel, ex: TfExample): Record<string, unknown> {
  const logits =
    typeof ex === 'string'
      ? m.classifyImage(Buffer.from(ex))
      : ex instanceof Float32Array
        ? m.classifyTensor(ex, 1)
        : m.classifyImage(ex);
  let max = -Infinity;
  for (const x of logits) max = Math.max(max, x);
  const probs = logits.map((x) => Math.exp(x - max));
  const sum = probs.reduce((a, b) => a + b, 0);
  for (let i = 0; i < probs.length; i++) probs[i] /= sum;
  const [top] = m.topK(logits, 1);
  return { classes: top.index, labels: top.label, probabilities: probs };
}
