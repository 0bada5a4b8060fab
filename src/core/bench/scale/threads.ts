/**
 * `--workers N`: the shards run in N worker threads of this process, each
 * with its own event loop and connection pools (one Node thread drives about
 * one core's worth of requests; see docs/scale-out.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkerLauncher, WorkerControl } from './coordinator';
import type { CoordinatorMessage, WorkerMessage } from './protocol';

/**
 * The worker script: dist/benchWorker.js next to the bundle that runs (CLI or
 * extension), or the TypeScript source when running from source (tests, tsx).
 */
export function threadWorkerEntry(): string {
  const bundled = path.join(__dirname, 'benchWorker.js');
  if (fs.existsSync(bundled)) return bundled;
  const source = path.join(__dirname, 'threadWorker.ts');
  if (fs.existsSync(source)) return source;
  throw new Error(`The benchmark worker script is missing (looked for ${bundled}).`);
}

export function threadLauncher(opts: { apiKey?: string } = {}): WorkerLauncher {
  const workers = new Set<Worker>();
  return {
    kind: 'worker threads',
    writesRecords: true,
    startDelayMs: (n) => 1000 + 250 * n,
    launch(job, recordsPath, events): Promise<WorkerControl> {
      const entry = threadWorkerEntry();
      const workerData = { job, recordsPath, apiKey: opts.apiKey };
      // From source (tests), the thread registers the TypeScript loader before loading the entry.
      const w = entry.endsWith('.ts')
        ? new Worker(`require('tsx/cjs');require(${JSON.stringify(entry)});`, { eval: true, workerData, execArgv: [] })
        : new Worker(entry, { workerData });
      workers.add(w);
      w.on('message', (m: WorkerMessage) => {
        const reply = events.message(m);
        if (reply) w.postMessage(reply satisfies CoordinatorMessage);
      });
      const finished = new Promise<void>((resolve) => {
        w.once('error', (e) => {
          events.message({ type: 'failed', message: e.message });
        });
        w.once('exit', () => {
          workers.delete(w);
          resolve();
        });
      });
      return Promise.resolve({
        where: `thread ${job.shard.index + 1}`,
        finished,
        cancel: () => w.postMessage({ type: 'cancel' } satisfies CoordinatorMessage),
        send: (m) => w.postMessage(m),
      });
    },
    async dispose() {
      await Promise.all([...workers].map((w) => w.terminate()));
    },
  };
}
