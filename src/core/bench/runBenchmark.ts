/**
 * The benchmark engine's entry point, shared by the CLI and the extension:
 * `runBenchmark(spec, {signal, onProgress, recordsPath, logger})`.
 */
import { InferenceError, toInferenceError } from '../http/errors';
import { redactUrl } from '../../shared/redact';
import { CancelledError, TimeoutError, withTimeout } from '../util/abort';
import { nullLogger, type Logger } from '../util/logger';
import { seededUniform } from '../stats/random';
import { now } from './engine/clock';
import { endpointFor } from './engine/endpoint';
import { preflight } from './engine/preflight';
import { resolveServer } from './engine/resolveServer';
import { runStep, type StepContext } from './engine/runStep';
import { textPlanner } from './engine/textTargets';
import { ServerHealth } from './engine/serverHealth';
import { batchSizesOf, fixedSteps, stepInfo, sweepRates } from './engine/stepPlan';
import { targetFactory } from './engine/targets';
import {
  countDatasetPrompts,
  fitSharedPrefixPrompts,
  fitSyntheticPrompts,
  checkTracePrompts,
  ownTokenizer,
  promptTokenizer,
  promptVocabulary,
  type PromptTokenizer,
} from './workload/serverTokenizer';
import { countTokens } from './workload/tokens';
import type { ProgressEvent, StepLoad } from './events';
import { RecordsWriter } from './recordsFile';
import { waitUntilWall, wallNow } from './scale/clock';
import { ShardIndexer, type ShardSpec } from './scale/shard';
import {
  goodputVerdict,
  machineFacts,
  resultSchemaId,
  resultSchemaVersion,
  toolInfo,
  type BenchResult,
  type PrefixCacheResult,
  type StepResult,
} from './result';
import type { BenchApi, BenchSpec, TextApi } from './spec';
import { BenchSpecError, normalizeSpec, type NormalizedSpec } from './specNormalize';
import { prepareWorkload } from './workload/prepare';
import { crossChecks, tallyRecords } from './serverMetrics/crossChecks';
import { serverPrefixCache } from './prefixCache';
import { rawSeriesPathFor } from './serverMetrics/rawSeries';
import { prepareScraper } from './serverMetrics/scrapeThread';
import type { ServerMetricsResult } from './serverMetrics/types';
import { searchCapacity, type CapacityResult } from './capacity/runCapacity';
import { OfflineCollector, offlineVerdict, type OfflineVerdict } from './capacity/offline';
import { readTrace, scanTrace, tracePrompt } from './workload/traces';
import type { TextItem } from './workload/textWorkload';

export interface RunOptions {
  /** Cancels the run promptly; what was measured is kept and the result is marked incomplete. */
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
  /** Where the raw records (JSONL) go. */
  recordsPath: string;
  logger?: Logger;
  /** Sent as `Authorization: Bearer …`; never written to records, results or logs. */
  apiKey?: string;
  /** Live snapshot period (default 1000 ms). */
  progressIntervalMs?: number;
  /** Open-loop pacer: spin threshold in ms (tuning; default 0.3). */
  pacerSpinMs?: number;
  /**
   * bench:engine only (section 6): called once the run's scraper has taken its first reading, with the run's origin
   * on the engine's clock and a switch that pauses and resumes its scheduled readings.
   */
  onScraper?: (s: { origin: number; setPaused(paused: boolean): Promise<void> }) => void;
  /** Run one shard of a scaled-out run (see scale/shard.ts): this process sends only its part of every phase. */
  shard?: ShardSpec & {
    /** Wall-clock ms (epoch, this machine's clock) at which the shards start together, after their pre-flight. */
    startAtWallMs?: number;
    /** Resolves when every shard may start step `index` (a barrier through the coordinator, so that steps do not overlap). */
    beforeStep?: (index: number) => Promise<void>;
  };
}

/** Measured throughput of a step independent of profile: completed / window. */
function throughputOf(s: StepResult): number {
  const sec = (s.window.endMs - s.window.startMs) / 1000;
  return sec > 0 ? s.summary.counts.completed / sec : 0;
}

/** Default grace period before a run against a failing server stops (seconds). */
export const defaultFailureGraceSec = 15;

/**
 * Everything before the first measured request: server detection (bounded by
 * --timeout as a whole: a server that accepts connections and never answers
 * cannot hold the run longer), the workload, and the test request.
 */
