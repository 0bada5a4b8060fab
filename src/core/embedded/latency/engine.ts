/**
 * The latency engine: one scheduler per model, shared by every personality,
 * so a request through vLLM and one through Ollama compete for the same
 * simulated batch slots, as on a real single-GPU host.
 */
import { systemClock, type Clock } from '../clock';
import type { EmbeddingModelInfo, ImageModelInfo, TextModelInfo } from '../models/types';
import { BatchScheduler, type BatchTimings } from './batchScheduler';
import type { Generation } from './generation';
import { TextScheduler, type GenerateRequest } from './textScheduler';

export type { BatchTimings } from './batchScheduler';
export type { Generation, GenerationTimings, JobTimings, TokenEvent } from './generation';
export type { GenerateRequest } from './textScheduler';

export interface TextEngineStats {
  /** Sequences holding a batch slot. */
  running: number;
  /** Requests waiting for a slot. */
  waiting: number;
  /** KV-cache usage 0–1 (active prompt + generated tokens over capacity). */
  kvCacheUsage: number;
}

export interface BatchEngineStats {
  /** Batches executing. */
  running: number;
  /** Requests waiting for an instance. */
  waiting: number;
}

export class LatencyEngine {
  private readonly text = new Map<string, TextScheduler>();
  private readonly batch = new Map<string, BatchScheduler>();

  constructor(readonly clock: Clock = systemClock) {}

  /**
   * Times a generation of `outputTokens` tokens after a prompt of
   * `promptTokens`: iterate the result for token events, or await `.done`.
   */
  generate(model: TextModelInfo, req: GenerateRequest): Generation {
    return this.textScheduler(model).generate(req);
  }

  /** Times a classification or embedding request of `items` items through the model's dynamic batcher. */
  runBatch(
    model: EmbeddingModelInfo | ImageModelInfo,
    items: number,
    opts: { extraDelayMs?: number; signal?: AbortSignal } = {},
  ): Promise<BatchTimings> {
    return this.batchScheduler(model).run(items, opts);
  }

  textStats(model: TextModelInfo): TextEngineStats {
    const s = this.text.get(model.name);
    if (!s) return { running: 0, waiting: 0, kvCacheUsage: 0 };
    return {
      running: s.running,
      waiting: s.queued,
      kvCacheUsage: Math.min(1, s.kvTokens / Math.max(1, model.latency.kvCacheTokens)),
    };
  }

  batchStats(model: EmbeddingModelInfo | ImageModelInfo): BatchEngineStats {
    const s = this.batch.get(model.name);
    return { running: s?.running ?? 0, waiting: s?.queued ?? 0 };
  }

  private textScheduler(model: TextModelInfo): TextScheduler {
    let s = this.text.get(model.name);
    if (!s) this.text.set(model.name, (s = new TextScheduler(model.latency, model.seed, this.clock)));
    return s;
  }

  private batchScheduler(model: EmbeddingModelInfo | ImageModelInfo): BatchScheduler {
    let s = this.batch.get(model.name);
    if (!s) this.batch.set(model.name, (s = new BatchScheduler(model.latency, model.seed, this.clock)));
    return s;
  }
}
