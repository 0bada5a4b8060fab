import { defaultPercentiles } from '../stats/describe';
import { promptPoolSize } from './workload/textWorkload';
import {
  benchGroups,
  datasetFormats,
  groupApis,
  profileNames,
  traceFormats,
  type BenchApi,
  type BenchGroup,
  type BenchSpec,
  type CapacitySpec,
  type EmbeddingsWorkload,
  type ImageWorkload,
  type LengthSpec,
  type LoraAdapter,
  type ProfileName,
  type OfflineSpec,
  type SessionsSpec,
  type Slo,
  type TextWorkload,
  type TraceFormat,
} from './spec';

/** A spec that cannot run: the message says which field and why (CLI exit code 2). */
export class BenchSpecError extends Error {
  override readonly name = 'BenchSpecError';
}

export type LoadMode = 'concurrency' | 'rate' | 'sweep' | 'trace' | 'capacity' | 'sessions';

export type NormalizedCapacity = Required<CapacitySpec> & { criterion: 'percentile' | 'goodput' };

/** A spec with every default filled in: what the engine runs and the result file records. */
export interface NormalizedSpec {
  url: string;
  group: BenchGroup;
  /** Resolved by the engine from the server kind when the spec leaves it out. */
  api?: BenchApi;
  model?: string;
  load: {
    mode: LoadMode;
    concurrency: number[];
    rate: number[];
    burstiness: number;
    maxInFlight: number;
    sweepPoints: number;
    saturationConcurrency: number;
    trace?: { file: string; format?: TraceFormat; speed: number };
    capacity?: NormalizedCapacity;
    sessions?: Required<Omit<SessionsSpec, 'fromDataset'>> & { fromDataset?: true };
    /** MLPerf Offline: run as one concurrency step of `queries` per batch size (every query at once). */
    offline?: { queries: number; minThroughput?: number; minDurationSec: number; minQueries: number };
  };
  requests?: number;
  durationSec?: number;
  warmup: number;
  timeoutSec: number;
  seed: number;
  profile: ProfileName;
  percentiles: number[];
  slo?: Slo;
  minGoodput?: number;
  maxErrorRate?: number;
  failureGraceSec?: number;
  text: TextWorkload;
  image: ImageWorkload;
  embeddings: EmbeddingsWorkload;
  apiKeyEnv?: string;
  grpcAddress?: string;
  serverMetrics: { enabled: boolean; intervalSec: number; url?: string; dcgmUrl?: string; container?: string };
}

const positiveInt = (v: number) => Number.isInteger(v) && v > 0;

/**
 * Upper bounds that keep every spec inside this process's memory and the
 * timers' range (docs/cli.md, limits). Each comes with a message naming it.
 */
export const specLimits = {
  /** Concurrent requests (and open-loop in-flight cap): one socket and one pending record each. */
  concurrency: 10_000,
  /** Items per request (images, embedding inputs). */
  batchSize: 4096,
  /** Tokens per prompt or per answer. */
  tokens: 1_000_000,
  /** Elements of one image tensor, and of one whole batch. */
  tensorElements: 16 * 1024 * 1024,
  batchElements: 64 * 1024 * 1024,
  /** Per-request timeout and failure grace (s): one day, inside the range of Node's timers. */
  timeoutSec: 86_400,
  sweepPoints: 100,
  percentiles: 100,
};

/** Whole numbers that are exact as doubles (a request count of 1e30 is not). */
const countInt = (v: number) => Number.isSafeInteger(v) && v > 0;

