/**
 * Simulated models: what every personality can serve. Each model says in its
 * metadata that it is simulated (`simulated: true`, description); outputs are
 * deterministic for a given seed and the timing comes from the latency engine.
 */
import type { BatchLatency, TextLatency } from '../latency/types';
import type { FaultConfig } from '../faultTypes';

export type ModelKind = 'text-generation' | 'embedding' | 'image-classification';

/** OIP-style tensor description (datatype strings as in wire reference §1.1). */
export interface TensorSpec {
  name: string;
  datatype: 'FP32' | 'BYTES' | 'INT64' | 'INT32' | 'UINT8';
  /** -1 = variable dimension (the leading batch dimension is -1). */
  shape: number[];
  /** True when this input is an alternative to another (e.g. encoded image vs. tensor). */
  optional?: boolean;
}

interface ModelBase {
  readonly name: string;
  /** Always true: these models compute plausible, deterministic, not learned, outputs. */
  readonly simulated: true;
  readonly description: string;
  readonly seed: number;
  /** Wall time the model was "loaded" (epoch ms). */
  readonly createdAt: number;
  /** Per-model fault settings, merged over the server-wide ones. */
  readonly faults?: Partial<FaultConfig>;
}

export interface TextModelInfo extends ModelBase {
  readonly kind: 'text-generation';
  readonly latency: TextLatency;
  /** Context window in tokens (prompt + output). */
  readonly maxModelLen: number;
}

export interface EmbeddingModelInfo extends ModelBase {
  readonly kind: 'embedding';
  readonly latency: BatchLatency;
  readonly dimensions: number;
  /** Longest input in tokens; longer inputs are refused unless truncated. */
  readonly maxInputTokens: number;
}

export interface ImageModelInfo extends ModelBase {
  readonly kind: 'image-classification';
  readonly latency: BatchLatency;
  readonly numClasses: number;
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
}

export type ModelInfo = TextModelInfo | EmbeddingModelInfo | ImageModelInfo;
