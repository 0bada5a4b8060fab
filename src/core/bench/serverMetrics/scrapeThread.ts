/**
 * Server metrics scraped in a worker thread of their own (scrapeWorker.ts),
 * off the engine's event loop: reading an endpoint, parsing a real vLLM scrape
 * (~55 KB, ~500 samples) and mapping it take about a millisecond of CPU, which
 * on the engine's thread would delay the timers and timestamps of every
 * request in flight (bench:engine section 6 measures both ways). The engine's
 * thread only receives each scrape's mapped points and, at the end, the series
 * and the first/last sample indexes the cross-checks need.
 *
 * Times: the worker has its own `performance.now()` origin, so the run's
 * origin crosses over on the process's monotonic clock (process.hrtime), which
 * both threads share; the points come back already relative to the run's start.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SampleIndex } from './derive';
import type { ScraperOptions } from './scraper';
import { ServerMetricsScraper } from './scraper';
import type { ServerMetricsInfo, ServerMetricsPoint, ServerMetricsResult } from './types';

/** What the worker gets: the options that cross a thread (no callbacks). */
export type ThreadData = Omit<ScraperOptions, 'emit' | 'logger' | 'nvidiaSmi' | 'docker'>;

export type ThreadRequest = { id: number } & (
  { type: 'begin'; originMono: number } | { type: 'read' } | { type: 'stop' } | { type: 'pause'; paused: boolean }
);

export type ThreadAnswer =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'event'; event: ServerMetricsPoint | ServerMetricsInfo }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string }
  | { type: 'done'; id: number; value?: unknown; error?: string };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

type Stopped = Omit<ServerMetricsResult, 'crossChecks'>;

/** What runBenchmark uses of a scraper, whichever thread it runs on. */
export interface RunScraper {
  begin(origin: number): Promise<void>;
  readNow(): Promise<void>;
  /** bench:engine's on/off windows (ServerMetricsScraper.setPaused). */
  setPaused(paused: boolean): Promise<void>;
  stop(): Promise<Stopped>;
  readonly firstIndex: SampleIndex | undefined;
  readonly lastIndex: SampleIndex | undefined;
  readonly firstTime: number | undefined;
  readonly lastTime: number | undefined;
}

/**
 * The worker script: dist/scrapeWorker.js next to the bundle that runs (CLI, extension, a bench's bundle);
 * undefined from source (tsx cannot load the worker's lazy `import()` of Docker in a thread), where the scraper
 * stays on the engine's thread. Tests bundle the worker and pass it in.
 */
export function scrapeWorkerEntry(dir = __dirname): string | undefined {
  const bundled = path.join(dir, 'scrapeWorker.js');
  return fs.existsSync(bundled) ? bundled : undefined;
}

const monoOffset = () => Number(process.hrtime.bigint()) / 1e6 - performance.now();

class ThreadScraper implements RunScraper {
  firstIndex: SampleIndex | undefined;
  lastIndex: SampleIndex | undefined;
  firstTime: number | undefined;
  lastTime: number | undefined;
  private next = 0;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private exited: Error | undefined;

  constructor(private readonly w: Worker) {
    w.once('exit', (code) => {
      this.exited = new Error(`the server-metrics thread exited (code ${code})`);
      for (const p of this.waiting.values()) p.reject(this.exited);
      this.waiting.clear();
    });
  }

  answered(m: Extract<ThreadAnswer, { type: 'done' }>): void {
    const p = this.waiting.get(m.id);
    this.waiting.delete(m.id);
    if (m.error !== undefined) p?.reject(new Error(m.error));
    else p?.resolve(m.value);
  }

  private ask<T>(req: DistributiveOmit<ThreadRequest, 'id'>): Promise<T> {
    if (this.exited) return Promise.reject(this.exited);
    const id = ++this.next;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.w.postMessage({ id, ...req } satisfies ThreadRequest);
    });
  }

  begin(origin: number): Promise<void> {
    return this.ask({ type: 'begin', originMono: origin + monoOffset() });
  }

  readNow(): Promise<void> {
    return this.ask({ type: 'read' });
  }

  setPaused(paused: boolean): Promise<void> {
    return this.ask({ type: 'pause', paused });
  }

  async stop(): Promise<Stopped> {
    try {
      const r = await this.ask<{
        series: Stopped;
        firstIndex?: SampleIndex;
        firstTime?: number;
        lastIndex?: SampleIndex;
        lastTime?: number;
      }>({ type: 'stop' });
      Object.assign(this, {
        firstIndex: r.firstIndex,
        firstTime: r.firstTime,
        lastIndex: r.lastIndex,
        lastTime: r.lastTime,
      });
      return r.series;
    } finally {
      await this.w.terminate();
    }
  }
}

/**
 * Prepares the run's scraper in its own worker thread (resolves once GPU and container discovery are done, as
 * ServerMetricsScraper.prepare does). Options holding callbacks a thread cannot take (a test's fake nvidia-smi or
 * Docker), or a missing worker script, keep it on this thread; the logger says which.
 */
export async function prepareScraper(o: ScraperOptions, entry = scrapeWorkerEntry()): Promise<RunScraper> {
  if (o.nvidiaSmi || o.docker || !entry) {
    o.logger?.debug(
      `Server metrics are read on the engine's thread (${entry ? 'test doubles for nvidia-smi or Docker' : 'running from source: no scrapeWorker.js next to the bundle'}).`,
    );
    return ServerMetricsScraper.prepare(o);
  }
  const { emit, logger, nvidiaSmi: _n, docker: _d, ...data } = o;
  const workerData: ThreadData = data;
  const w = new Worker(entry, { workerData });
  // A run that fails before stop() must not be kept alive by its scraper's thread.
  w.unref();
  const scraper = new ThreadScraper(w);
  await new Promise<void>((resolve, reject) => {
    w.on('message', (m: ThreadAnswer) => {
      if (m.type === 'ready') resolve();
      else if (m.type === 'failed') reject(new Error(m.message));
      else if (m.type === 'event') emit?.(m.event);
      else if (m.type === 'log') logger?.[m.level](m.message);
      else scraper.answered(m);
    });
    w.once('error', reject);
    w.once('exit', (code) => reject(new Error(`the server-metrics thread exited (code ${code}) before it was ready`)));
  }).catch(async (e: Error) => {
    await w.terminate();
    throw e;
  });
  w.on('error', (e) => logger?.warn(`Server metrics thread: ${e.message}`));
  return scraper;
}
