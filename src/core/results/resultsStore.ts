/**
 * Saved benchmark runs on disk, one folder per run:
 *   <root>/<id>/run.json       what the list shows (name, group, status, baseline…)
 *   <root>/<id>/result.json    the result file (partial while running, final at the end)
 *   <root>/<id>/records.jsonl  the raw records, streamed by the engine
 * Every JSON write is atomic, and the result is rewritten after each step, so a
 * crash or a closed window loses at most the step in progress — whose records
 * are on disk too and are summarised when the run is next opened.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  machineFacts,
  resultFromJson,
  resultToJson,
  toolInfo,
  resultSchemaId,
  resultSchemaVersion,
  type BenchResult,
  type StepResult,
} from '../bench/result';
import { summarizeRecordsFile } from '../bench/recompute';
import type { BenchSpec } from '../bench/spec';
import { normalizeSpec } from '../bench/specNormalize';
import { writeFileAtomic } from './atomicWrite';
import type { GroupName } from '../../shared/results';

export interface RunMeta {
  id: string;
  name: string;
  group: GroupName;
  createdAt: string;
  status: 'running' | 'complete' | 'incomplete';
  incompleteReason?: string;
  baseline?: boolean;
  server: { url: string; kind?: string; model?: string };
  /** The spec as asked (never holds a secret: keys travel separately). */
  spec: BenchSpec;
  headline?: string;
  /** Process that runs it, to tell a live run from one cut short by a closed window. */
  pid?: number;
  /** Scaled-out runs: the workers the result was merged from ("1/3 docker default: 1f2e…"). */
  workers?: string[];
}

const RUN = 'run.json';
const RESULT = 'result.json';
const RECORDS = 'records.jsonl';

