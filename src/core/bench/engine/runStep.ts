import { percentileLinear, sortedCopy } from '../../stats/percentile';
import type { Uniform } from '../../stats/random';
import { SampleBuffer } from '../../stats/sampleBuffer';
import type { ProgressEvent, StepInfo } from '../events';
import { createAccumulator } from '../profiles/profiles';
import { isSuccess, quantizeRecord, type RawRecord } from '../record';
import type { RecordsWriter } from '../recordsFile';
import type { OpenLoopFacts, StepResult, TraceFacts } from '../result';
import type { TraceEntry, TraceScan } from '../workload/traces';
import type { NormalizedSpec } from '../specNormalize';
import type { CallPlan, TargetFactory } from './callTarget';
import { now } from './clock';
import { runClosedLoop, type LoopOutcome } from './closedLoop';
import { InFlight } from './inFlight';
import { runOpenLoop, type OpenLoopOutcome } from './openLoop';
import { runTraceLoop, type TraceLoopOutcome } from './traceLoop';
import { runSessionLoop, type SessionLoopPlan } from './sessionLoop';
import { SessionTally } from '../workload/sessions';
import { FailureTally } from './failureTally';
import { ProgressTracker } from './progress';
import type { ServerHealth } from './serverHealth';
import { clientBoundReasons, SelfCheck } from './selfCheck';
import type { ShardIndexer } from '../scale/shard';

export interface StepContext {
  info: StepInfo;
  spec: NormalizedSpec;
  factory: TargetFactory;
  writer: RecordsWriter;
  /** Absolute ms of the run's start: records are written relative to it. */
  origin: number;
  nextIndex(): number;
  rand: Uniform;
  emit(e: ProgressEvent): void;
  progressIntervalMs: number;
  signal?: AbortSignal;
  /** Open-loop pacer spin threshold (ms), for the engine bench. */
  spinMs?: number;
  /** Set when this process runs one shard of a scaled-out run: it sends only its part of each phase. */
  shard?: ShardIndexer;
  /** A capacity point: its own request bound, each measured record judged, and when to stop sending. */
  point?: { requests: number; observe(r: RawRecord): void; stop(): boolean };
  /** A trace replay step: the scan of its file and how a line becomes a request. */
  trace?: { scan: TraceScan; planFor(e: TraceEntry): CallPlan };
  /** A multi-turn sessions step: its conversations' messages and how a turn becomes a request. */
  sessions?: Pick<SessionLoopPlan, 'items' | 'planFor' | 'count'>;
  /** The run's watch on the server (back-off and stop when it fails). */
  health?: ServerHealth;
}

function traceFacts(o: TraceLoopOutcome, scan: TraceScan, delays: SampleBuffer): TraceFacts {
  const span = (t: number) => (t - o.start) / 1000;
  const sorted = sortedCopy(delays.view());
  let late = 0;
  for (const d of sorted) if (d > 10) late++;
  return {
    requests: o.sent,
    skipped: o.skipped,
    skipReasons: o.skipped ? scan.skipReasons : [],
    scheduleSec: span(o.lastScheduled),
    requestedRate: span(o.lastScheduled) > 0 ? o.scheduled / span(o.lastScheduled) : Infinity,
    achievedRate: span(o.lastSent) > 0 ? o.sent / span(o.lastSent) : Infinity,
    latenessP50Ms: sorted.length ? percentileLinear(sorted, 50) : 0,
    latenessP99Ms: sorted.length ? percentileLinear(sorted, 99) : 0,
    latenessMaxMs: sorted.length ? sorted[sorted.length - 1] : 0,
    lateOver10Ms: late,
  };
}

function openLoopFacts(o: OpenLoopOutcome, target: number, delays: SampleBuffer): OpenLoopFacts {
  const span = (t: number) => (t - o.start) / 1000;
  const sorted = sortedCopy(delays.view());
  return {
    targetRate: target,
    scheduledRate: span(o.lastScheduled) > 0 ? o.scheduled / span(o.lastScheduled) : target,
    achievedRate: span(o.lastSent) > 0 ? o.sent / span(o.lastSent) : target,
    sendDelayP50Ms: sorted.length ? percentileLinear(sorted, 50) : 0,
    sendDelayP99Ms: sorted.length ? percentileLinear(sorted, 99) : 0,
    capped: o.capped,
  };
}

/**
 * One step: warm-up (recorded, flagged), then the measured phase under the
 * step's load, with every record written as it completes and folded into the
 * profile's summary, live snapshots, and the engine's self-check.
 */
