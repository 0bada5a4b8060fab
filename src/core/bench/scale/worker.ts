/**
 * The worker side of a scaled-out run: measure the clock against the
 * coordinator, run the engine on this shard as it runs any benchmark, measure
 * the clock again, and hand back the shard's result. The link is a worker
 * thread's port or a container's stdio.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import type { Logger } from '../../util/logger';
import type { ProgressEvent } from '../events';
import type { BenchResult, WorkerFacts } from '../result';
import { runBenchmark } from '../runBenchmark';
import { measureOffset, type OffsetReading } from './clock';
import { encodeMessage, type CoordinatorMessage, type ShardJob, type WorkerMessage } from './protocol';

export interface WorkerLink {
  send(m: WorkerMessage): void;
  /** The coordinator's wall clock, asked round trip; absent when the worker has no channel back (then wall clocks are trusted). */
  askClock?: () => Promise<number>;
  /** Waits for the coordinator's go for a step (absent without a channel back: then steps are not synchronised). */
  awaitStep?: (step: number) => Promise<void>;
  signal: AbortSignal;
}

/**
 * The step barrier of a two-way link: `wait(step)` sends step-ready and
 * resolves on the coordinator's go (or at once when the run is cancelled).
 */
export class StepGate {
  private readonly waiting = new Map<number, () => void>();

  constructor(
    private readonly send: (m: WorkerMessage) => void,
    private readonly signal: AbortSignal,
  ) {
    signal.addEventListener('abort', () => this.releaseAll(), { once: true });
  }

  wait(step: number): Promise<void> {
    if (this.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiting.set(step, resolve);
      this.send({ type: 'step-ready', step });
    });
  }

  go(step: number): void {
    this.waiting.get(step)?.();
    this.waiting.delete(step);
  }

  private releaseAll(): void {
    for (const r of this.waiting.values()) r();
    this.waiting.clear();
  }
}

export interface ShardRunOptions {
  recordsPath: string;
  apiKey?: string;
  logger?: Logger;
}

/** Runs one shard and sends `done` (or `failed`). */
export async function runShard(
  job: ShardJob,
  link: WorkerLink,
  opts: ShardRunOptions,
): Promise<BenchResult | undefined> {
  try {
    const start: OffsetReading | undefined = link.askClock ? await measureOffset(link.askClock) : undefined;
    const startAtWallMs = job.startAtWallMs !== undefined ? job.startAtWallMs - (start?.offsetMs ?? 0) : undefined;
    const result = await runBenchmark(job.spec, {
      recordsPath: opts.recordsPath,
      signal: link.signal,
      apiKey: opts.apiKey,
      logger: opts.logger,
      progressIntervalMs: job.progressIntervalMs,
      shard: { ...job.shard, startAtWallMs, beforeStep: link.awaitStep },
      onProgress: (event: ProgressEvent) => link.send({ type: 'progress', event }),
    });
    let clock: WorkerFacts['clock'] = { method: 'wall-clock' };
    if (start && link.askClock) {
      const end = await measureOffset(link.askClock);
      clock = {
        method: 'round-trip',
        offsetStartMs: start.offsetMs,
        offsetEndMs: end.offsetMs,
        roundTripMs: Math.max(start.roundTripMs, end.roundTripMs),
      };
    }
    link.send({ type: 'done', result, clock });
    return result;
  } catch (e) {
    link.send({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
    return undefined;
  }
}

/**
 * Copies a growing records file's complete record lines to `write` as they
 * are flushed (every second, or 64 KB), so a container's or pod's log carries
 * its records while it runs, and a cancelled worker's records still arrive.
 */
export class RecordsTail {
  private offset = 0;
  private rest = '';
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly file: string,
    private readonly write: (line: string) => void,
    periodMs = 250,
  ) {
    this.timer = setInterval(() => this.poll(), periodMs);
  }

  poll(): void {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch {
      return; // not created yet
    }
    try {
      const buf = Buffer.alloc(1 << 16);
      for (;;) {
        const n = fs.readSync(fd, buf, 0, buf.length, this.offset);
        if (n <= 0) break;
        this.offset += n;
        const text = this.rest + buf.toString('utf8', 0, n);
        const lines = text.split('\n');
        this.rest = lines.pop()!;
        for (const l of lines) if (l.startsWith('{"i":')) this.write(`${l}\n`);
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.poll();
  }
}

/**
 * A worker on stdio (a container or a pod): records and messages as JSON
 * lines on stdout; with `twoWay`, the coordinator's clock answers and cancel
 * arrive as JSON lines on stdin. SIGTERM (Kubernetes deleting the pod,
 * `docker stop`) cancels: what was measured still goes out before exit.
 */
export async function runShardOnStdio(job: ShardJob, opts: ShardRunOptions & { twoWay: boolean }): Promise<number> {
  const ctrl = new AbortController();
  const out = (s: string) => process.stdout.write(s);
  const pending = new Map<number, (c: number) => void>();
  let nextId = 0;
  const onTerm = () => ctrl.abort();
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onTerm);
  let rl: readline.Interface | undefined;
  let apiKey = opts.apiKey;
  const tail = new RecordsTail(opts.recordsPath, out);
  const send = (m: WorkerMessage) => {
    // Records flushed so far go out before a step's end or the final result.
    if (m.type !== 'progress' || m.event.type !== 'snapshot') tail.poll();
    out(encodeMessage(m));
  };
  const gate = new StepGate(send, ctrl.signal);
  if (opts.twoWay) {
    let greet: (() => void) | undefined;
    const greeted = new Promise<void>((resolve) => (greet = resolve));
    rl = readline.createInterface({ input: process.stdin });
    rl.on('line', (line) => {
      let m: CoordinatorMessage;
      try {
        m = JSON.parse(line) as CoordinatorMessage;
      } catch {
        return;
      }
      if (m.type === 'cancel') ctrl.abort();
      else if (m.type === 'clock') pending.get(m.id)?.(m.c);
      else if (m.type === 'go') gate.go(m.step);
      else if (m.type === 'hello') {
        apiKey = m.apiKey ?? apiKey;
        greet?.();
      }
    });
    rl.once('close', () => greet?.());
    // The coordinator says hello as soon as it is attached; a worker nobody talks to gives up after a minute.
    const timer = setTimeout(() => greet?.(), 60_000);
    await greeted;
    clearTimeout(timer);
  }
  const link: WorkerLink = {
    signal: ctrl.signal,
    send,
    awaitStep: opts.twoWay ? (step) => gate.wait(step) : undefined,
    askClock: opts.twoWay
      ? () =>
          new Promise<number>((resolve) => {
            const id = ++nextId;
            pending.set(id, (c) => {
              pending.delete(id);
              resolve(c);
            });
            out(encodeMessage({ type: 'clock', id }));
          })
      : undefined,
  };
  const result = await runShard(job, link, { ...opts, apiKey });
  tail.stop();
  rl?.close();
  process.off('SIGTERM', onTerm);
  process.off('SIGINT', onTerm);
  return result ? 0 : 1;
}
