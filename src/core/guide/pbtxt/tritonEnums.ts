import type { EnumDef } from './schemaTypes';

const dataType = (name: string, doc: string) => ({ name, doc });

/** Enums of Triton's model_config.proto, with short descriptions in our own words. */
export const TRITON_ENUMS: Readonly<Record<string, EnumDef>> = {
  DataType: {
    name: 'DataType',
    values: [
      dataType('TYPE_BOOL', 'Boolean, 1 byte per element (`BOOL` on the wire).'),
      dataType('TYPE_UINT8', 'Unsigned 8-bit integer (`UINT8`); typical for raw image bytes.'),
      dataType('TYPE_UINT16', 'Unsigned 16-bit integer (`UINT16`).'),
      dataType('TYPE_UINT32', 'Unsigned 32-bit integer (`UINT32`).'),
      dataType('TYPE_UINT64', 'Unsigned 64-bit integer (`UINT64`).'),
      dataType('TYPE_INT8', 'Signed 8-bit integer (`INT8`).'),
      dataType('TYPE_INT16', 'Signed 16-bit integer (`INT16`).'),
      dataType('TYPE_INT32', 'Signed 32-bit integer (`INT32`); common for token ids.'),
      dataType('TYPE_INT64', 'Signed 64-bit integer (`INT64`); PyTorch token ids are often this.'),
      dataType('TYPE_FP16', 'Half-precision float (`FP16`); send as binary data, not JSON numbers.'),
      dataType('TYPE_FP32', 'Single-precision float (`FP32`); the usual image-tensor type.'),
      dataType('TYPE_FP64', 'Double-precision float (`FP64`).'),
      dataType('TYPE_STRING', 'Variable-length bytes (`BYTES` on the wire): text, encoded images.'),
      dataType('TYPE_BF16', 'bfloat16 (`BF16`), Triton-specific; binary data only.'),
    ],
  },
  Kind: {
    name: 'Kind',
    values: [
      { name: 'KIND_AUTO', doc: 'GPU if the listed GPUs are available, otherwise CPU (the default).' },
      { name: 'KIND_GPU', doc: 'Instances run on GPUs; `count` instances per GPU in `gpus`.' },
      { name: 'KIND_CPU', doc: 'Instances run on the CPU; `gpus` must not be set.' },
      { name: 'KIND_MODEL', doc: 'The backend or model decides where each instance runs.' },
    ],
  },
  Format: {
    name: 'Format',
    values: [
      { name: 'FORMAT_NONE', doc: 'No particular layout (the default).' },
      {
        name: 'FORMAT_NHWC',
        doc: 'Image layout height, width, channels; `dims` lists the three non-batch dimensions.',
      },
      {
        name: 'FORMAT_NCHW',
        doc: 'Image layout channels, height, width; `dims` lists the three non-batch dimensions.',
      },
    ],
  },
  TimeoutAction: {
    name: 'TimeoutAction',
    values: [
      { name: 'REJECT', doc: 'A timed-out request fails with an error (the default).' },
      { name: 'DELAY', doc: 'A timed-out request waits until requests that have not timed out are served.' },
    ],
  },
  ModelPriority: {
    name: 'ModelPriority',
    values: [
      { name: 'PRIORITY_DEFAULT', doc: 'Default priority.' },
      { name: 'PRIORITY_MAX', doc: 'Highest priority (TensorRT models only).' },
      { name: 'PRIORITY_MIN', doc: 'Lowest priority (TensorRT models only).' },
    ],
  },
  BatchInputKind: {
    name: 'BatchInputKind',
    values: [
      {
        name: 'BATCH_ELEMENT_COUNT',
        doc: 'Adds the element count of `source_input` for each request as a `[1]` input.',
      },
      { name: 'BATCH_ACCUMULATED_ELEMENT_COUNT', doc: 'Adds the running total of element counts across the batch.' },
      {
        name: 'BATCH_ACCUMULATED_ELEMENT_COUNT_WITH_ZERO',
        doc: 'Like the accumulated count, with a leading 0 for the first request.',
      },
      {
        name: 'BATCH_MAX_ELEMENT_COUNT_AS_SHAPE',
        doc: 'Adds an input whose shape is the largest element count in the batch.',
      },
      { name: 'BATCH_ITEM_SHAPE', doc: 'Adds the shape of `source_input` for each batch item, shape `[batch, rank]`.' },
      { name: 'BATCH_ITEM_SHAPE_FLATTEN', doc: 'Like BATCH_ITEM_SHAPE, flattened to one dimension.' },
    ],
  },
  BatchOutputKind: {
    name: 'BatchOutputKind',
    values: [
      {
        name: 'BATCH_SCATTER_WITH_INPUT_SHAPE',
        doc: 'Splits the output back per request using the shape of `source_input`.',
      },
    ],
  },
  ControlKind: {
    name: 'ControlKind',
    values: [
      { name: 'CONTROL_SEQUENCE_START', doc: 'True on the first request of a sequence.' },
      { name: 'CONTROL_SEQUENCE_READY', doc: 'True when the slot holds a valid request in this batch.' },
      { name: 'CONTROL_SEQUENCE_END', doc: 'True on the last request of a sequence.' },
      { name: 'CONTROL_SEQUENCE_CORRID', doc: "The sequence's correlation id, passed as a tensor." },
    ],
  },
  SecondaryDeviceKind: {
    name: 'SecondaryDeviceKind',
    values: [{ name: 'KIND_NVDLA', doc: 'An NVDLA core (TensorRT backend only).' }],
  },
};
