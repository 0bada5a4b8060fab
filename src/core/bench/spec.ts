/**
 * What a benchmark run is asked to do. The same shape comes from CLI flags,
 * a spec file (JSON/YAML, validated against schema/spec.schema.json) or the
 * extension; `normalizeSpec` fills the defaults so the engine and the result
 * file always see every field.
 */
import { benchGroups, benchGroupTable, type BenchGroup } from '../../shared/benchGroups';

export { benchGroups, type BenchGroup } from '../../shared/benchGroups';

export type ProfileName = 'vllm' | 'genai-perf' | 'guidellm' | 'aiperf';
export const profileNames: readonly ProfileName[] = ['vllm', 'genai-perf', 'guidellm', 'aiperf'];
/** The peer release whose definitions each profile follows (README, results panel). */
export const profileVersions: Readonly<Record<ProfileName, string>> = {
  vllm: 'vllm bench serve 0.32.0',
  'genai-perf': 'GenAI-Perf 0.0.16',
  guidellm: 'GuideLLM 0.8.1',
  aiperf: 'AIPerf 0.13.0',
};

/** Wire protocols per group (wire reference §1–§10), from the group table. */
export const groupApis = Object.fromEntries(benchGroups.map((g) => [g, benchGroupTable[g].apis])) as { readonly [G in BenchGroup]: (typeof benchGroupTable)[G]['apis'] };

export type TextApi = (typeof groupApis)['text-generation'][number];
export type ImageApi = (typeof groupApis)['image-classification'][number];
export type EmbeddingsApi = (typeof groupApis)['embeddings'][number];
export type BenchApi = TextApi | ImageApi | EmbeddingsApi;

/** A length distribution in tokens: fixed when `std` is 0, else normal, clamped to [min, max]. */
export interface LengthSpec {
  mean: number;
  std?: number;
  min?: number;
  max?: number;
}

export interface LoadSpec {
  /** Closed-loop steps: this many requests in flight, each sent as the previous one ends. */
  concurrency?: number[];
  /** Open-loop steps: requests per second on a schedule (Infinity = all at once). */
  rate?: number[];
  /** Automatic sweep: serial and saturated throughput, then rates in between. */
  sweep?: boolean | { points?: number; saturationConcurrency?: number };
  /** Gamma shape of open-loop gaps (vLLM `--burstiness`): 1 = Poisson, larger = more even. */
  burstiness?: number;
  /** Open loop: most requests in flight at once; later ones wait (and that wait is measured). */
  maxInFlight?: number;
}

export interface Slo {
  /** Milliseconds; a request meets the SLO when every given bound holds. */
  ttft?: number;
  tpot?: number;
  e2el?: number;
}

/** Dataset file formats: JSON Lines, a JSON array (ShareGPT dumps), Parquet (Hugging Face). */
export type DatasetFormat = 'jsonl' | 'json' | 'parquet';
export const datasetFormats: readonly DatasetFormat[] = ['jsonl', 'json', 'parquet'];

export interface TextWorkload {
  inputTokens: LengthSpec;
  outputTokens: LengthSpec;
  /** Ask the server to ignore end-of-sequence so that exactly `outputTokens` come back (where supported). */
  ignoreEos: boolean;
  /**
   * Prompts from a file instead of synthetic ones: JSONL, a JSON array (ShareGPT) or Parquet; entries with
   * `prompt` (or text, input, question, instruction, query), chat `messages`, or ShareGPT `conversations`.
   */
  dataset?: string;
  /** The dataset's format when its file name does not tell (.jsonl/.ndjson, .json, .parquet). */
  datasetFormat?: DatasetFormat;
  /** The column holding the prompt, when none of the usual names fits. */
  promptField?: string;
  /** Read at most this many usable entries (default 1024); requests cycle through them. */
  maxPrompts?: number;
}

export interface ImageWorkload {
  /** Items per request; each batch size is a sweep dimension. */
  batchSizes: number[];
  /** Input tensor shape of one item (without the batch dimension), e.g. [3, 224, 224]. Read from model metadata when absent. */
  shape?: number[];
  datatype?: string;
  inputName?: string;
  /** Send these image files (jpg/png) instead of synthetic tensors. */
  imagesDir?: string;
}

export interface EmbeddingsWorkload {
  batchSizes: number[];
  inputTokens: LengthSpec;
  /** KServe v2: name of the BYTES input tensor. */
  inputName?: string;
}

/** Server, GPU and container metrics read while the run goes (on by default, every second). */
export interface ServerMetricsSpec {
  /** False turns scraping off (`--no-server-metrics`). */
  enabled?: boolean;
  /** The Prometheus endpoint, when not the server kind's own (`--server-metrics URL`). */
  url?: string;
  /** Seconds between readings (default 1; `--server-metrics-interval`). */
  intervalSec?: number;
  /** A DCGM exporter's metrics URL for GPU figures (`--dcgm-url`). */
  dcgmUrl?: string;
  /** Id or name of the server's Docker container, when it is not one launched from the extension (`--container`). */
  container?: string;
}

export interface BenchSpec {
  url: string;
  group: BenchGroup;
  api?: BenchApi;
  model?: string;
  load: LoadSpec;
  /** Measured requests per step (default 100 when neither this nor `durationSec` is set). */
  requests?: number;
  durationSec?: number;
  /** Warm-up requests before each step, recorded but not summarised. */
  warmup?: number;
  timeoutSec?: number;
  seed?: number;
  profile?: ProfileName;
  percentiles?: number[];
  slo?: Slo;
  /** Fraction (0–1) of a step's requests that must meet the SLO. */
  minGoodput?: number;
  text?: Partial<TextWorkload>;
  image?: Partial<ImageWorkload>;
  embeddings?: Partial<EmbeddingsWorkload>;
  /** Name of the environment variable holding the API key (the key itself never goes in a spec). */
  apiKeyEnv?: string;
  /** gRPC address (host:port) for `kserve-grpc` when it differs from the URL's host and port. */
  grpcAddress?: string;
  /** Server metrics while the run goes: false turns them off. */
  serverMetrics?: boolean | ServerMetricsSpec;
  /** Where the CLI writes the result (the extension chooses its own). */
  out?: string;
}
