/**
 * The KServe v2 / Open Inference Protocol tensor datatypes (wire reference §1.1), in the order the
 * request panel offers them: the fixed-size types (BF16 with the floats), then BYTES. Their sizes
 * and other formats' names are in src/core/kserve/datatypes.ts.
 */
export const DATATYPES = [
  'BOOL',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
  'BF16',
  'BYTES',
] as const;

export type Datatype = (typeof DATATYPES)[number];
