/**
 * One result from the shards of a run, computed from their raw records: every
 * worker's records are put on the coordinator's clock and folded into the
 * profile's accumulators as if one process had measured them, so every
 * percentile is exact (no averaging of per-worker percentiles). The merged
 * records file is a normal records file: recomputing another profile from it
 * works as for any run.
 */
import { percentileLinear, sortedCopy } from '../../stats/percentile';
import { SampleBuffer } from '../../stats/sampleBuffer';
import { createAccumulator } from '../profiles/profiles';
import type { ProfileAccumulator } from '../profiles/summary';
import { quantizeRecord, type StepMarker } from '../record';
import { readRecordsFile, RecordsWriter } from '../recordsFile';
import { goodputVerdict, type BenchResult, type StepResult, type WorkerFacts } from '../result';
import { formatShard } from './shard';

/** What a worker handed back: its result, its records file, and its clock against the coordinator. */
export interface ShardOutput {
  result: BenchResult;
  recordsPath: string;
  /** Where it ran (for the merged result's worker list). */
  where: string;
  clock: WorkerFacts['clock'];
}

export class MergeError extends Error {
  override readonly name = 'MergeError';
}

/** Spec fields that must be equal in every shard (they decide what the run sends). */
function runIdentity(r: BenchResult): string {
  const c = r.config;
  return JSON.stringify([
    c.url,
    c.group,
    c.api,
    c.model,
    c.load,
    c.requests,
    c.durationSec,
    c.warmup,
    c.seed,
    c.text,
    c.image,
    c.embeddings,
    c.profile,
  ]);
}

/** The offset used for a worker's records: the mean of its start and end readings (either alone when only one exists). */
function offsetOf(clock: WorkerFacts['clock']): number {
  const v = [clock.offsetStartMs, clock.offsetEndMs].filter((x): x is number => x !== undefined);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0;
}

interface StepFold {
  acc: ProfileAccumulator;
  delays: SampleBuffer;
  lastQ: number;
  lastT: number;
  measured: number;
}

/**
 * Merges shard outputs into one result whose raw records go to
 * `recordsPath`. Shards of different runs, or two copies of one shard, are
 * refused; a missing shard makes the result incomplete and says which.
 */