async function setUp(spec: NormalizedSpec, opts: RunOptions, signal: AbortSignal, log: Logger) {
  const timeoutMs = spec.timeoutSec * 1000;
  const budget = withTimeout(signal, timeoutMs, 'Server detection');
  let server;
  try {
    server = await resolveServer(spec, { apiKey: opts.apiKey, signal: budget.signal, logger: log });
  } catch (e) {
    if (!signal.aborted && budget.signal.reason instanceof TimeoutError) {
      throw new InferenceError(
        'timeout',
        `Server detection did not finish within --timeout ${spec.timeoutSec} s (${redactUrl(spec.url)})`,
        { cause: e },
      );
    }
    throw e;
  } finally {
    budget.dispose();
  }
  const endpoint = endpointFor(spec.url, opts.apiKey);
  // A Ray Serve application answers under its route prefix: the model's API is there, not at the proxy's root.
  if (server.routePrefix) endpoint.basePath += server.routePrefix;
  const workload = await prepareWorkload(spec, signal);
  const fitWarnings: string[] = [];
  let tok: PromptTokenizer | undefined;
  if (spec.group === 'text-generation') {
    // Prompt lengths in the server's own tokens where it can count them (its tokenize endpoint).
    tok = await promptTokenizer(server.kind, server.api as TextApi, endpoint, server.model, signal);
    const fitted = spec.text.dataset
      ? await countDatasetPrompts(workload.textItems!, tok, signal)
      : spec.text.sharedPrefix
        ? await fitSharedPrefixPrompts(spec.text, spec.seed, tok, signal)
        : await fitSyntheticPrompts(spec.text, spec.seed, tok, signal);
    if (spec.text.sharedPrefix) workload.info.sharedPrefix = { ...spec.text.sharedPrefix };
    workload.textItems = fitted.items;
    server.facts.tokenizer = fitted.source;
    fitWarnings.push(...fitted.warnings);
  }
  const factories = new Map(
    batchSizesOf(spec).map((b) => [b, targetFactory(spec, server, endpoint, b, workload)] as const),
  );
  await preflight(factories.values().next().value!, signal, timeoutMs);
  return { server, workload, factories, fitWarnings, tok };
}