function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class ResultsStore {
  /** Runs this process is running right now. */
  private readonly active = new Set<string>();

  constructor(readonly root: string) {}

  dir(id: string): string {
    if (!/^[\w.-]+$/.test(id)) throw new Error(`Invalid run id "${id}"`);
    return path.join(this.root, id);
  }
  recordsPath(id: string): string {
    return path.join(this.dir(id), RECORDS);
  }
  resultPath(id: string): string {
    return path.join(this.dir(id), RESULT);
  }

  /** Creates the folder of a new run and marks it running. */
  async create(meta: Omit<RunMeta, 'id' | 'createdAt' | 'status' | 'pid'> & { id?: string }): Promise<RunMeta> {
    const createdAt = new Date();
    const id = meta.id ?? `${createdAt.toISOString().replace(/[:.]/g, '-')}-${meta.group}`;
    const run: RunMeta = { ...meta, id, createdAt: createdAt.toISOString(), status: 'running', pid: process.pid };
    await fs.mkdir(this.dir(id), { recursive: true });
    await this.writeMeta(run);
    this.active.add(id);
    return run;
  }

  private writeMeta(run: RunMeta): Promise<void> {
    return writeFileAtomic(path.join(this.dir(run.id), RUN), JSON.stringify(run, null, 2));
  }

  async meta(id: string): Promise<RunMeta> {
    const run = JSON.parse(await fs.readFile(path.join(this.dir(id), RUN), 'utf8')) as RunMeta;
    if (run.status === 'running' && !this.active.has(id) && (run.pid === process.pid || !isAlive(run.pid))) {
      return {
        ...run,
        status: 'incomplete',
        incompleteReason: 'interrupted: the window closed or the process ended during the run',
      };
    }
    return run;
  }

  /** Every saved run, newest first. Folders that are not runs (or are damaged) are skipped, never deleted. */
  async list(): Promise<RunMeta[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.root);
    } catch {
      return [];
    }
    const runs = await Promise.all(names.map((n) => this.meta(n).catch(() => undefined)));
    return runs.filter((r): r is RunMeta => !!r).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Saves a (partial or final) result. */
  async saveResult(id: string, result: BenchResult): Promise<void> {
    await writeFileAtomic(this.resultPath(id), resultToJson(result));
  }

  /** Marks the run finished and stores its final result. */
  async finish(id: string, result: BenchResult, headline?: string): Promise<RunMeta> {
    await this.saveResult(id, result);
    const run = await this.meta(id);
    const done: RunMeta = {
      ...run,
      status: result.incomplete ? 'incomplete' : 'complete',
      incompleteReason: result.incompleteReason,
      headline,
      pid: undefined,
    };
    if (result.workers?.length) done.workers = result.workers.map((w) => `${w.shard} ${w.where}`);
    await this.writeMeta(done);
    this.active.delete(id);
    return done;
  }

  /** Marks a run that failed before producing a result (the folder keeps whatever records exist). */
  async fail(id: string, reason: string): Promise<void> {
    const run = await this.meta(id);
    await this.writeMeta({ ...run, status: 'incomplete', incompleteReason: reason, pid: undefined });
    this.active.delete(id);
  }

  /**
   * The result of a run. For a run cut short, the summaries are rebuilt from
   * the raw records, which also cover the step that was in progress.
   */
  async result(id: string): Promise<BenchResult | undefined> {
    const run = await this.meta(id);
    let saved: BenchResult | undefined;
    try {
      saved = resultFromJson(await fs.readFile(this.resultPath(id), 'utf8'));
    } catch {
      saved = undefined;
    }
    if (run.status !== 'incomplete' || !run.incompleteReason?.startsWith('interrupted')) return saved;
    return this.recover(run, saved);
  }

  private async recover(run: RunMeta, saved: BenchResult | undefined): Promise<BenchResult | undefined> {
    const base =
      saved ??
      partialResult(run, this.recordsPath(run.id), [], {
        kind: run.server.kind,
        model: run.server.model,
        api: undefined,
      });
    const opts = { group: base.config.group, percentiles: base.config.percentiles, slo: base.config.slo };
    let file;
    try {
      file = await summarizeRecordsFile(this.recordsPath(run.id), base.profile, opts);
    } catch {
      return saved;
    }
    const known = new Map(base.steps.map((s) => [s.index, s]));
    const steps: StepResult[] = [...file.summaries].map(([index, summary]) => {
      const prior = known.get(index);
      const marker = file.steps.get(index);
      return prior
        ? { ...prior, summary }
        : {
            index,
            label: marker?.label ?? `step ${index + 1}`,
            load: { mode: 'concurrency', batchSize: 1 },
            window: { startMs: marker?.start ?? 0, endMs: marker?.end ?? marker?.start ?? 0 },
            requests: { sent: summary.counts.total, warmup: 0 },
            selfCheck: { eventLoopDelayP99Ms: NaN, eventLoopDelayMaxMs: NaN, cpuPercent: NaN },
            clientBound: false,
            clientBoundReasons: [],
            incomplete: true,
            summary,
          };
    });
    return { ...base, steps, incomplete: true, incompleteReason: run.incompleteReason };
  }

  async rename(id: string, name: string): Promise<void> {
    const run = await this.meta(id);
    await this.writeMeta({ ...run, name: name.trim() || run.name });
  }

  /** Marks one run as the baseline of its group (clears the others of that group); `false` clears it. */
  async setBaseline(id: string, on = true): Promise<void> {
    const target = await this.meta(id);
    for (const r of await this.list()) {
      if (r.group !== target.group) continue;
      const want = on && r.id === id;
      if (!!r.baseline !== want) await this.writeMeta({ ...(await this.rawMeta(r.id)), baseline: want || undefined });
    }
  }

  private async rawMeta(id: string): Promise<RunMeta> {
    return JSON.parse(await fs.readFile(path.join(this.dir(id), RUN), 'utf8')) as RunMeta;
  }

  async delete(id: string): Promise<void> {
    if (this.active.has(id)) throw new Error('This run is still in progress: cancel it first.');
    await fs.rm(this.dir(id), { recursive: true, force: true });
  }
}

/**
 * A result built from what is known mid-run: the steps completed so far.
 * Written after every step so a closed window leaves a readable result.
 */
export function partialResult(
  run: RunMeta,
  recordsPath: string,
  steps: StepResult[],
  server: { kind?: string; version?: string; model?: string; api?: string },
): BenchResult {
  const spec = normalizeSpec(run.spec);
  return {
    schema: resultSchemaId,
    schemaVersion: resultSchemaVersion,
    tool: toolInfo,
    startedAt: run.createdAt,
    finishedAt: new Date().toISOString(),
    machine: machineFacts(),
    server: {
      url: run.server.url,
      kind: server.kind ?? run.server.kind,
      version: server.version,
      model: server.model ?? run.server.model,
    },
    config: {
      ...spec,
      api: (server.api ?? spec.api ?? 'openai-completions') as BenchResult['config']['api'],
      model: server.model ?? spec.model ?? run.server.model ?? '',
    },
    profile: spec.profile,
    recordsPath,
    incomplete: true,
    incompleteReason: 'running',
    clientBound: steps.some((s) => s.clientBound),
    clientBoundReasons: [...new Set(steps.flatMap((s) => s.clientBoundReasons))],
    steps,
    warnings: [],
  };
}
