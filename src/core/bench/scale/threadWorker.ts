/**
 * Entry of a benchmark worker thread (bundled as dist/benchWorker.js): runs
 * one shard with its own event loop, its own HTTP connection pools and its
 * own records file, and talks to the coordinator through its port.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { closeHttpPools } from '../../http/client';
import type { CoordinatorMessage, ShardJob } from './protocol';
import { runShard, StepGate } from './worker';

interface ThreadData {
  job: ShardJob;
  recordsPath: string;
  apiKey?: string;
}

const port = parentPort!;
const data = workerData as ThreadData;
const ctrl = new AbortController();
const pending = new Map<number, (c: number) => void>();
let nextId = 0;
const gate = new StepGate((m) => port.postMessage(m), ctrl.signal);
port.on('message', (m: CoordinatorMessage) => {
  if (m.type === 'cancel') ctrl.abort();
  else if (m.type === 'clock') pending.get(m.id)?.(m.c);
  else if (m.type === 'go') gate.go(m.step);
});
const askClock = () =>
  new Promise<number>((resolve) => {
    const id = ++nextId;
    pending.set(id, (c) => {
      pending.delete(id);
      resolve(c);
    });
    port.postMessage({ type: 'clock', id });
  });

void runShard(
  data.job,
  { send: (m) => port.postMessage(m), askClock, awaitStep: (step) => gate.wait(step), signal: ctrl.signal },
  { recordsPath: data.recordsPath, apiKey: data.apiKey },
)
  .then(() => closeHttpPools())
  .finally(() => port.close());