/** LoRA adapters: names unique and non-empty, weights positive; the OpenAI APIs (the adapter goes in `model`). */
function loraOf(spec: BenchSpec, mode: LoadMode): LoraAdapter[] {
  const list = spec.text!.lora!;
  check(spec.group === 'text-generation', 'lora: LoRA adapters are for text-generation');
  check(
    Array.isArray(list) && list.length > 0,
    'lora: give at least one adapter, e.g. [{ name: sql-lora, weight: 3 }]',
  );
  check(
    spec.api === undefined || spec.api === 'openai-chat' || spec.api === 'openai-completions',
    `lora: adapters are named in the OpenAI model field: use api openai-chat or openai-completions (not ${spec.api})`,
  );
  check(
    mode !== 'trace' && mode !== 'sessions',
    `lora: a LoRA split works with concurrency, rate, sweep and capacity loads, not with load.${mode}`,
  );
  const seen = new Set<string>();
  return list.map((a, k) => {
    check(typeof a?.name === 'string' && a.name.trim() !== '', `lora[${k}]: an adapter needs a name`);
    check(!seen.has(a.name), `lora: adapter "${a.name}" is listed twice`);
    seen.add(a.name);
    const weight = a.weight ?? 1;
    check(
      typeof weight === 'number' && Number.isFinite(weight) && weight > 0,
      `lora: adapter "${a.name}" needs a positive weight (got ${String(a.weight)})`,
    );
    return { name: a.name, weight };
  });
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new BenchSpecError(message);
}

function length(spec: Partial<LengthSpec> | undefined, fallback: number, what: string): LengthSpec {
  const out: LengthSpec = { mean: spec?.mean ?? fallback, std: spec?.std ?? 0 };
  if (spec?.min !== undefined) out.min = spec.min;
  if (spec?.max !== undefined) out.max = spec.max;
  check(Number.isFinite(out.mean) && out.mean >= 1, `${what}: mean must be at least 1 token`);
  check((out.std ?? 0) >= 0, `${what}: std must not be negative`);
  check(
    out.mean <= specLimits.tokens && (out.max ?? 0) <= specLimits.tokens && (out.std ?? 0) <= specLimits.tokens,
    `${what}: at most ${specLimits.tokens.toLocaleString('en-US')} tokens`,
  );
  return out;
}

function sizes(list: number[] | undefined, what: string): number[] {
  const out = list?.length ? [...list] : [1];
  check(out.every(positiveInt), `${what}: batch sizes must be positive integers`);
  check(
    out.every((b) => b <= specLimits.batchSize),
    `${what}: a batch size is above the maximum of ${specLimits.batchSize}`,
  );
  return out;
}

function capacityOf(spec: BenchSpec, c: CapacitySpec): NormalizedCapacity {
  const slo = spec.slo ?? {};
  check(
    Object.keys(slo).length > 0,
    'capacity search needs an SLO: slo: { ttft: 500, tpot: 50 } (ms; --slo ttft=500,tpot=50)',
  );
  check(
    spec.group === 'text-generation' || (slo.ttft === undefined && slo.tpot === undefined),
    `${spec.group} has no TTFT or TPOT: give its SLO as slo.e2el (ms)`,
  );
  const out: NormalizedCapacity = {
    dimension: c.dimension ?? 'rate',
    start: c.start ?? 1,
    max: c.max ?? 1024,
    resolution: c.resolution ?? 0.1,
    confidence: c.confidence ?? 0.95,
    percentile: c.percentile ?? 99,
    minRequests: c.minRequests ?? 100,
    maxRequests: c.maxRequests ?? 3200,
    criterion: spec.minGoodput !== undefined ? 'goodput' : 'percentile',
  };
  check(out.dimension === 'rate' || out.dimension === 'concurrency', 'capacity: dimension is rate or concurrency');
  check(out.start > 0 && out.max >= out.start, 'capacity: start must be positive and max at least start');
  check(
    out.dimension === 'rate' || (positiveInt(out.start) && positiveInt(out.max)),
    'capacity: concurrency start and max are whole numbers',
  );
  check(
    out.resolution > 0 && out.resolution < 1,
    'capacity: resolution is a fraction between 0 and 1 (0.1 = within 10 %)',
  );
  check(out.confidence >= 0.5 && out.confidence < 1, 'capacity: confidence is between 0.5 and 1 (e.g. 0.95)');
  check(out.percentile > 0 && out.percentile < 100, 'capacity: percentile is between 0 and 100 (e.g. 99)');
  check(
    spec.minGoodput === undefined || spec.minGoodput < 1,
    'capacity: minGoodput must be below 1 (a share of 1 can never be shown with confidence)',
  );
  check(
    positiveInt(out.minRequests) && positiveInt(out.maxRequests) && out.maxRequests >= out.minRequests,
    'capacity: minRequests and maxRequests are whole numbers, maxRequests ≥ minRequests',
  );
  return out;
}

