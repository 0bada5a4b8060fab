import { bool, enumField, int, mapEntry, msg, oneof, repeated, str, uint, type MessageDef } from './schemaTypes';

export const PLATFORMS = [
  'tensorrt_plan',
  'onnxruntime_onnx',
  'pytorch_libtorch',
  'tensorflow_savedmodel',
  'tensorflow_graphdef',
  'ensemble',
] as const;
export const BACKENDS = [
  'onnxruntime',
  'tensorrt',
  'pytorch',
  'tensorflow',
  'openvino',
  'python',
  'dali',
  'fil',
  'vllm',
  'tensorrtllm',
] as const;

/**
 * ModelConfig and the messages it holds directly, described from
 * model_config.proto (github.com/triton-inference-server/common, protobuf/model_config.proto).
 */
export const MODEL_CONFIG_MESSAGES: readonly MessageDef[] = [
  {
    name: 'ModelConfig',
    doc: "A model's configuration (the whole `config.pbtxt`).",
    fields: [
      str('name', "The model's name. Optional in recent Triton; when set it must match the model's folder name."),
      str(
        'platform',
        'The model format for frameworks that use it (`onnxruntime_onnx`, `tensorrt_plan`, `pytorch_libtorch`, `tensorflow_savedmodel`, `tensorflow_graphdef`) or `ensemble`. Use either `platform` or `backend`.',
        PLATFORMS,
      ),
      str(
        'backend',
        'The backend that runs the model: `onnxruntime`, `tensorrt`, `pytorch`, `tensorflow`, `python`, `openvino`, `vllm`, …',
        BACKENDS,
      ),
      str('runtime', 'The file name of the backend library to use, for backends with several runtimes. Rarely needed.'),
      msg(
        'version_policy',
        'ModelVersionPolicy',
        'Which numbered versions in the model folder are served: `latest` (the default, highest version only), `all` or `specific`.',
      ),
      int(
        'max_batch_size',
        'Largest batch Triton may form. `0` disables batching and `dims` must then be the full shape; above `0` the batch dimension is implicit: it is **not** listed in `dims` and is reported as `-1` in metadata.',
      ),
      repeated(msg('input', 'ModelInput', 'One input tensor of the model: name, data type and shape.')),
      repeated(msg('output', 'ModelOutput', 'One output tensor of the model: name, data type and shape.')),
      repeated(
        msg('batch_input', 'BatchInput', 'Extra inputs Triton computes from the whole batch (for ragged batching).'),
      ),
      repeated(msg('batch_output', 'BatchOutput', 'Outputs the backend must split back per request.')),
      msg(
        'optimization',
        'ModelOptimizationPolicy',
        'Framework optimisations: graph level, CUDA graphs, execution accelerators such as TensorRT for ONNX, pinned memory.',
      ),
      oneof(
        'scheduling',
        msg(
          'dynamic_batching',
          'ModelDynamicBatching',
          'Enables the dynamic batcher: independent requests are grouped into batches on the server. Excludes `sequence_batching` and `ensemble_scheduling`.',
        ),
      ),
      oneof(
        'scheduling',
        msg(
          'sequence_batching',
          'ModelSequenceBatching',
          'Enables the sequence batcher for stateful models: requests with the same correlation id go to the same instance.',
        ),
      ),
      oneof(
        'scheduling',
        msg(
          'ensemble_scheduling',
          'ModelEnsembling',
          'Makes this model an ensemble: a pipeline of other models wired by tensor names. Use with `platform: "ensemble"`.',
        ),
      ),
      repeated(
        msg(
          'instance_group',
          'ModelInstanceGroup',
          'How many copies of the model run and where (GPU, CPU). Without it, one instance runs on each available GPU.',
        ),
      ),
      str(
        'default_model_filename',
        'The model file inside each version folder, when it is not the default name (`model.onnx`, `model.plan`, `model.pt`, `model.savedmodel`, …).',
      ),
      repeated(
        msg(
          'cc_model_filenames',
          'StringMapEntry',
          'Per-GPU-compute-capability model files (key: compute capability such as `"8.0"`, value: file name), e.g. TensorRT engines built per GPU.',
        ),
      ),
      repeated(msg('metric_tags', 'StringMapEntry', "Extra labels added to this model's metrics.")),
      repeated(
        msg(
          'parameters',
          'ParameterMapEntry',
          'Free-form parameters read by the backend (`key` and `value { string_value: … }`), e.g. for the Python backend or TensorRT-LLM.',
        ),
      ),
      repeated(
        msg(
          'model_warmup',
          'ModelWarmup',
          'Sample requests run on every instance before the model is marked ready. Not for ensembles.',
        ),
      ),
      msg('model_operations', 'ModelOperations', 'Libraries with custom operations to load (ONNX only).'),
      msg(
        'model_transaction_policy',
        'ModelTransactionPolicy',
        'Set `decoupled: true` for models that send zero, one or many responses per request (streaming generation).',
      ),
      msg(
        'model_repository_agents',
        'ModelRepositoryAgents',
        'Repository agents run when the model is loaded or unloaded (e.g. checksum checks).',
      ),
      msg(
        'response_cache',
        'ModelResponseCache',
        'Cache responses for identical requests (needs a cache configured on the server).',
      ),
      msg('model_metrics', 'ModelMetrics', "Overrides for this model's metrics, such as histogram buckets."),
    ],
  },
  {
    name: 'ModelInput',
    doc: 'An input tensor.',
    fields: [
      str('name', "The input's name, as the model file defines it (check with the model's metadata)."),
      enumField(
        'data_type',
        'DataType',
        'Element type, `TYPE_*` (shown on the wire without the prefix, and `TYPE_STRING` as `BYTES`).',
      ),
      enumField('format', 'Format', 'Image layout hint: `FORMAT_NCHW` or `FORMAT_NHWC`. Optional.'),
      repeated(
        int(
          'dims',
          'Shape without the batch dimension when `max_batch_size > 0`; `-1` marks a variable-size dimension.',
        ),
      ),
      msg(
        'reshape',
        'ModelTensorReshape',
        'The shape the backend receives, if different from `dims` (same number of elements).',
      ),
      bool('is_shape_tensor', 'The input is a TensorRT shape tensor.'),
      bool(
        'allow_ragged_batch',
        'Requests with different shapes for this input may still be batched together (the backend must handle it).',
      ),
      bool('optional', 'Requests may omit this input.'),
      bool('is_non_linear_format_io', 'The tensor uses a non-linear I/O format (TensorRT only).'),
    ],
  },
  {
    name: 'ModelOutput',
    doc: 'An output tensor.',
    fields: [
      str('name', "The output's name, as the model file defines it."),
      enumField('data_type', 'DataType', 'Element type, `TYPE_*`.'),
      repeated(
        int(
          'dims',
          'Shape without the batch dimension when `max_batch_size > 0`; `-1` marks a variable-size dimension.',
        ),
      ),
      msg('reshape', 'ModelTensorReshape', 'The shape the backend produces, if different from `dims`.'),
      str(
        'label_filename',
        'A file in the model folder with one class label per line; enables the `classification` extension (top-k labels in responses).',
      ),
      bool('is_shape_tensor', 'The output is a TensorRT shape tensor.'),
      bool('is_non_linear_format_io', 'The tensor uses a non-linear I/O format (TensorRT only).'),
    ],
  },
  { name: 'ModelTensorReshape', doc: 'A reshape.', fields: [repeated(int('shape', 'The shape to reshape to.'))] },
  {
    name: 'ModelInstanceGroup',
    doc: 'A group of model instances.',
    fields: [
      str('name', 'Optional name of the group.'),
      enumField('kind', 'Kind', '`KIND_GPU`, `KIND_CPU`, `KIND_MODEL` or `KIND_AUTO` (default).'),
      int(
        'count',
        'Instances per listed GPU (GPU kinds) or in total (CPU). Default 1. Two per GPU often hides data-copy time.',
      ),
      msg(
        'rate_limiter',
        'ModelRateLimiter',
        'Resources and priority for the rate limiter (when Triton runs with `--rate-limit`).',
      ),
      repeated(int('gpus', 'GPU indices to place instances on; empty means every available GPU.')),
      repeated(msg('secondary_devices', 'SecondaryDevice', 'Extra devices an instance needs (NVDLA).')),
      repeated(str('profile', 'TensorRT optimisation profiles this group may use.')),
      bool('passive', 'Instances are loaded but receive no requests from the scheduler.'),
      str('host_policy', 'The host policy to associate (default from the device kind, e.g. `gpu_0`).'),
    ],
  },
  {
    name: 'ModelRateLimiter',
    doc: 'Rate-limiter settings.',
    fields: [
      repeated(msg('resources', 'RateLimiterResource', 'Named resources an execution needs.')),
      uint('priority', 'Scheduling weight: priority 2 gets half the chances of priority 1. Default 1.'),
    ],
  },
  {
    name: 'RateLimiterResource',
    doc: 'A rate-limiter resource.',
    fields: [
      str('name', 'Resource name.'),
      bool('global', 'Shared by all devices rather than per device.'),
      uint('count', 'How many units an execution needs.'),
    ],
  },
  {
    name: 'SecondaryDevice',
    doc: 'A secondary device.',
    fields: [enumField('kind', 'SecondaryDeviceKind', 'Device kind.'), int('device_id', 'Device id.')],
  },
  {
    name: 'ModelVersionPolicy',
    doc: 'Which versions are served; set exactly one of `latest`, `all`, `specific`.',
    fields: [
      oneof('policy', msg('latest', 'VersionLatest', 'Serve the highest-numbered version(s) (the default).')),
      oneof('policy', msg('all', 'Empty', 'Serve every version in the folder.')),
      oneof('policy', msg('specific', 'VersionSpecific', 'Serve only the listed versions.')),
    ],
  },
  {
    name: 'VersionLatest',
    doc: 'Latest versions.',
    fields: [uint('num_versions', 'How many of the highest versions to serve. Default 1.')],
  },
  {
    name: 'VersionSpecific',
    doc: 'Specific versions.',
    fields: [repeated(int('versions', 'Version numbers to serve.'))],
  },
  { name: 'Empty', doc: 'No fields.', fields: [] },
  mapEntry('StringMapEntry', 'The key.', str('value', 'The value.')),
  mapEntry(
    'ParameterMapEntry',
    'Parameter name.',
    msg('value', 'ModelParameter', 'Parameter value: `{ string_value: "…" }`.'),
  ),
  { name: 'ModelParameter', doc: 'A parameter value.', fields: [str('string_value', 'The value, always a string.')] },
];
