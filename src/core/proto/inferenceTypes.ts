/**
 * TypeScript shapes of the `inference.GRPCInferenceService` messages as
 * @grpc/proto-loader hands them over with our loader options (snake_case
 * names, int64 as number, bytes as Buffer). Fields are optional where a sender
 * may leave them out; decoded messages always carry them (loader `defaults`).
 */

/** `InferParameter`: exactly one of the members is set. */
export interface InferParameter {
  bool_param?: boolean;
  int64_param?: number;
  string_param?: string;
  double_param?: number;
  uint64_param?: number;
  /** Set on decoded messages: the name of the member that holds the value. */
  parameter_choice?: 'bool_param' | 'int64_param' | 'string_param' | 'double_param' | 'uint64_param';
}

export type InferParameters = Record<string, InferParameter>;

/** Typed tensor values (FP16/BF16 have none: raw bytes only). */
export interface InferTensorContents {
  bool_contents?: boolean[];
  int_contents?: number[];
  int64_contents?: number[];
  uint_contents?: number[];
  uint64_contents?: number[];
  fp32_contents?: number[];
  fp64_contents?: number[];
  bytes_contents?: Uint8Array[];
}

/** `InferInputTensor` and `InferOutputTensor` share fields 1-5. */
export interface InferTensor {
  name: string;
  datatype: string;
  shape: number[];
  parameters?: InferParameters;
  contents?: InferTensorContents | null;
}

export interface InferRequestedOutputTensor {
  name: string;
  parameters?: InferParameters;
}

export interface ModelInferRequest {
  model_name: string;
  /** Empty = the server's version policy. */
  model_version?: string;
  id?: string;
  parameters?: InferParameters;
  inputs: InferTensor[];
  /** Omit to receive every output. */
  outputs?: InferRequestedOutputTensor[];
  /** One entry per input, same order as `inputs`; then no input sets `contents`. */
  raw_input_contents?: Uint8Array[];
}

export interface ModelInferResponse {
  /** Left out by Triton in a stream error's companion response (it carries the request id only). */
  model_name?: string;
  model_version?: string;
  id?: string;
  parameters?: InferParameters;
  outputs: InferTensor[];
  raw_output_contents?: Uint8Array[];
}

/** In a stream an error is a non-empty `error_message`, not a gRPC status. */
export interface ModelStreamInferResponse {
  error_message?: string;
  infer_response?: ModelInferResponse | null;
}

export interface ServerLiveResponse {
  live: boolean;
}
export interface ServerReadyResponse {
  ready: boolean;
}
export interface ModelReadyRequest {
  name: string;
  version?: string;
}
export interface ModelReadyResponse {
  ready: boolean;
}
export interface ServerMetadataResponse {
  name: string;
  version: string;
  extensions: string[];
}
export interface ModelMetadataRequest {
  name: string;
  version?: string;
}
export interface TensorMetadata {
  name: string;
  datatype: string;
  shape: number[];
}
export interface ModelMetadataResponse {
  name: string;
  versions: string[];
  platform: string;
  inputs: TensorMetadata[];
  outputs: TensorMetadata[];
  /** OIP only; Triton never sets it. */
  properties?: Record<string, string>;
}

export interface StatisticDuration {
  count: number;
  ns: number;
}
export interface InferStatistics {
  success: StatisticDuration;
  fail: StatisticDuration;
  queue: StatisticDuration;
  compute_input: StatisticDuration;
  compute_infer: StatisticDuration;
  compute_output: StatisticDuration;
  cache_hit: StatisticDuration;
  cache_miss: StatisticDuration;
}
export interface ModelStatistics {
  name: string;
  version: string;
  /** Milliseconds since the epoch; 0 = never. */
  last_inference: number;
  inference_count: number;
  execution_count: number;
  inference_stats: InferStatistics;
}
export interface ModelStatisticsRequest {
  name?: string;
  version?: string;
}
export interface ModelStatisticsResponse {
  model_stats: ModelStatistics[];
}

export interface RepositoryIndexRequest {
  repository_name?: string;
  ready?: boolean;
}
export interface ModelIndex {
  name: string;
  version: string;
  state: string;
  reason: string;
}
export interface RepositoryIndexResponse {
  models: ModelIndex[];
}