function sessionsOf(spec: BenchSpec, s: SessionsSpec): NonNullable<NormalizedSpec['load']['sessions']> {
  check(spec.group === 'text-generation', 'sessions: multi-turn conversations are for text-generation');
  check(
    spec.api === undefined || spec.api === 'openai-chat',
    `sessions: a conversation's history is sent as chat messages: use api openai-chat, not ${spec.api}`,
  );
  const out = {
    users: s.users,
    turns: s.turns ?? 4,
    thinkTimeSec: s.thinkTimeSec ?? 0,
    conversations: s.conversations ?? s.users,
  };
  check(
    positiveInt(out.users) && out.users <= specLimits.concurrency,
    `sessions: users is a whole number from 1 to ${specLimits.concurrency} (conversations at once)`,
  );
  check(positiveInt(out.turns) && out.turns <= 1000, 'sessions: turns is a whole number from 1 to 1000');
  check(
    Number.isFinite(out.thinkTimeSec) && out.thinkTimeSec >= 0 && out.thinkTimeSec <= specLimits.timeoutSec,
    `sessions: thinkTimeSec is a number of seconds from 0 to ${specLimits.timeoutSec}`,
  );
  check(countInt(out.conversations), 'sessions: conversations is a positive whole number');
  check(
    spec.requests === undefined,
    'sessions: a run sends conversations × turns requests; set load.sessions.conversations (or durationSec), not requests',
  );
  check(s.fromDataset === undefined || typeof s.fromDataset === 'boolean', 'sessions: fromDataset is true or false');
  if (!s.fromDataset) return out;
  check(
    !!spec.text?.dataset,
    'sessions: fromDataset replays a dataset\'s conversations: give text.dataset (ShareGPT "conversations" or "messages" entries)',
  );
  check(
    spec.text?.promptField === undefined,
    'sessions: fromDataset reads whole conversations, not a prompt column (text.promptField)',
  );
  return { ...out, fromDataset: true };
}

