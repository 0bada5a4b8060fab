/**
 * TF Serving model metadata: `{"model_spec":{…},"metadata":{"signature_def":
 * {"signature_def":{name: SignatureDef}}}}` (note the doubled key, §6) mapped
 * to OIP-style tensors. Dimensions arrive as int64 strings; -1 = variable.
 */
import { InferenceError } from '../../http/errors';
import type { ModelMetadata, TensorSpec } from '../types';

/** TF `DataType` names → OIP datatypes (wire-reference §1.1). */
const dtypes: Record<string, string> = {
  DT_BOOL: 'BOOL',
  DT_UINT8: 'UINT8',
  DT_UINT16: 'UINT16',
  DT_UINT32: 'UINT32',
  DT_UINT64: 'UINT64',
  DT_INT8: 'INT8',
  DT_INT16: 'INT16',
  DT_INT32: 'INT32',
  DT_INT64: 'INT64',
  DT_HALF: 'FP16',
  DT_FLOAT: 'FP32',
  DT_DOUBLE: 'FP64',
  DT_STRING: 'BYTES',
  DT_BFLOAT16: 'BF16',
};

interface TensorInfo {
  dtype?: string;
  name?: string;
  tensor_shape?: { dim?: { size?: string | number }[]; unknown_rank?: boolean };
}

interface SignatureDef {
  inputs?: Record<string, TensorInfo>;
  outputs?: Record<string, TensorInfo>;
  method_name?: string;
}

function tensors(map: Record<string, TensorInfo> | undefined): TensorSpec[] {
  return Object.entries(map ?? {}).map(([name, t]) => ({
    name,
    datatype: dtypes[t.dtype ?? ''] ?? t.dtype ?? '',
    shape: t.tensor_shape?.unknown_rank ? undefined : (t.tensor_shape?.dim ?? []).map((d) => Number(d.size ?? -1)),
  }));
}

export function signatureMetadata(model: string, j: Record<string, unknown>, url: string): ModelMetadata {
  const outer = (j.metadata as { signature_def?: { signature_def?: Record<string, SignatureDef> } } | undefined)
    ?.signature_def;
  const sigs = outer?.signature_def;
  if (!sigs || typeof sigs !== 'object')
    throw new InferenceError('malformed', `No signature_def in the model metadata from ${url}`, { url });
  const names = Object.keys(sigs);
  // serving_default is what predict uses when the request names no signature.
  const chosen = names.includes('serving_default')
    ? 'serving_default'
    : (names.find((n) => !n.startsWith('__')) ?? names[0]);
  const sig = sigs[chosen] ?? {};
  const spec = (j.model_spec ?? {}) as { version?: string | number };
  const properties: ModelMetadata['properties'] = { signature: chosen ?? '' };
  if (names.length > 1) properties.signatures = names.join(', ');
  if (sig.method_name) properties.method = sig.method_name;
  return {
    name: model,
    versions: spec.version !== undefined ? [String(spec.version)] : undefined,
    inputs: tensors(sig.inputs),
    outputs: tensors(sig.outputs),
    properties,
  };
}
