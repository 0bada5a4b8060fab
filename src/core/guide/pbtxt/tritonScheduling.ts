import { bool, enumField, float, int, mapEntry, msg, oneof, repeated, str, uint, type MessageDef } from './schemaTypes';

/** Batching, sequence and ensemble scheduling messages of model_config.proto. */
export const SCHEDULING_MESSAGES: readonly MessageDef[] = [
  {
    name: 'ModelDynamicBatching',
    doc: 'Dynamic batcher settings.',
    fields: [
      repeated(
        int(
          'preferred_batch_size',
          'Batch sizes to run as soon as they can be formed. Usually leave unset: Triton then forms the largest batch it can.',
        ),
      ),
      uint(
        'max_queue_delay_microseconds',
        'How long a request may wait for others to batch with. Default 0. Raising it (e.g. 100–1000 µs) trades latency for throughput.',
      ),
      bool('preserve_ordering', 'Return responses in request order. Default false.'),
      uint('priority_levels', 'Number of priority levels (1 is highest); requests are served in priority order.'),
      uint('default_priority_level', 'Priority of requests that set none; between 1 and `priority_levels`.'),
      msg(
        'default_queue_policy',
        'ModelQueuePolicy',
        'Queue limits and timeouts for requests without their own priority policy.',
      ),
      repeated(
        msg('priority_queue_policy', 'QueuePolicyMapEntry', 'A queue policy per priority level (key: the level).'),
      ),
    ],
  },
  {
    name: 'ModelQueuePolicy',
    doc: 'Queue policy.',
    fields: [
      enumField(
        'timeout_action',
        'TimeoutAction',
        '`REJECT` (default) or `DELAY` requests that time out in the queue.',
      ),
      uint('default_timeout_microseconds', 'Queue timeout per request; 0 (default) means none.'),
      bool('allow_timeout_override', 'Requests may set a shorter timeout than the default.'),
      uint(
        'max_queue_size',
        'Requests beyond this queue length are rejected at once; 0 (default) means unbounded. Set it to get fast failures instead of timeouts under overload.',
      ),
    ],
  },
  mapEntry('QueuePolicyMapEntry', 'Priority level.', msg('value', 'ModelQueuePolicy', 'The policy for that level.')),
  {
    name: 'ModelSequenceBatching',
    doc: 'Sequence batcher settings for stateful models.',
    fields: [
      oneof(
        'strategy',
        msg(
          'direct',
          'StrategyDirect',
          'Each sequence keeps one batch slot of one instance for its whole life (the default).',
        ),
      ),
      oneof(
        'strategy',
        msg(
          'oldest',
          'StrategyOldest',
          'Requests of candidate sequences are batched oldest first; a sequence may change slots.',
        ),
      ),
      uint(
        'max_sequence_idle_microseconds',
        'A sequence with no request for this long is ended and its slot freed. Default 1 s.',
      ),
      repeated(
        msg(
          'control_input',
          'ControlInput',
          'Inputs through which Triton tells the model a sequence starts, ends, is ready, or its correlation id.',
        ),
      ),
      repeated(
        msg(
          'state',
          'SequenceState',
          'Implicit state: an output copied back as an input on the next request of the sequence.',
        ),
      ),
      bool('iterative_sequence', 'The model reschedules a request over several iterations (needs backend support).'),
    ],
  },
  {
    name: 'StrategyDirect',
    doc: 'Direct strategy.',
    fields: [
      uint('max_queue_delay_microseconds', 'How long a candidate request may wait to form a fuller batch.'),
      float('minimum_slot_utilization', 'Run early once this fraction of slots is ready (0–1).'),
    ],
  },
  {
    name: 'StrategyOldest',
    doc: 'Oldest-first strategy.',
    fields: [
      int('max_candidate_sequences', 'Sequences considered at once; more wait in a backlog.'),
      repeated(int('preferred_batch_size', 'Batch sizes to run as soon as they can be formed.')),
      uint('max_queue_delay_microseconds', 'How long a candidate request may wait for batching.'),
      bool('preserve_ordering', 'Return responses in request order.'),
    ],
  },
  {
    name: 'ControlInput',
    doc: 'A sequence control input.',
    fields: [
      str('name', 'The model input that carries the control.'),
      repeated(msg('control', 'SequenceControl', 'The control signals sent through it.')),
    ],
  },
  {
    name: 'SequenceControl',
    doc: 'A control signal.',
    fields: [
      enumField('kind', 'ControlKind', 'Which signal: start, end, ready or correlation id.'),
      repeated(int('int32_false_true', 'The false and true values, for an INT32 control tensor.')),
      repeated(float('fp32_false_true', 'The false and true values, for an FP32 control tensor.')),
      repeated(bool('bool_false_true', 'The false and true values, for a BOOL control tensor.')),
      enumField('data_type', 'DataType', 'Data type of the correlation-id tensor.'),
    ],
  },
  {
    name: 'SequenceState',
    doc: 'Implicit sequence state.',
    fields: [
      str('input_name', 'The state input name.'),
      str('output_name', 'The state output name.'),
      enumField('data_type', 'DataType', 'State data type.'),
      repeated(int('dims', 'State shape without the batch dimension.')),
      repeated(msg('initial_state', 'InitialState', 'How the state starts: zeros or a file.')),
      bool('use_same_buffer_for_input_output', 'One buffer for input and output state (saves memory).'),
      bool('use_growable_memory', 'Let the state buffer grow without copying (CUDA memory).'),
    ],
  },
  {
    name: 'InitialState',
    doc: 'Initial state.',
    fields: [
      enumField('data_type', 'DataType', 'Data type.'),
      repeated(int('dims', 'Shape without the batch dimension.')),
      oneof('data', bool('zero_data', 'Start from zeros.')),
      oneof('data', str('data_file', "Start from a file in the model's `initial_state` folder.")),
      str('name', 'Name of this initial state.'),
    ],
  },
  {
    name: 'ModelEnsembling',
    doc: 'Ensemble pipeline.',
    fields: [
      repeated(
        msg('step', 'EnsembleStep', 'One model call in the pipeline; steps run as soon as their inputs are available.'),
      ),
      uint(
        'max_inflight_responses',
        'Cap on responses in flight between steps (protects memory with decoupled models); 0 = no cap.',
      ),
    ],
  },
  {
    name: 'EnsembleStep',
    doc: 'An ensemble step.',
    fields: [
      str('model_name', 'The model this step runs.'),
      int('model_version', 'Version to use; `-1` means the latest.'),
      repeated(
        msg(
          'input_map',
          'StringMapEntry',
          "Wires inputs: `key` is this step model's input name, `value` is an ensemble tensor name (an ensemble input or another step's output).",
        ),
      ),
      repeated(
        msg(
          'output_map',
          'StringMapEntry',
          "Names outputs: `key` is this step model's output name, `value` is the ensemble tensor it becomes.",
        ),
      ),
      str('model_namespace', 'Reserved; do not set.'),
    ],
  },
];