export async function runBenchmark(input: BenchSpec, opts: RunOptions): Promise<BenchResult> {
  const log = opts.logger ?? nullLogger;
  const emit = (e: ProgressEvent) => {
    try {
      opts.onProgress?.(e);
    } catch (err) {
      log.warn(`Progress listener failed: ${(err as Error).message}`);
    }
  };
  const spec = normalizeSpec(input);
  if (opts.shard && spec.load.mode === 'sweep')
    throw new BenchSpecError(
      "A sweep cannot be split over workers (its rates depend on the whole run's throughput): run the rates as a rate list instead.",
    );
  // One reader of the server's metrics per run, not one per shard (the merged result has none).
  if (opts.shard) spec.serverMetrics = { ...spec.serverMetrics, enabled: false };
  if (opts.shard && (spec.load.mode === 'trace' || spec.load.mode === 'capacity' || spec.load.mode === 'sessions'))
    throw new BenchSpecError(
      `A ${{ trace: 'trace replay', capacity: 'capacity search', sessions: 'multi-turn sessions run' }[spec.load.mode]} cannot be split over workers: it runs in one process.`,
    );
  // A trace is checked line by line before the server is contacted: a bad line costs nothing.
  const traceScan = spec.load.trace
    ? await scanTrace(spec.load.trace.file, spec.load.trace.format, opts.signal)
    : undefined;
  const limited = capConcurrency(spec);
  // One signal for the whole run: the caller's cancel, or our own stop when the server fails.
  const stop = new AbortController();
  const signal = stop.signal;
  let stoppedBy: BenchResult['stoppedBy'];
  let stopReason = '';
  const onCancel = () => {
    stoppedBy ??= 'cancelled';
    stop.abort(opts.signal?.reason instanceof Error ? opts.signal.reason : new CancelledError('Benchmark cancelled'));
  };
  if (opts.signal?.aborted) onCancel();
  opts.signal?.addEventListener('abort', onCancel, { once: true });
  let setup;
  try {
    setup = await setUp(spec, opts, signal, log);
  } catch (e) {
    opts.signal?.removeEventListener('abort', onCancel);
    if (!signal.aborted) throw e;
    // Cancelled before anything was measured: an empty result still says what was asked and that it stopped.
    log.debug(`Cancelled during setup: ${toInferenceError(e).message}`);
    const at = new Date();
    await new RecordsWriter(opts.recordsPath, {
      format: 'inference-lab/bench-records',
      version: 1,
      startedAt: at.toISOString(),
    })
      .close()
      .catch(() => undefined);
    const result = emptyResult(spec, at, opts.recordsPath, limited ? [limited] : []);
    emit({ type: 'run-end', incomplete: true, clientBound: false });
    return result;
  }
  const { server, workload, factories, fitWarnings, tok } = setup;
  let sessions: StepContext['sessions'];
  if (spec.load.sessions) {
    const planner = textPlanner(spec, server.api as TextApi, server.model);
    sessions = {
      items: workload.textItems!,
      // Our own count has no chat template: it is the sum of the messages' tokens.
      planFor: (messages, item, counted) =>
        planner({
          prompt: item.prompt,
          messages,
          inputTokens: counted ?? messages.reduce((n, m) => n + countTokens(m.content), 0),
          outputTokens: item.outputTokens,
        }),
      count: tok?.countMessages?.bind(tok),
    };
  }
  let trace: StepContext['trace'];
  if (traceScan) {
    const planner = textPlanner(spec, server.api as TextApi, server.model);
    // Prompts in the server's tokens where it counts them: built from its one-token words, the first lines checked
    // now, so that no tokenize call happens during the schedule.
    const vocab = tok && !tok.source.startsWith(ownTokenizer.source) ? await promptVocabulary(tok, signal) : undefined;
    if (vocab && tok) {
      const first: TextItem[] = [];
      for await (const e of readTrace(spec.load.trace!.file, traceScan.format, signal)) {
        if ('skip' in e) continue;
        first.push(tracePrompt(e, spec.seed, vocab));
        if (first.length >= 8) break;
      }
      const checked = await checkTracePrompts(first, tok, signal);
      server.facts.tokenizer = checked.source;
      fitWarnings.push(...checked.warnings);
    }
    trace = { scan: traceScan, planFor: (e) => planner(tracePrompt(e, spec.seed, vocab)) };
    workload.info.trace = {
      file: spec.load.trace!.file,
      format: traceScan.format,
      speed: spec.load.trace!.speed,
      requests: traceScan.requests,
      skipped: traceScan.skipped,
      skipReasons: traceScan.skipReasons,
      recordedSec: (traceScan.lastMs - traceScan.firstMs) / 1000,
    };
  }
  const health = new ServerHealth({
    graceMs: (spec.failureGraceSec ?? defaultFailureGraceSec) * 1000,
    maxErrorRate: spec.maxErrorRate,
    stop: (reason) => {
      stoppedBy ??= 'server-failed';
      stopReason = reason;
      stop.abort(new CancelledError(`Run stopped: ${reason}`));
    },
    notify: (message) => emit({ type: 'warning', message }),
  });
  const warnings: string[] = [...(limited ? [limited] : []), ...fitWarnings];
  const sm = spec.serverMetrics;
  const scraper = sm.enabled
    ? await prepareScraper({
        settings: {
          enabled: true,
          url: sm.url ?? server.metrics.url,
          unavailableReason: server.metrics.reason,
          intervalMs: sm.intervalSec * 1000,
          dcgmUrl: sm.dcgmUrl,
          container: sm.container,
        },
        apiKey: opts.apiKey,
        serverUrl: spec.url,
        rawPath: rawSeriesPathFor(opts.recordsPath),
        emit,
        logger: log,
      })
    : undefined;
  if (opts.shard?.startAtWallMs !== undefined) {
    const late = wallNow() - opts.shard.startAtWallMs;
    if (late > 0)
      log.warn(`Shard ${opts.shard.index + 1}/${opts.shard.count} is ${late.toFixed(0)} ms late for the common start.`);
    else await waitUntilWall(opts.shard.startAtWallMs, signal);
  }
  const startedAt = new Date();
  const origin = now();
  const indexer = opts.shard ? new ShardIndexer(opts.shard) : undefined;
  await scraper?.begin(origin);
  if (scraper) opts.onScraper?.({ origin, setPaused: (p) => scraper.setPaused(p) });
  let stopped: Awaited<ReturnType<NonNullable<typeof scraper>['stop']>> | undefined;
  const writer = new RecordsWriter(opts.recordsPath, {
    format: 'inference-lab/bench-records',
    version: 1,
    startedAt: startedAt.toISOString(),
  });
  const steps: StepResult[] = [];
  let index = 0;
  const rand = seededUniform(spec.seed ^ 0x5eed);
  const run = async (load: StepLoad, point?: StepContext['point']) => {
    await opts.shard?.beforeStep?.(steps.length);
    const info = stepInfo(spec, steps.length, load);
    const factory = factories.get(load.batchSize)!;
    const s = await runStep({
      info,
      spec,
      factory,
      writer,
      origin,
      nextIndex: indexer ? () => indexer.next() : () => index++,
      shard: indexer,
      rand,
      emit,
      progressIntervalMs: opts.progressIntervalMs ?? 1000,
      signal,
      spinMs: opts.pacerSpinMs,
      health,
      trace: load.trace ? trace : undefined,
      sessions: load.sessions ? sessions : undefined,
      point,
    });
    steps.push(s);
    emit({ type: 'step-end', step: s });
    return s;
  };
  emit({
    type: 'run-start',
    startedAt: startedAt.toISOString(),
    server: { kind: server.kind, version: server.facts.version, model: server.model },
    api: server.api,
    plannedSteps:
      spec.load.mode === 'sweep' || spec.load.mode === 'capacity'
        ? undefined
        : spec.load.mode === 'trace' || spec.load.mode === 'sessions'
          ? 1
          : fixedSteps(spec).length,
  });
  let capacity: CapacityResult | undefined;
  let offline: OfflineVerdict[] | undefined;
  try {
    if (spec.load.capacity) {
      capacity = await searchCapacity(spec, batchSizesOf(spec), run, signal);
    } else if (traceScan) {
      const t = spec.load.trace!;
      const spanSec = (traceScan.lastMs - traceScan.firstMs) / 1000 / t.speed;
      await run({
        mode: 'rate',
        rate: spanSec > 0 ? traceScan.requests / spanSec : Infinity,
        batchSize: 1,
        trace: { file: t.file, format: traceScan.format, speed: t.speed },
      });
    } else if (spec.load.sessions) {
      const s = spec.load.sessions;
      await run({ mode: 'concurrency', concurrency: s.users, batchSize: 1, sessions: { ...s } });
    } else if (spec.load.offline) {
      // MLPerf Offline: every query of the step in flight at once; each step judged on its throughput.
      for (const load of fixedSteps(spec)) {
        if (signal.aborted) break;
        const c = new OfflineCollector();
        const s = await run(load, {
          requests: spec.load.offline.queries,
          observe: (r) => c.observe(r),
          stop: () => false,
        });
        (offline ??= []).push(offlineVerdict(spec, s, c));
      }
    } else if (spec.load.mode !== 'sweep') {
      for (const load of fixedSteps(spec)) if (!signal.aborted) await run(load);
    } else {
      for (const batchSize of batchSizesOf(spec)) {
        if (signal.aborted) break;
        const serial = await run({ mode: 'concurrency', concurrency: 1, batchSize, sweepPhase: 'serial' });
        if (signal.aborted) break;
        const sat = await run({
          mode: 'concurrency',
          concurrency: spec.load.saturationConcurrency,
          batchSize,
          sweepPhase: 'saturation',
        });
        const rates = sweepRates(throughputOf(serial), throughputOf(sat), spec.load.sweepPoints);
        if (!rates.length)
          warnings.push(
            `Sweep (batch ${batchSize}): the saturated throughput (${throughputOf(sat).toFixed(2)} req/s) is not above the serial one (${throughputOf(serial).toFixed(2)} req/s): no rates in between to try.`,
          );
        for (const rate of rates)
          if (!signal.aborted)
            await run({ mode: 'rate', rate, burstiness: spec.load.burstiness, batchSize, sweepPhase: 'interpolated' });
      }
    }
  } finally {
    health.dispose();
    opts.signal?.removeEventListener('abort', onCancel);
    await writer.close().catch((e: Error) => warnings.push(`Writing the records failed: ${e.message}`));
    stopped = await scraper?.stop();
  }
  let serverMetrics: ServerMetricsResult | undefined;
  let prefixServer: PrefixCacheResult['server'];
  if (scraper && stopped) {
    const series = stopped;
    const first = scraper.firstIndex && { tMs: scraper.firstTime!, idx: scraper.firstIndex };
    const last = scraper.lastIndex && { tMs: scraper.lastTime!, idx: scraper.lastIndex };
    const checks =
      first && last
        ? crossChecks(
            first,
            last,
            await tallyRecords(opts.recordsPath).catch(() => ({
              succeeded: 0,
              promptTokens: 0,
              generationTokens: 0,
              withPrompt: 0,
              withGeneration: 0,
            })),
          )
        : [];
    serverMetrics = { ...series, crossChecks: checks };
    prefixServer = first && last ? serverPrefixCache(first, last) : undefined;
    // A server kind without metrics is a fact of the result, not a warning; an endpoint that never answered is.
    if (series.url && !series.scrapes.ok) warnings.push(`Server metrics: ${series.unavailableReason}`);
    for (const c of checks) if (!c.ok) warnings.push(`Cross-check ${c.label} (${c.bound}): ${c.note}`);
  } else if (!sm.enabled)
    serverMetrics = {
      enabled: false,
      intervalMs: sm.intervalSec * 1000,
      scrapes: { ok: 0, failed: 0 },
      server: { t: [], series: [] },
      gpu: { source: 'none', detail: 'Server metrics were turned off for this run.', t: [], series: [] },
      crossChecks: [],
    };
  if (health.retries)
    warnings.push(
      `The server failed during the run: ${health.retries} request(s) were sent as spaced-out retries while it did not answer.`,
    );
  for (const w of warnings) emit({ type: 'warning', message: w });
  const reasons = steps.flatMap((s) => s.clientBoundReasons.map((r) => `${s.label}: ${r}`));
  const incomplete = stoppedBy !== undefined;
  const result: BenchResult = {
    schema: resultSchemaId,
    schemaVersion: resultSchemaVersion,
    tool: toolInfo,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: machineFacts(),
    server: server.facts,
    // Credentials never reach a result: the URL loses userinfo and secret query parameters.
    config: { ...spec, url: redactUrl(spec.url), api: server.api, model: server.model },
    profile: spec.profile,
    recordsPath: opts.recordsPath,
    incomplete,
    clientBound: reasons.length > 0,
    clientBoundReasons: reasons,
    steps,
    warnings,
  };
  if (Object.keys(workload.info).length) result.workload = workload.info;
  const prefixUsage = steps.reduce(
    (t, s) =>
      s.prefixCache
        ? {
            requests: t.requests + s.prefixCache.requests,
            promptTokens: t.promptTokens + s.prefixCache.promptTokens,
            cachedTokens: t.cachedTokens + s.prefixCache.cachedTokens,
          }
        : t,
    { requests: 0, promptTokens: 0, cachedTokens: 0 },
  );
  if (prefixServer || prefixUsage.requests)
    result.prefixCache = {
      ...(prefixServer && { server: prefixServer }),
      ...(prefixUsage.requests && {
        usage: {
          ...prefixUsage,
          hitRate: prefixUsage.promptTokens ? prefixUsage.cachedTokens / prefixUsage.promptTokens : 0,
        },
      }),
    };
  if (serverMetrics) result.serverMetrics = serverMetrics;
  if (opts.shard)
    result.shard = { index: opts.shard.index, count: opts.shard.count, originWallMs: performance.timeOrigin + origin };
  if (incomplete) {
    result.stoppedBy = stoppedBy;
    result.incompleteReason =
      stoppedBy === 'server-failed'
        ? `Stopped because ${stopReason}. The summaries cover the requests that completed before.`
        : 'Cancelled: the summaries cover the requests that completed before the cancellation.';
  }
  // A capacity search fails points on purpose: its verdict is the capacity, not every step's goodput.
  const goodput = capacity ? undefined : goodputVerdict(spec, steps);
  if (goodput) result.goodput = goodput;
  if (capacity) result.capacity = capacity;
  if (offline) result.offline = offline;
  emit({ type: 'run-end', incomplete, clientBound: result.clientBound });
  return result;
}

