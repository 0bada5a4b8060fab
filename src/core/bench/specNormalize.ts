import { defaultPercentiles } from '../stats/describe';
import {
  benchGroups,
  datasetFormats,
  groupApis,
  profileNames,
  type BenchApi,
  type BenchGroup,
  type BenchSpec,
  type EmbeddingsWorkload,
  type ImageWorkload,
  type LengthSpec,
  type ProfileName,
  type Slo,
  type TextWorkload,
} from './spec';

/** A spec that cannot run: the message says which field and why (CLI exit code 2). */
export class BenchSpecError extends Error {
  override readonly name = 'BenchSpecError';
}

export type LoadMode = 'concurrency' | 'rate' | 'sweep';

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
  text: TextWorkload;
  image: ImageWorkload;
  embeddings: EmbeddingsWorkload;
  apiKeyEnv?: string;
  grpcAddress?: string;
  serverMetrics: { enabled: boolean; intervalSec: number; url?: string; dcgmUrl?: string; container?: string };
}

const positiveInt = (v: number) => Number.isInteger(v) && v > 0;

function check(ok: boolean, message: string): void {
  if (!ok) throw new BenchSpecError(message);
}

function length(spec: Partial<LengthSpec> | undefined, fallback: number, what: string): LengthSpec {
  const out: LengthSpec = { mean: spec?.mean ?? fallback, std: spec?.std ?? 0 };
  if (spec?.min !== undefined) out.min = spec.min;
  if (spec?.max !== undefined) out.max = spec.max;
  check(Number.isFinite(out.mean) && out.mean >= 1, `${what}: mean must be at least 1 token`);
  check((out.std ?? 0) >= 0, `${what}: std must not be negative`);
  return out;
}

function sizes(list: number[] | undefined, what: string): number[] {
  const out = list?.length ? [...list] : [1];
  check(out.every(positiveInt), `${what}: batch sizes must be positive integers`);
  return out;
}

function loadOf(spec: BenchSpec): NormalizedSpec['load'] {
  const l = spec.load ?? {};
  const sweep = typeof l.sweep === 'object' ? l.sweep : undefined;
  const given = [l.concurrency?.length ? 'concurrency' : '', l.rate?.length ? 'rate' : '', l.sweep ? 'sweep' : ''].filter(Boolean);
  check(given.length <= 1, `Choose one load mode: ${given.join(', ')} were all given`);
  const mode: LoadMode = (given[0] as LoadMode | undefined) ?? 'concurrency';
  const load = {
    mode,
    concurrency: l.concurrency?.length ? [...l.concurrency] : mode === 'concurrency' ? [1] : [],
    rate: l.rate ? [...l.rate] : [],
    burstiness: l.burstiness ?? 1,
    maxInFlight: l.maxInFlight ?? 1024,
    sweepPoints: sweep?.points ?? 5,
    saturationConcurrency: sweep?.saturationConcurrency ?? 64,
  };
  check(load.concurrency.every(positiveInt), 'concurrency: each step must be a positive integer');
  check(load.rate.every((r) => r > 0), 'rate: each step must be a positive number of requests per second (or inf)');
  check(load.burstiness > 0, 'burstiness must be positive');
  check(positiveInt(load.maxInFlight), 'maxInFlight must be a positive integer');
  check(positiveInt(load.sweepPoints) && positiveInt(load.saturationConcurrency), 'sweep: points and saturationConcurrency must be positive integers');
  return load;
}

function serverMetricsOf(v: BenchSpec['serverMetrics']): NormalizedSpec['serverMetrics'] {
  const o = typeof v === 'object' && v !== null ? v : {};
  const out: NormalizedSpec['serverMetrics'] = { enabled: v !== false && o.enabled !== false, intervalSec: o.intervalSec ?? 1 };
  check(Number.isFinite(out.intervalSec) && out.intervalSec >= 0.1 && out.intervalSec <= 3600, 'server metrics interval must be between 0.1 and 3600 seconds');
  for (const k of ['url', 'dcgmUrl'] as const) {
    const u = o[k];
    if (u === undefined) continue;
    check(/^https?:\/\/[^\s]+$/i.test(u.trim()), `${k === 'url' ? 'server metrics URL' : 'DCGM exporter URL'} "${u}" is not an http(s) URL`);
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
  check(spec.api === undefined || apis.includes(spec.api), `api "${spec.api}" does not belong to ${spec.group}: use ${apis.join(', ')}`);
  const profile = spec.profile ?? 'vllm';
  check(profileNames.includes(profile), `profile must be one of ${profileNames.join(', ')}`);
  const load = loadOf(spec);
  check(spec.requests === undefined || positiveInt(spec.requests), 'requests must be a positive integer');
  check(spec.durationSec === undefined || spec.durationSec > 0, 'duration must be positive');
  check(!(load.rate.includes(Infinity) && spec.requests === undefined && spec.durationSec !== undefined), 'rate inf sends every request at once: give a request count, not only a duration');
  const slo = spec.slo && Object.keys(spec.slo).length ? { ...spec.slo } : undefined;
  check(!slo || Object.values(slo).every((v) => typeof v === 'number' && v > 0), 'slo bounds must be positive milliseconds');
  check(spec.minGoodput === undefined || (spec.minGoodput >= 0 && spec.minGoodput <= 1), 'min-goodput is a fraction between 0 and 1');
  check(spec.minGoodput === undefined || slo !== undefined, 'min-goodput needs an SLO (--slo ttft=…,tpot=…,e2el=…)');
  const percentiles = spec.percentiles?.length ? [...spec.percentiles] : [...defaultPercentiles];
  check(percentiles.every((p) => p >= 0 && p <= 100), 'percentiles must lie between 0 and 100');
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
    embeddings: { ...spec.embeddings, batchSizes: sizes(spec.embeddings?.batchSizes, 'embeddings'), inputTokens: length(spec.embeddings?.inputTokens, 64, 'embedding input tokens') },
    serverMetrics: serverMetricsOf(spec.serverMetrics),
  };
  check(Number.isInteger(out.warmup) && out.warmup >= 0, 'warmup must be a whole number of requests');
  check(out.timeoutSec > 0, 'timeout must be positive');
  if (spec.text?.dataset) {
    out.text.dataset = spec.text.dataset;
    out.text.maxPrompts = spec.text.maxPrompts ?? 1024;
    check(positiveInt(out.text.maxPrompts), 'maxPrompts must be a positive integer');
    check(spec.text.datasetFormat === undefined || datasetFormats.includes(spec.text.datasetFormat), `datasetFormat must be one of ${datasetFormats.join(', ')}`);
    if (spec.text.datasetFormat) out.text.datasetFormat = spec.text.datasetFormat;
    if (spec.text.promptField) out.text.promptField = spec.text.promptField;
  } else check(!spec.text?.datasetFormat && !spec.text?.promptField && spec.text?.maxPrompts === undefined, 'datasetFormat, promptField and maxPrompts need a dataset (text.dataset)');
  for (const k of ['api', 'model', 'requests', 'durationSec', 'minGoodput', 'apiKeyEnv', 'grpcAddress'] as const) {
    if (spec[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = spec[k];
  }
  if (slo) out.slo = slo;
  if (out.requests === undefined && out.durationSec === undefined) out.requests = 100;
  return out;
}
