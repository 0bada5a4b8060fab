/**
 * The one typed accessor per metric. Each profile writes its step summaries
 * under its tool's own key names (vLLM `output_throughput`, GenAI-Perf
 * `output_token_throughput`, GuideLLM `output_tokens_per_second`…); the
 * results panel, compare and the CLI table read them only through the tables
 * below. The profiles build their summaries with `satisfies` the key unions
 * here (src/core/bench/profiles), and every accessor names a key of those
 * unions, so renaming a key on either side fails type-checking instead of
 * showing "–". A new profile adds its keys to `SummaryKeys` and one entry to
 * each table; the compiler lists what is missing.
 */
import { groupItemKey } from './benchGroups';

/** What the batch groups count per request (images for classification, inputs for embeddings). */
export type ItemKey = 'imagesPerSec' | 'inputsPerSec';

/** The keys each profile writes in `summary.throughput` and `summary.metrics` of a step. */
export interface SummaryKeys {
  vllm: {
    throughput:
      | 'request_throughput'
      | 'output_throughput'
      | 'total_token_throughput'
      | 'max_concurrent_requests'
      | 'total_input_tokens'
      | 'total_output_tokens'
      | 'request_goodput'
      | ItemKey;
    metrics: 'ttft' | 'tpot' | 'itl' | 'e2el';
  };
  'genai-perf': {
    throughput:
      | 'request_throughput'
      | 'output_token_throughput'
      | 'request_count'
      | 'request_goodput'
      | 'input_token_throughput'
      | ItemKey;
    metrics:
      | 'time_to_first_token'
      | 'time_to_second_token'
      | 'inter_token_latency'
      | 'request_latency'
      | 'output_token_throughput_per_user'
      | 'output_sequence_length'
      | 'input_sequence_length';
  };
  aiperf: {
    throughput:
      'request_throughput' | 'output_token_throughput' | 'request_count' | 'error_request_count' | 'goodput' | ItemKey;
    metrics:
      | 'time_to_first_token'
      | 'time_to_first_output_token'
      | 'time_to_second_token'
      | 'inter_token_latency'
      | 'inter_chunk_latency'
      | 'request_latency'
      | 'output_token_throughput_per_user'
      | 'output_sequence_length'
      | 'input_sequence_length';
  };
  guidellm: {
    throughput:
      | 'requests_per_second'
      | 'output_tokens_per_second'
      | 'tokens_per_second'
      | 'request_concurrency'
      | 'request_goodput'
      | 'prompt_tokens_per_second'
      | ItemKey;
    metrics:
      | 'requests_per_second'
      | 'request_latency'
      | 'time_to_first_token_ms'
      | 'inter_token_latency_ms'
      | 'time_per_output_token_ms'
      | 'prompt_token_count'
      | 'output_token_count';
  };
}

export type SummaryProfile = keyof SummaryKeys;
export type ThroughputKey<P extends SummaryProfile> = SummaryKeys[P]['throughput'];
export type MetricKey<P extends SummaryProfile> = SummaryKeys[P]['metrics'];

/** The rates every chart and verdict reads, whatever the profile. */
export type RateId = 'requestsPerSec' | 'outputTokensPerSec' | 'itemsPerSec' | 'inputTokensPerSec' | 'goodputPerSec';
/** The latencies every chart and verdict reads (ms), whatever the profile. */
export type LatencyId = 'ttft' | 'tpot' | 'itl' | 'e2e';

export const RATE_IDS: readonly RateId[] = [
  'requestsPerSec',
  'outputTokensPerSec',
  'itemsPerSec',
  'inputTokensPerSec',
  'goodputPerSec',
];
/** In order of importance for text generation (TTFT first); batch groups have only `e2e`. */
export const LATENCY_IDS: readonly LatencyId[] = ['ttft', 'tpot', 'itl', 'e2e'];

type RateTable = { [R in Exclude<RateId, 'itemsPerSec'>]: { [P in SummaryProfile]: ThroughputKey<P> | null } };
/** A latency in a profile: its key, the tool's name for it, and the factor to ms (GuideLLM's request latency is in s). */
export interface LatencyAccessor<K extends string = string> {
  key: K;
  label: string;
  toMs: number;
}
type LatencyTable = { [L in LatencyId]: { [P in SummaryProfile]: LatencyAccessor<MetricKey<P>> | null } };

