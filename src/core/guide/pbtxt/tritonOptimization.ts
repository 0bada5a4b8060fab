import { bool, enumField, int, mapEntry, msg, repeated, str, uint, type MessageDef } from './schemaTypes';

/** Optimisation, warm-up, batch I/O and small policy messages of model_config.proto. */
export const OPTIMIZATION_MESSAGES: readonly MessageDef[] = [
  {
    name: 'ModelOptimizationPolicy',
    doc: 'Optimisation settings.',
    fields: [
      msg('graph', 'GraphOptimization', 'Framework graph optimisation level (ONNX Runtime, TensorFlow).'),
      enumField('priority', 'ModelPriority', 'Model priority (TensorRT models only).'),
      msg('cuda', 'CudaOptimization', 'CUDA settings: CUDA graphs and event handling (TensorRT backend).'),
      msg(
        'execution_accelerators',
        'ExecutionAccelerators',
        'Accelerators to try first, e.g. `gpu_execution_accelerator : [ { name : "tensorrt" } ]` to run an ONNX model through TensorRT.',
      ),
      msg('input_pinned_memory', 'PinnedMemoryBuffer', 'Use pinned host memory for input copies (default on).'),
      msg('output_pinned_memory', 'PinnedMemoryBuffer', 'Use pinned host memory for output copies (default on).'),
      uint(
        'gather_kernel_buffer_threshold',
        'Use a gather kernel when at least this many input buffers (TensorRT); 0 disables.',
      ),
      bool('eager_batching', 'Prepare the next batch before an instance is free (TensorRT).'),
    ],
  },
  {
    name: 'GraphOptimization',
    doc: 'Graph optimisation.',
    fields: [
      int(
        'level',
        '`-1` disabled, `0` framework default, `1`+ higher levels. For ONNX the default enables all optimisations.',
      ),
    ],
  },
  {
    name: 'CudaOptimization',
    doc: 'CUDA settings.',
    fields: [
      bool('graphs', 'Capture CUDA graphs to cut kernel-launch overhead (TensorRT backend).'),
      bool('busy_wait_events', 'Busy-wait on CUDA events: lower latency, more CPU.'),
      repeated(msg('graph_spec', 'CudaGraphSpec', 'Batch sizes and shapes to capture graphs for.')),
      bool('output_copy_stream', 'Copy outputs on a separate stream (uses more GPU memory).'),
    ],
  },
  {
    name: 'CudaGraphSpec',
    doc: 'A CUDA graph to capture.',
    fields: [
      int('batch_size', 'Batch size of the graph.'),
      repeated(msg('input', 'GraphShapeMapEntry', 'Input shapes (without batch).')),
      msg('graph_lower_bound', 'CudaGraphLowerBound', 'Smallest shapes the graph may be used for.'),
    ],
  },
  {
    name: 'CudaGraphLowerBound',
    doc: 'Lower bound.',
    fields: [
      int('batch_size', 'Lower-bound batch size.'),
      repeated(msg('input', 'GraphShapeMapEntry', 'Lower-bound input shapes.')),
    ],
  },
  mapEntry('GraphShapeMapEntry', 'Input name.', msg('value', 'GraphShape', 'The shape.')),
  { name: 'GraphShape', doc: 'A shape.', fields: [repeated(int('dim', 'Dimension sizes.'))] },
  {
    name: 'ExecutionAccelerators',
    doc: 'Execution accelerators.',
    fields: [
      repeated(
        msg(
          'gpu_execution_accelerator',
          'Accelerator',
          'On GPU instances: `tensorrt` (ONNX Runtime and TensorFlow), `auto_mixed_precision` or `gpu_io` (TensorFlow).',
        ),
      ),
      repeated(msg('cpu_execution_accelerator', 'Accelerator', 'On CPU instances: `openvino` (ONNX Runtime).')),
    ],
  },
  {
    name: 'Accelerator',
    doc: 'An accelerator.',
    fields: [
      str('name', 'Accelerator name, e.g. `tensorrt`, `openvino`.', [
        'tensorrt',
        'openvino',
        'auto_mixed_precision',
        'gpu_io',
      ]),
      repeated(
        msg('parameters', 'StringMapEntry', 'Accelerator parameters, e.g. `precision_mode: "FP16"` for TensorRT.'),
      ),
    ],
  },
  { name: 'PinnedMemoryBuffer', doc: 'Pinned memory.', fields: [bool('enable', 'Use pinned memory. Default true.')] },
  {
    name: 'BatchInput',
    doc: 'A batch input.',
    fields: [
      enumField('kind', 'BatchInputKind', 'What Triton computes.'),
      repeated(str('target_name', 'Name of the input the backend receives.')),
      enumField('data_type', 'DataType', '`TYPE_INT32` or `TYPE_FP32`.'),
      repeated(str('source_input', 'The input(s) it is computed from.')),
    ],
  },
  {
    name: 'BatchOutput',
    doc: 'A batch output.',
    fields: [
      repeated(str('target_name', 'Outputs this applies to.')),
      enumField('kind', 'BatchOutputKind', 'How to split it.'),
      repeated(str('source_input', 'Input whose shape guides the split.')),
    ],
  },
  {
    name: 'ModelWarmup',
    doc: 'A warm-up sample.',
    fields: [
      str('name', 'Name of the sample.'),
      uint('batch_size', 'Batch size of the warm-up request (1 if the model does not batch).'),
      repeated(
        msg(
          'inputs',
          'WarmupInputMapEntry',
          'Data for each input (key: input name): zeros, random data or a file in `warmup/`.',
        ),
      ),
      uint('count', 'How many times to run the sample.'),
    ],
  },
  mapEntry('WarmupInputMapEntry', 'Input name.', msg('value', 'WarmupInput', 'How to generate the input.')),
  {
    name: 'WarmupInput',
    doc: 'Warm-up input data.',
    fields: [
      enumField('data_type', 'DataType', 'Data type.'),
      repeated(int('dims', 'Shape without the batch dimension.')),
      { ...bool('zero_data', 'Fill with zeros.'), oneof: 'data' },
      { ...bool('random_data', 'Fill with random values.'), oneof: 'data' },
      { ...str('input_data_file', "Read raw data from a file in the model's `warmup` folder."), oneof: 'data' },
    ],
  },
  {
    name: 'ModelOperations',
    doc: 'Custom operations.',
    fields: [repeated(str('op_library_filename', 'Paths of custom-op libraries (ONNX).'))],
  },
  {
    name: 'ModelTransactionPolicy',
    doc: 'Transaction policy.',
    fields: [
      bool(
        'decoupled',
        'Responses are decoupled from requests: any number, in any order. Needed for streaming LLM backends.',
      ),
    ],
  },
  {
    name: 'ModelRepositoryAgents',
    doc: 'Repository agents.',
    fields: [repeated(msg('agents', 'RepositoryAgent', 'Agents, run in order.'))],
  },
  {
    name: 'RepositoryAgent',
    doc: 'An agent.',
    fields: [str('name', 'Agent name.'), repeated(msg('parameters', 'StringMapEntry', 'Agent parameters.'))],
  },
  {
    name: 'ModelResponseCache',
    doc: 'Response cache.',
    fields: [bool('enable', 'Cache responses of this model. Off by default; the server needs `--cache-config`.')],
  },
  {
    name: 'ModelMetrics',
    doc: 'Metric overrides.',
    fields: [repeated(msg('metric_control', 'MetricControl', 'One override.'))],
  },
  {
    name: 'MetricControl',
    doc: 'A metric override.',
    fields: [
      msg('metric_identifier', 'MetricIdentifier', 'Which metric family.'),
      msg('histogram_options', 'HistogramOptions', 'Histogram buckets.'),
    ],
  },
  {
    name: 'MetricIdentifier',
    doc: 'A metric family.',
    fields: [str('family', 'Metric family name, e.g. `nv_inference_first_response_histogram_ms`.')],
  },
  {
    name: 'HistogramOptions',
    doc: 'Histogram options.',
    fields: [repeated({ name: 'buckets', type: { kind: 'float' }, doc: 'Bucket upper bounds, ascending.' })],
  },
];