export async function mergeShards(shards: ShardOutput[], recordsPath: string): Promise<BenchResult> {
  if (!shards.length) throw new MergeError('Nothing to merge: no shard results.');
  const count = shards[0].result.shard?.count;
  const seen = new Set<number>();
  for (const s of shards) {
    const sh = s.result.shard;
    if (!sh) throw new MergeError(`${s.where}: not a shard result (run with --shard i/N or --workers).`);
    if (sh.count !== count)
      throw new MergeError(
        `${s.where}: shard ${formatShard(sh)} belongs to a run of ${sh.count} shards, not ${count}.`,
      );
    if (seen.has(sh.index)) throw new MergeError(`Shard ${formatShard(sh)} is given twice.`);
    seen.add(sh.index);
    if (runIdentity(s.result) !== runIdentity(shards[0].result))
      throw new MergeError(
        `${s.where}: shard ${formatShard(sh)} ran a different benchmark (server, load, requests, seed or workload differ).`,
      );
  }
  const ordered = [...shards].sort((a, b) => a.result.shard!.index - b.result.shard!.index);
  const missing = Array.from({ length: count! }, (_, i) => i).filter((i) => !seen.has(i));
  const mapped = ordered.map((s) => s.result.shard!.originWallMs + offsetOf(s.clock));
  const origin = Math.min(...mapped);
  const shift = mapped.map((m) => m - origin);
  const first = ordered[0].result;
  const opts = {
    group: first.config.group,
    percentiles: first.config.percentiles,
    slo: first.config.slo,
    adapters: first.config.text?.lora?.map((a) => a.name),
  };

  const folds = new Map<number, StepFold>();
  const fold = (s: number) => {
    let f = folds.get(s);
    if (!f)
      folds.set(
        s,
        (f = {
          acc: createAccumulator(first.profile, opts),
          delays: new SampleBuffer(),
          lastQ: -Infinity,
          lastT: -Infinity,
          measured: 0,
        }),
      );
    return f;
  };
  const writer = new RecordsWriter(recordsPath, {
    format: 'inference-lab/bench-records',
    version: 1,
    startedAt: new Date(origin).toISOString(),
  });
  try {
    for (let w = 0; w < ordered.length; w++) {
      for await (const line of readRecordsFile(ordered[w].recordsPath)) {
        if (line.kind !== 'record') continue;
        const r = line.record;
        r.q += shift[w];
        r.t += shift[w];
        quantizeRecord(r);
        writer.write(r);
        if (r.w) continue;
        const f = fold(r.s);
        f.acc.add(r);
        f.delays.push(r.t - r.q);
        f.lastQ = Math.max(f.lastQ, r.q);
        f.lastT = Math.max(f.lastT, r.t);
        f.measured++;
      }
    }
    const steps: StepResult[] = [];
    const indices = [...new Set(ordered.flatMap((s) => s.result.steps.map((x) => x.index)))].sort((a, b) => a - b);
    for (const index of indices) {
      const parts = ordered.flatMap((s, w) => s.result.steps.filter((x) => x.index === index).map((x) => ({ x, w })));
      const base = parts[0].x;
      const window = {
        startMs: Math.min(...parts.map((p) => p.x.window.startMs + shift[p.w])),
        endMs: Math.max(...parts.map((p) => p.x.window.endMs + shift[p.w])),
      };
      const f = fold(index);
      const reasons = parts.flatMap((p) =>
        p.x.clientBoundReasons.map((r) => `worker ${formatShard(ordered[p.w].result.shard!)}: ${r}`),
      );
      const step: StepResult = {
        index,
        label: base.label,
        load: base.load,
        window,
        requests: { sent: parts.reduce((a, p) => a + p.x.requests.sent, 0), warmup: base.requests.warmup },
        selfCheck: {
          eventLoopDelayP99Ms: Math.max(...parts.map((p) => p.x.selfCheck.eventLoopDelayP99Ms)),
          eventLoopDelayMaxMs: Math.max(...parts.map((p) => p.x.selfCheck.eventLoopDelayMaxMs)),
          cpuPercent: Math.max(...parts.map((p) => p.x.selfCheck.cpuPercent)),
        },
        clientBound: reasons.length > 0,
        clientBoundReasons: reasons,
        incomplete: parts.some((p) => p.x.incomplete) || missing.length > 0,
        summary: f.acc.finish({ start: window.startMs, end: window.endMs }),
      };
      if (base.load.mode === 'rate') {
        const span = (t: number) => (t - window.startMs) / 1000;
        const sorted = sortedCopy(f.delays.view());
        step.openLoop = {
          targetRate: base.load.rate!,
          scheduledRate: f.measured && span(f.lastQ) > 0 ? f.measured / span(f.lastQ) : base.load.rate!,
          achievedRate: f.measured && span(f.lastT) > 0 ? f.measured / span(f.lastT) : base.load.rate!,
          sendDelayP50Ms: sorted.length ? percentileLinear(sorted, 50) : 0,
          sendDelayP99Ms: sorted.length ? percentileLinear(sorted, 99) : 0,
          capped: parts.some((p) => p.x.openLoop?.capped === true),
        };
      }
      const marker: StepMarker = { index, label: base.label, start: window.startMs, end: window.endMs };
      writer.step(marker);
      steps.push(step);
    }
    await writer.close();
    const warnings = [...new Set(ordered.flatMap((s) => s.result.warnings))];
    if (missing.length)
      warnings.push(
        `Shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i + 1}/${count}`).join(', ')} missing: the summaries cover the other shards only.`,
      );
    const incomplete = steps.some((s) => s.incomplete) || ordered.some((s) => s.result.incomplete);
    const reasons = steps.flatMap((s) => s.clientBoundReasons.map((r) => `${s.label}: ${r}`));
    const workers: WorkerFacts[] = ordered.map((s) => ({
      shard: formatShard(s.result.shard!),
      where: s.where,
      clock: s.clock,
      sent: s.result.steps.reduce((a, x) => a + x.requests.sent, 0),
      incomplete: s.result.incomplete,
      clientBoundReasons: s.result.clientBoundReasons,
      cpuPercentMax: Math.max(0, ...s.result.steps.map((x) => x.selfCheck.cpuPercent)),
    }));
    const { shard: _shard, ...rest } = first;
    const out: BenchResult = {
      ...rest,
      startedAt: new Date(origin).toISOString(),
      finishedAt: new Date(Math.max(...ordered.map((s) => Date.parse(s.result.finishedAt)))).toISOString(),
      recordsPath,
      incomplete,
      clientBound: reasons.length > 0,
      clientBoundReasons: reasons,
      steps,
      warnings,
      workers,
    };
    delete out.incompleteReason;
    delete out.serverMetrics;
    if (incomplete)
      out.incompleteReason = missing.length
        ? `Shards missing (${missing.map((i) => `${i + 1}/${count}`).join(', ')}).`
        : 'Cancelled: the summaries cover the requests that completed before the cancellation.';
    const goodput = goodputVerdict(out.config, steps);
    if (goodput) out.goodput = goodput;
    else delete out.goodput;
    return out;
  } finally {
    await writer.close().catch(() => undefined);
  }
}