export async function runStep(ctx: StepContext): Promise<StepResult> {
  const { info, spec } = ctx;
  const load = info.load;
  const shard = ctx.shard;
  const part = (total: number) => (shard ? shard.own(total) : total);
  const connections = Math.max(
    1,
    part(
      load.mode === 'concurrency'
        ? load.concurrency!
        : Math.min(spec.load.maxInFlight, ctx.point?.requests ?? spec.requests ?? spec.load.maxInFlight),
    ),
  );
  const target = ctx.factory(connections);
  const acc = createAccumulator(spec.profile, {
    group: spec.group,
    percentiles: spec.percentiles,
    slo: spec.slo,
    adapters: spec.text.lora?.map((a) => a.name),
  });
  const delays = new SampleBuffer();
  const failures = new FailureTally();
  let tracker: ProgressTracker | undefined;
  const turns = load.sessions ? new SessionTally() : undefined;
  const cache = { requests: 0, promptTokens: 0, cachedTokens: 0 };
  const complete = (r: RawRecord) => {
    r.q -= ctx.origin;
    r.t -= ctx.origin;
    quantizeRecord(r);
    ctx.writer.write(r);
    if (r.w) return;
    acc.add(r);
    if (r.ic !== undefined && r.iu !== undefined && isSuccess(r)) {
      cache.requests++;
      cache.promptTokens += r.iu;
      cache.cachedTokens += r.ic;
    }
    ctx.point?.observe(r);
    turns?.add(r);
    tracker?.add(r);
    if (!r.x && !isSuccess(r)) failures.add(r.ek ?? 'http', r.er ?? `HTTP ${r.st}`);
    delays.push(r.t - r.q);
  };
  const flight = new InFlight({
    target,
    step: info.index,
    timeoutMs: spec.timeoutSec * 1000,
    nextIndex: ctx.nextIndex,
    complete,
    signal: ctx.signal,
    health: ctx.health,
  });
  ctx.emit({ type: 'step-start', step: info });
  let outcome: LoopOutcome;
  let openOutcome: OpenLoopOutcome | undefined;
  let traceOutcome: TraceLoopOutcome | undefined;
  let check: SelfCheck;
  try {
    if (spec.warmup > 0) {
      const c = Math.min(
        load.mode === 'concurrency' ? load.concurrency! : Math.min(spec.warmup, spec.load.maxInFlight, 16),
        spec.warmup,
      );
      shard?.begin(c);
      const requests = part(spec.warmup);
      if (requests > 0) await runClosedLoop(flight, { concurrency: Math.min(part(c), requests), requests, warm: true });
      shard?.end(spec.warmup);
      ctx.emit({ type: 'warmup-done', step: info.index });
    }
    tracker = new ProgressTracker(info.index, () => flight.size, ctx.emit, ctx.origin);
    tracker.startTimer(ctx.progressIntervalMs);
    check = new SelfCheck();
    ctx.writer.step({ index: info.index, label: info.label, start: now() - ctx.origin });
    const bound = ctx.point
      ? { requests: ctx.point.requests, durationMs: undefined, stop: ctx.point.stop }
      : { requests: spec.requests, durationMs: spec.durationSec !== undefined ? spec.durationSec * 1000 : undefined };
    if (load.sessions && ctx.sessions) {
      const s = load.sessions;
      outcome = await runSessionLoop(flight, {
        ...s,
        thinkTimeMs: s.thinkTimeSec * 1000,
        durationMs: bound.durationMs,
        ...ctx.sessions,
        signal: ctx.signal,
      });
    } else if (load.mode === 'concurrency') {
      shard?.begin(load.concurrency!);
      const requests = bound.requests !== undefined ? part(bound.requests) : undefined;
      outcome = await runClosedLoop(flight, { concurrency: part(load.concurrency!), ...bound, requests, warm: false });
      shard?.end(bound.requests);
    } else if (load.trace && ctx.trace) {
      const t = load.trace;
      traceOutcome = await runTraceLoop(flight, {
        file: t.file,
        format: t.format,
        speed: t.speed,
        ...bound,
        maxInFlight: spec.load.maxInFlight,
        planFor: ctx.trace.planFor,
        signal: ctx.signal,
        spinMs: ctx.spinMs,
      });
      outcome = openOutcome = traceOutcome;
    } else {
      shard?.begin();
      const mine = shard ? (p: number) => shard.mine(p) : undefined;
      openOutcome = await runOpenLoop(flight, {
        rate: load.rate!,
        burstiness: load.burstiness ?? 1,
        ...bound,
        maxInFlight: Math.max(1, part(spec.load.maxInFlight)),
        rand: ctx.rand,
        signal: ctx.signal,
        spinMs: ctx.spinMs,
        mine,
      });
      shard?.end(openOutcome.scheduled);
      outcome = openOutcome;
    }
  } finally {
    tracker?.stop();
    flight.dispose();
    await target.close();
  }
  const reading = check.finish();
  const window = { startMs: outcome.start - ctx.origin, endMs: outcome.end - ctx.origin };
  ctx.writer.step({ index: info.index, label: info.label, start: window.startMs, end: window.endMs });
  const open = openOutcome ? openLoopFacts(openOutcome, load.rate!, delays) : undefined;
  const reasons = clientBoundReasons(reading, open);
  const result: StepResult = {
    index: info.index,
    label: info.label,
    load,
    window,
    requests: { sent: outcome.sent, warmup: spec.warmup },
    selfCheck: reading,
    clientBound: reasons.length > 0,
    clientBoundReasons: reasons,
    incomplete: ctx.signal?.aborted ?? false,
    summary: acc.finish({ start: window.startMs, end: window.endMs }),
  };
  if (open) result.openLoop = open;
  if (traceOutcome && ctx.trace) result.trace = traceFacts(traceOutcome, ctx.trace.scan, delays);
  if (turns && load.sessions) result.sessions = turns.finish(load.sessions);
  if (cache.requests)
    result.prefixCache = { ...cache, hitRate: cache.promptTokens ? cache.cachedTokens / cache.promptTokens : 0 };
  const failed = failures.list();
  if (failed) result.failures = failed;
  return result;
}