function loadOf(spec: BenchSpec): NormalizedSpec['load'] {
  const l = spec.load ?? {};
  const sweep = typeof l.sweep === 'object' ? l.sweep : undefined;
  const given = [
    l.concurrency?.length ? 'concurrency' : '',
    l.rate?.length ? 'rate' : '',
    l.sweep ? 'sweep' : '',
    l.trace ? 'trace' : '',
    l.capacity ? 'capacity' : '',
    l.sessions ? 'sessions' : '',
    l.offline ? 'offline' : '',
  ].filter(Boolean);
  check(given.length <= 1, `Choose one load mode: ${given.join(', ')} were all given`);
  // Offline is closed loop with every query in flight at once: a concurrency step of `queries`.
  const offline = l.offline ? offlineOf(spec, l.offline) : undefined;
  const mode: LoadMode = offline ? 'concurrency' : ((given[0] as LoadMode | undefined) ?? 'concurrency');
  const load: NormalizedSpec['load'] = {
    mode,
    concurrency: offline
      ? [offline.queries]
      : l.concurrency?.length
        ? [...l.concurrency]
        : mode === 'concurrency'
          ? [1]
          : [],
    rate: l.rate ? [...l.rate] : [],
    burstiness: l.burstiness ?? 1,
    maxInFlight: l.maxInFlight ?? 1024,
    sweepPoints: sweep?.points ?? 5,
    saturationConcurrency: sweep?.saturationConcurrency ?? 64,
  };
  check(load.concurrency.every(positiveInt), 'concurrency: each step must be a positive integer');
  const L = specLimits.concurrency;
  check(
    load.concurrency.every((c) => c <= L),
    `concurrency: ${Math.max(...load.concurrency)} is above the maximum of ${L} concurrent requests`,
  );
  check(load.maxInFlight <= L, `maxInFlight: ${load.maxInFlight} is above the maximum of ${L} requests in flight`);
  check(
    load.saturationConcurrency <= L,
    `sweep: saturationConcurrency ${load.saturationConcurrency} is above the maximum of ${L}`,
  );
  check(load.sweepPoints <= specLimits.sweepPoints, `sweep: at most ${specLimits.sweepPoints} points`);
  check(
    load.rate.every((r) => r > 0),
    'rate: each step must be a positive number of requests per second (or inf)',
  );
  check(load.burstiness > 0, 'burstiness must be positive');
  check(positiveInt(load.maxInFlight), 'maxInFlight must be a positive integer');
  check(
    positiveInt(load.sweepPoints) && positiveInt(load.saturationConcurrency),
    'sweep: points and saturationConcurrency must be positive integers',
  );
  if (l.trace) {
    const t = l.trace;
    check(typeof t.file === 'string' && t.file.trim() !== '', 'trace: file is required');
    check(
      t.format === undefined || traceFormats.includes(t.format),
      `trace: format must be one of ${traceFormats.join(', ')}`,
    );
    check(
      t.speed === undefined || (Number.isFinite(t.speed) && t.speed > 0),
      'trace: speed must be a positive number (2 = twice as fast as recorded)',
    );
    check(
      spec.group === 'text-generation',
      'trace replay is for text-generation (the traces record prompt and output tokens)',
    );
    load.trace = { file: t.file, speed: t.speed ?? 1 };
    if (t.format) load.trace.format = t.format;
  }
  if (l.capacity) load.capacity = capacityOf(spec, l.capacity);
  if (l.sessions) load.sessions = sessionsOf(spec, l.sessions);
  if (offline) load.offline = offline;
  return load;
}

/** MLPerf loadgen's Offline minimums for a valid run (mlperf.conf: min_duration 600000 ms, min_query_count 24576). */
export const mlperfOfflineMinimums = { durationSec: 600, queries: 24576 };

function offlineOf(spec: BenchSpec, o: OfflineSpec): NonNullable<NormalizedSpec['load']['offline']> {
  const queries = o.queries ?? 1024;
  check(
    positiveInt(queries) && queries <= specLimits.concurrency,
    `offline: queries is a whole number from 1 to ${specLimits.concurrency} (all are sent at once)`,
  );
  check(
    o.minThroughput === undefined || (Number.isFinite(o.minThroughput) && o.minThroughput > 0),
    'offline: minThroughput is a positive throughput (output tokens/s for text, images/s, inputs/s)',
  );
  const minDurationSec = o.minDurationSec ?? mlperfOfflineMinimums.durationSec;
  check(
    Number.isFinite(minDurationSec) && minDurationSec >= 0 && minDurationSec <= specLimits.timeoutSec,
    `offline: minDurationSec is a number of seconds from 0 to ${specLimits.timeoutSec} (MLPerf: ${mlperfOfflineMinimums.durationSec})`,
  );
  const minQueries = o.minQueries ?? mlperfOfflineMinimums.queries;
  check(
    positiveInt(minQueries),
    `offline: minQueries is a whole number from 1 (MLPerf: ${mlperfOfflineMinimums.queries})`,
  );
  check(
    spec.requests === undefined && spec.durationSec === undefined,
    'offline: the run is its queries, sent at once (offline.queries), not requests or durationSec',
  );
  return {
    queries,
    ...(o.minThroughput !== undefined && { minThroughput: o.minThroughput }),
    minDurationSec,
    minQueries,
  };
}