/** Where each rate lives in each profile's `summary.throughput`. */
export const rateKeys = {
  requestsPerSec: {
    vllm: 'request_throughput',
    'genai-perf': 'request_throughput',
    guidellm: 'requests_per_second',
    aiperf: 'request_throughput',
  },
  outputTokensPerSec: {
    vllm: 'output_throughput',
    'genai-perf': 'output_token_throughput',
    guidellm: 'output_tokens_per_second',
    aiperf: 'output_token_throughput',
  },
  /** Embeddings only: input tokens per second (vLLM calls it total token throughput there). */
  inputTokensPerSec: {
    vllm: 'total_token_throughput',
    'genai-perf': 'input_token_throughput',
    guidellm: 'prompt_tokens_per_second',
    aiperf: null,
  },
  goodputPerSec: {
    vllm: 'request_goodput',
    'genai-perf': 'request_goodput',
    guidellm: 'request_goodput',
    aiperf: 'goodput',
  },
} as const satisfies RateTable;

/**
 * Where each latency lives in each profile's `summary.metrics`, under the
 * tool's own name: GenAI-Perf's "Inter token latency" is (latency − TTFT) /
 * (tokens − 1), vLLM's ITL is every chunk gap; they stay apart. `null`: the
 * tool has no such metric.
 */
export const latencyKeys = {
  ttft: {
    vllm: { key: 'ttft', label: 'TTFT', toMs: 1 },
    'genai-perf': { key: 'time_to_first_token', label: 'Time to first token', toMs: 1 },
    guidellm: { key: 'time_to_first_token_ms', label: 'TTFT', toMs: 1 },
    aiperf: { key: 'time_to_first_token', label: 'Time to first token', toMs: 1 },
  },
  tpot: {
    vllm: { key: 'tpot', label: 'TPOT', toMs: 1 },
    'genai-perf': null,
    guidellm: { key: 'time_per_output_token_ms', label: 'TPOT (incl. first token)', toMs: 1 },
    aiperf: null,
  },
  itl: {
    vllm: { key: 'itl', label: 'ITL', toMs: 1 },
    'genai-perf': { key: 'inter_token_latency', label: 'Inter token latency', toMs: 1 },
    guidellm: { key: 'inter_token_latency_ms', label: 'ITL', toMs: 1 },
    aiperf: { key: 'inter_token_latency', label: 'Inter token latency', toMs: 1 },
  },
  e2e: {
    vllm: { key: 'e2el', label: 'E2E latency', toMs: 1 },
    'genai-perf': { key: 'request_latency', label: 'Request latency', toMs: 1 },
    guidellm: { key: 'request_latency', label: 'Request latency', toMs: 1000 },
    aiperf: { key: 'request_latency', label: 'Request latency', toMs: 1 },
  },
} as const satisfies LatencyTable;

/** The key of the items rate of a batch group (`undefined` for text generation). */
export function itemKey(group: string): ItemKey | undefined {
  return groupItemKey(group);
}

/** The key of `rate` in `profile`'s summaries of `group`. */
export function rateKey(rate: RateId, profile: SummaryProfile, group: string): string | undefined {
  if (rate === 'itemsPerSec') return itemKey(group);
  if (rate === 'outputTokensPerSec' && group !== 'text-generation') return undefined;
  if (rate === 'inputTokensPerSec' && group !== 'embeddings') return undefined;
  return rateKeys[rate][profile] ?? undefined;
}

/** The accessor of `latency` in `profile`'s summaries of `group` (batch groups have E2E only). */
export function latencyAccessor(
  latency: LatencyId,
  profile: SummaryProfile,
  group: string,
): LatencyAccessor | undefined {
  if (latency !== 'e2e' && group !== 'text-generation') return undefined;
  return latencyKeys[latency][profile] ?? undefined;
}

/** Name and unit of a rate as the panel, compare and CLI show it. */
export function rateName(rate: RateId, group: string): { label: string; unit: string } {
  switch (rate) {
    case 'requestsPerSec':
      return { label: 'Requests/s', unit: 'req/s' };
    case 'outputTokensPerSec':
      return { label: 'Output tokens/s', unit: 'tok/s' };
    case 'itemsPerSec':
      return group === 'image-classification'
        ? { label: 'Images/s', unit: 'images/s' }
        : { label: 'Inputs/s', unit: 'inputs/s' };
    case 'inputTokensPerSec':
      return { label: 'Input tokens/s', unit: 'tok/s' };
    case 'goodputPerSec':
      return { label: 'Goodput', unit: 'req/s' };
  }
}