/** Lowers concurrency steps above the request count (the extra workers would never send); says so. */
function capConcurrency(spec: NormalizedSpec): string | undefined {
  const n = spec.requests;
  if (n === undefined || spec.load.mode !== 'concurrency' || !spec.load.concurrency.some((c) => c > n))
    return undefined;
  const before = spec.load.concurrency.join(',');
  spec.load.concurrency = [...new Set(spec.load.concurrency.map((c) => Math.min(c, n)))];
  return `Concurrency ${before} is above the ${n} requests of a step: running concurrency ${spec.load.concurrency.join(',')} (more workers than requests would never send).`;
}

/** The result of a run cancelled during detection or the test request: what was asked, nothing measured. */
function emptyResult(spec: NormalizedSpec, at: Date, recordsPath: string, warnings: string[]): BenchResult {
  return {
    schema: resultSchemaId,
    schemaVersion: resultSchemaVersion,
    tool: toolInfo,
    startedAt: at.toISOString(),
    finishedAt: at.toISOString(),
    machine: machineFacts(),
    server: { url: redactUrl(spec.url) },
    config: { ...spec, url: redactUrl(spec.url), api: spec.api ?? ('' as BenchApi), model: spec.model ?? '' },
    profile: spec.profile,
    recordsPath,
    incomplete: true,
    stoppedBy: 'cancelled',
    incompleteReason: 'Cancelled during server detection or the test request: nothing was measured.',
    clientBound: false,
    clientBoundReasons: [],
    steps: [],
    warnings,
  };
}