function serverMetricsOf(v: BenchSpec['serverMetrics']): NormalizedSpec['serverMetrics'] {
  const o = typeof v === 'object' && v !== null ? v : {};
  const out: NormalizedSpec['serverMetrics'] = {
    enabled: v !== false && o.enabled !== false,
    intervalSec: o.intervalSec ?? 1,
  };
  check(
    Number.isFinite(out.intervalSec) && out.intervalSec >= 0.1 && out.intervalSec <= 3600,
    'server metrics interval must be between 0.1 and 3600 seconds',
  );
  for (const k of ['url', 'dcgmUrl'] as const) {
    const u = o[k];
    if (u === undefined) continue;
    check(
      /^https?:\/\/[^\s]+$/i.test(u.trim()),
      `${k === 'url' ? 'server metrics URL' : 'DCGM exporter URL'} "${u}" is not an http(s) URL`,
    );
    out[k] = u.trim();
  }
  if (o.container) out.container = o.container;
  return out;
}

/** Fills defaults and checks ranges; throws BenchSpecError naming the bad field. */
export function normalizeSpec(spec: BenchSpec): NormalizedSpec {
  check(typeof spec.url === 'string' && spec.url.trim() !== '', 'url is required');
  check(benchGroups.includes(spec.group), `group must be one of ${benchGroups.join(', ')}`);
  const apis = groupApis[spec.group] as readonly string[];
  check(
    spec.api === undefined || apis.includes(spec.api),
    `api "${spec.api}" does not belong to ${spec.group}: use ${apis.join(', ')}`,
  );
  const profile = spec.profile ?? 'vllm';
  check(profileNames.includes(profile), `profile must be one of ${profileNames.join(', ')}`);
  const load = loadOf(spec);
  check(
    spec.requests === undefined || countInt(spec.requests),
    `requests must be a positive whole number up to ${Number.MAX_SAFE_INTEGER}`,
  );
  check(spec.durationSec === undefined || spec.durationSec > 0, 'duration must be positive');
  check(
    !(load.rate.includes(Infinity) && spec.requests === undefined && spec.durationSec !== undefined),
    'rate inf sends every request at once: give a request count, not only a duration',
  );
  const slo = spec.slo && Object.keys(spec.slo).length ? { ...spec.slo } : undefined;
  check(
    !slo || Object.values(slo).every((v) => typeof v === 'number' && v > 0),
    'slo bounds must be positive milliseconds',
  );
  check(
    spec.minGoodput === undefined || (spec.minGoodput >= 0 && spec.minGoodput <= 1),
    'min-goodput is a fraction between 0 and 1',
  );
  check(spec.minGoodput === undefined || slo !== undefined, 'min-goodput needs an SLO (--slo ttft=…,tpot=…,e2el=…)');
  const percentiles = spec.percentiles?.length ? [...spec.percentiles] : [...defaultPercentiles];
  check(
    percentiles.every((p) => p >= 0 && p <= 100),
    'percentiles must lie between 0 and 100',
  );
  check(percentiles.length <= specLimits.percentiles, `at most ${specLimits.percentiles} percentiles`);
  check(
    spec.maxErrorRate === undefined || (spec.maxErrorRate >= 0 && spec.maxErrorRate <= 1),
    'max-error-rate is a fraction between 0 and 1',
  );
  check(
    spec.failureGraceSec === undefined || (spec.failureGraceSec > 0 && spec.failureGraceSec <= specLimits.timeoutSec),
    `failure grace must be positive and at most ${specLimits.timeoutSec} s`,
  );
  const out: NormalizedSpec = {
    url: spec.url.trim(),
    group: spec.group,
    load,
    warmup: spec.warmup ?? 0,
    timeoutSec: spec.timeoutSec ?? 120,
    seed: spec.seed ?? 0,
    profile,
    percentiles,
    text: {
      inputTokens: length(spec.text?.inputTokens, 128, 'input tokens'),
      outputTokens: length(spec.text?.outputTokens, 128, 'output tokens'),
      ignoreEos: spec.text?.ignoreEos ?? true,
    },
    image: { ...spec.image, batchSizes: sizes(spec.image?.batchSizes, 'image') },
    embeddings: {
      ...spec.embeddings,
      batchSizes: sizes(spec.embeddings?.batchSizes, 'embeddings'),
      inputTokens: length(spec.embeddings?.inputTokens, 64, 'embedding input tokens'),
    },
    serverMetrics: serverMetricsOf(spec.serverMetrics),
  };
  check(
    out.warmup === 0 || countInt(out.warmup),
    `warmup must be a whole number of requests up to ${Number.MAX_SAFE_INTEGER}`,
  );
  check(
    out.timeoutSec > 0 && out.timeoutSec <= specLimits.timeoutSec,
    `timeout must be positive and at most ${specLimits.timeoutSec} s`,
  );
  const shape = out.image.shape;
  if (shape) {
    check(shape.every(positiveInt), 'image shape: dimensions must be positive integers');
    const elements = shape.reduce((a, b) => a * b, 1);
    check(
      elements <= specLimits.tensorElements,
      `image shape ${shape.join('x')}: ${elements.toLocaleString('en-US')} elements is above the maximum of ${specLimits.tensorElements.toLocaleString('en-US')}`,
    );
    check(
      elements * Math.max(...out.image.batchSizes) <= specLimits.batchElements,
      `image batch: ${Math.max(...out.image.batchSizes)} × ${shape.join('x')} is above the maximum of ${specLimits.batchElements.toLocaleString('en-US')} elements per request`,
    );
  }
  if (spec.text?.dataset) {
    out.text.dataset = spec.text.dataset;
    out.text.maxPrompts = spec.text.maxPrompts ?? 1024;
    check(positiveInt(out.text.maxPrompts), 'maxPrompts must be a positive integer');
    check(
      spec.text.datasetFormat === undefined || datasetFormats.includes(spec.text.datasetFormat),
      `datasetFormat must be one of ${datasetFormats.join(', ')}`,
    );
    if (spec.text.datasetFormat) out.text.datasetFormat = spec.text.datasetFormat;
    if (spec.text.promptField) out.text.promptField = spec.text.promptField;
  } else
    check(
      !spec.text?.datasetFormat && !spec.text?.promptField && spec.text?.maxPrompts === undefined,
      'datasetFormat, promptField and maxPrompts need a dataset (text.dataset)',
    );
  const sp = spec.text?.sharedPrefix;
  if (sp) {
    check(
      positiveInt(sp.groups) && sp.groups <= promptPoolSize,
      `sharedPrefix: groups is a whole number from 1 to ${promptPoolSize}`,
    );
    check(
      positiveInt(sp.tokens) && sp.tokens <= specLimits.tokens,
      `sharedPrefix: tokens is a whole number of prefix tokens from 1 to ${specLimits.tokens}`,
    );
    check(!spec.text?.dataset, 'sharedPrefix builds synthetic prompts: it cannot be combined with a dataset');
    check(
      load.mode !== 'trace',
      'sharedPrefix cannot be combined with a trace (a Mooncake trace has its own hash_ids)',
    );
    check(spec.group === 'text-generation', 'sharedPrefix is for text-generation');
    out.text.sharedPrefix = { groups: sp.groups, tokens: sp.tokens };
  }
  if (spec.text?.lora) out.text.lora = loraOf(spec, load.mode);
  for (const k of [
    'api',
    'model',
    'requests',
    'durationSec',
    'minGoodput',
    'maxErrorRate',
    'failureGraceSec',
    'apiKeyEnv',
    'grpcAddress',
  ] as const) {
    if (spec[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = spec[k];
  }
  if (slo) out.slo = slo;
  if (load.offline) out.requests = load.offline.queries;
  // A trace runs to its end unless bounded.
  if (
    out.requests === undefined &&
    out.durationSec === undefined &&
    load.mode !== 'trace' &&
    load.mode !== 'capacity' &&
    load.mode !== 'sessions'
  )
    out.requests = 100;
  // A conversation's history is chat messages.
  if (load.mode === 'sessions') out.api = 'openai-chat';
  check(
    load.mode !== 'capacity' || (spec.requests === undefined && spec.durationSec === undefined),
    'capacity: each load point stops by its statistical rule (capacity.minRequests … maxRequests), not by requests or durationSec',
  );
  return out;
}
