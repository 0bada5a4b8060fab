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
/** The peer release whose definitions each profile follows (the guide's metric definitions, the results panel). */
export const profileVersions: Readonly<Record<ProfileName, string>> = {
  vllm: 'vllm bench serve 0.32.0',
  'genai-perf': 'GenAI-Perf 0.0.16',
  guidellm: 'GuideLLM 0.8.1',
  aiperf: 'AIPerf 0.13.0',
};

/** Wire protocols per group (wire reference §1–§10), from the group table. */
export const groupApis = Object.fromEntries(benchGroups.map((g) => [g, benchGroupTable[g].apis])) as {
  readonly [G in BenchGroup]: (typeof benchGroupTable)[G]['apis'];
};

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

/** Trace formats: Mooncake JSONL, Azure LLM inference trace CSV, BurstGPT CSV. */
export type TraceFormat = 'mooncake' | 'azure' | 'burstgpt';
export const traceFormats: readonly TraceFormat[] = ['mooncake', 'azure', 'burstgpt'];

export interface TraceSpec {
  /** The trace file (.jsonl Mooncake, .csv Azure or BurstGPT). */
  file: string;
  /** When the file name and CSV header do not tell. */
  format?: TraceFormat;
  /** Replay speed: 2 sends twice as fast as recorded (default 1). */
  speed?: number;
}

/** Search for the highest load that meets the spec's `slo` (see capacity/judge.ts for the statistics). */
export interface CapacitySpec {
  /** What the search varies: open-loop request rate (Poisson arrivals; default) or closed-loop concurrency. */
  dimension?: 'rate' | 'concurrency';
  /** First load tried (default 1), and the highest ever tried (default 1024). */
  start?: number;
  max?: number;
  /** Stop when the highest passing and lowest failing loads are this close, relative (default 0.1). */
  resolution?: number;
  /** Confidence of each point's verdict (default 0.95). */
  confidence?: number;
  /** The SLO's bounds hold for this percentile of requests (default 99) — unless minGoodput gives a share. */
  percentile?: number;
  /** Requests at the first look and at most per point (defaults 100 and 3200). */
  minRequests?: number;
  maxRequests?: number;
}

/** Multi-turn conversations: each user holds a chat whose history grows turn by turn (the answers appended). */
export interface SessionsSpec {
  /** Conversations going on at once (one per simulated user). */
  users: number;
  /** User turns per conversation (default 4). */
  turns?: number;
  /** Seconds between an answer and the user's next turn (default 0). */
  thinkTimeSec?: number;
  /** Conversations in all (default: one per user); a user starts the next one when theirs ends. */
  conversations?: number;
  /**
   * Replay the dataset's own conversations (text.dataset: ShareGPT `conversations` or `messages`): the
   * first `turns` human turns of one conversation are the successive user turns of one session, each
   * answer as long as the recorded reply; the history grows with the server's answers.
   */
  fromDataset?: boolean;
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
  /** Replay a request trace at its recorded times (text generation): one step. */
  trace?: TraceSpec;
  /** Find the highest load meeting `slo`: one step per load tried. */
  capacity?: CapacitySpec;
  /** Multi-turn chat sessions (text generation, chat API): one step. */
  sessions?: SessionsSpec;
  /** MLPerf's Offline scenario: every query sent at once, judged on throughput; one step per batch size. */
  offline?: OfflineSpec;
}

export interface OfflineSpec {
  /** Queries sent at once (default 1024). */
  queries?: number;
  /** The throughput the verdict asks for, in the group's unit: output tokens/s (text), images/s, inputs/s. */
  minThroughput?: number;
  /**
   * A valid run lasts at least this long, from the queries' issue to the last answer (default 600, the
   * MLPerf loadgen's Offline min_duration). Lower it for a quick look: the verdict names the minimums used.
   */
  minDurationSec?: number;
  /** A valid run has at least this many queries (default 24576, MLPerf's Offline min_query_count). */
  minQueries?: number;
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
  /**
   * Shared-prefix groups: request i belongs to group i mod `groups`, and its prompt starts with its group's
   * prefix of `tokens` tokens (the server's count); `inputTokens` is then the part after the prefix.
   */
  sharedPrefix?: { groups: number; tokens: number };
  /**
   * LoRA traffic: requests name these adapters (the OpenAI `model` field) in
   * proportion to their weights (default 1); the base model's own name is
   * allowed too. Each adapter gets its own report.
   */
  lora?: LoraAdapter[];
}

export interface LoraAdapter {
  name: string;
  weight?: number;
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
  /** Stop once more than this fraction (0–1) of the last 50 requests failed (CLI exit 7). */
  maxErrorRate?: number;
  /** Seconds a failing server gets (retried with back-off) before the run stops; default 15. */
  failureGraceSec?: number;
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
