/**
 * Triton's model metadata and the JSON form of its ModelConfig for the
 * simulated models. Both say the model is simulated: metadata `platform`
 * (which Triton fills with the backend name) is "simulated", and the config
 * carries `parameters.simulated` and a description.
 */
import { tritonConfigType } from '../../../kserve/datatypes';
import type { TritonModel, TritonTensorSpec } from './tritonModels';

export const TRITON_MODEL_VERSION = '1';

export function tritonMetadata(m: TritonModel) {
  const tensor = (s: TritonTensorSpec) => ({ name: s.name, datatype: s.datatype, shape: s.shape });
  return {
    name: m.name,
    versions: [TRITON_MODEL_VERSION],
    platform: 'simulated',
    inputs: m.inputs.map(tensor),
    outputs: m.outputs.map(tensor),
  };
}

/**
 * Config dims leave out the batch dimension; a lone batch dimension becomes dims [1] reshaped to []. A model without
 * batching (max_batch_size 0) has no batch dimension: its dims are its shapes.
 */
function dims(m: TritonModel, s: TritonTensorSpec): { dims: number[]; reshape?: { shape: number[] } } {
  if (m.maxBatchSize === 0) return { dims: [...s.shape] };
  const rest = s.shape.slice(1);
  return rest.length ? { dims: rest } : { dims: [1], reshape: { shape: [] } };
}

/**
 * The model's config. A decoupled model has no dynamic batcher and says `model_transaction_policy.decoupled`, as
 * Triton's config of PyTriton's `ModelConfig(batching=False, decoupled=True)` does; other models leave the policy
 * out, as Triton does.
 */
export function tritonModelConfig(m: TritonModel) {
  return {
    name: m.name,
    platform: '',
    backend: 'simulated',
    version_policy: { latest: { num_versions: 1 } },
    max_batch_size: m.maxBatchSize,
    input: m.inputs.map((s) => ({
      name: s.name,
      data_type: tritonConfigType(s.datatype),
      format: 'FORMAT_NONE',
      ...dims(m, s),
      is_shape_tensor: false,
      allow_ragged_batch: false,
      optional: s.optional === true,
    })),
    output: m.outputs.map((s) => ({
      name: s.name,
      data_type: tritonConfigType(s.datatype),
      ...dims(m, s),
      label_filename: '',
      is_shape_tensor: false,
    })),
    ...(m.decoupled
      ? {}
      : {
          dynamic_batching: { preferred_batch_size: [], max_queue_delay_microseconds: 0, preserve_ordering: false },
        }),
    instance_group: [{ name: m.name, kind: 'KIND_CPU', count: m.decoupled ? 1 : m.sim.latency.instances, gpus: [] }],
    default_model_filename: '',
    parameters: {
      simulated: { string_value: 'true' },
      description: { string_value: m.description },
    },
    model_warmup: [],
    ...(m.decoupled ? { model_transaction_policy: { decoupled: true } } : {}),
  };
}
