import { describe, type Distribution } from '../../stats/describe';
import type { SampleBuffer } from '../../stats/sampleBuffer';
import { isSuccess, type RawRecord } from '../record';
import type { SummaryKeys } from '../../../shared/resultMetrics';
import type { BenchGroup, ProfileName, Slo } from '../spec';
import type { ReasoningSummary } from './reasoning';

/** One metric's distribution, under the name its tool gives it, with its unit. */
export interface MetricSummary extends Distribution {
  label: string;
  unit: string;
}

/**
 * The figures and metrics a profile may write, by its key names
 * (src/shared/resultMetrics.ts): summaries are built `satisfies` these, so a
 * key the readers don't know fails type-checking, and a profile without keys
 * there fails here.
 */
export type FiguresOf<P extends ProfileName> = Partial<Record<SummaryKeys[P]['throughput'], Figure>>;
export type MetricsOf<P extends ProfileName> = Partial<Record<SummaryKeys[P]['metrics'], MetricSummary>>;

/** A single throughput figure (requests/s, tokens/s, images/s…). */
export interface Figure {
  label: string;
  unit: string;
  value: number;
}

export interface GoodputSummary {
  slo: Slo;
  /** Requests meeting every bound of the SLO. */
  good: number;
  /** Requests the ratio is taken over (see the profile's rules in media/guide/benchmarks/metrics.md). */
  considered: number;
  /** good / considered (0 when nothing was considered). */
  ratio: number;
  /** The tool's goodput: good requests per second of its benchmark duration. */
  perSec: number;
}

/** The summary of one step, computed by one profile from the step's raw records. */
export interface StepSummary {
  profile: ProfileName;
  /** The duration the profile divides by, in seconds. */
  durationSec: number;
  counts: { completed: number; failed: number; cancelled: number; total: number };
  throughput: Record<string, Figure>;
  metrics: Record<string, MetricSummary>;
  goodput?: GoodputSummary;
  /** Text generation against a reasoning model: reasoning and answer apart (same definitions under every profile). */
  reasoning?: ReasoningSummary;
  /** LoRA traffic: the same profile's summary of each adapter's requests (over the step's window), in spec order. */
  adapters?: Array<{ name: string; summary: StepSummary }>;
}

/** Measured phase of a step, ms since run start: first scheduled send to last completion. */
export interface StepWindow {
  start: number;
  end: number;
}

export interface ProfileOptions {
  group: BenchGroup;
  percentiles: readonly number[];
  slo?: Slo;
  /** LoRA traffic: the adapter names (record `ad` indexes them); each gets its own summary. */
  adapters?: readonly string[];
}

/** Folds a step's records one at a time (constant memory per record) into its summary. */
export interface ProfileAccumulator {
  add(r: RawRecord): void;
  finish(window: StepWindow): StepSummary;
}

export function metric(label: string, unit: string, d: Distribution): MetricSummary {
  return { label, unit, ...d };
}

/** Adds a metric only when it has samples: GenAI-Perf and AIPerf leave a metric with no value out. */
export function putMetric<K extends string>(
  into: Partial<Record<K, MetricSummary>>,
  key: K,
  label: string,
  unit: string,
  v: SampleBuffer,
  percentiles: readonly number[],
): void {
  if (v.length) into[key] = metric(label, unit, describe(v.view(), percentiles));
}

export function figure(label: string, unit: string, value: number): Figure {
  return { label, unit, value };
}

/** What the batch groups count per request: images for classification, inputs for embeddings. */
export function itemWord(group: BenchGroup): { key: 'imagesPerSec' | 'inputsPerSec'; label: string; unit: string } {
  return group === 'image-classification'
    ? { key: 'imagesPerSec', label: 'Images/s', unit: 'images/s' }
    : { key: 'inputsPerSec', label: 'Inputs/s', unit: 'inputs/s' };
}

/** Divides, giving 0 for an empty or zero-length window rather than Infinity/NaN. */
export function per(n: number, seconds: number): number {
  return seconds > 0 ? n / seconds : 0;
}

/**
 * The request counts every profile keeps: warm-up requests are skipped,
 * cancelled and failed ones counted here, and `successful()` says whether a
 * record is a measured success for the profile to look at.
 */
export class RequestTally {
  completed = 0;
  failed = 0;
  cancelled = 0;

  successful(r: RawRecord): boolean {
    if (r.w) return false;
    if (r.x) {
      this.cancelled++;
      return false;
    }
    if (!isSuccess(r)) {
      this.failed++;
      return false;
    }
    return true;
  }

  counts(): StepSummary['counts'] {
    return {
      completed: this.completed,
      failed: this.failed,
      cancelled: this.cancelled,
      total: this.completed + this.failed + this.cancelled,
    };
  }
}

export function goodputOf(slo: Slo, good: number, considered: number, seconds: number): GoodputSummary {
  return { slo, good, considered, ratio: considered ? good / considered : 0, perSec: per(good, seconds) };
}

/** The summary fields vLLM and GenAI-Perf share: counts and completed requests per second of `seconds`. */
export function baseSummary(
  profile: ProfileName,
  seconds: number,
  tally: RequestTally,
  metrics: Record<string, MetricSummary> = {},
): StepSummary {
  return {
    profile,
    durationSec: seconds,
    counts: tally.counts(),
    throughput: {
      request_throughput: figure('Request throughput', 'req/s', per(tally.completed, seconds)),
    } satisfies FiguresOf<'vllm'> & FiguresOf<'genai-perf'> & FiguresOf<'aiperf'>,
    metrics,
  };
}
