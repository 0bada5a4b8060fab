/**
 * RSS growth of the engine's record path for N requests, in a fresh process
 * (run with --expose-gc): each record is made, quantised, written to JSONL
 * and folded into a profile accumulator and the progress tracker, exactly as
 * runStep does, at a pace the disk keeps up with. Prints one JSON line.
 * Args: <batch|text> <count> <records file>
 */
import { newRecord } from '../../src/core/bench/engine/callTarget';
import { ProgressTracker } from '../../src/core/bench/engine/progress';
import { createAccumulator } from '../../src/core/bench/profiles/profiles';
import { EV_CHOICE, EV_DONE, EV_TEXT, EV_USAGE, quantizeRecord } from '../../src/core/bench/record';
import { RecordsWriter } from '../../src/core/bench/recordsFile';

const [kind, countArg, file] = process.argv.slice(2);
const count = Number(countArg);
const gc = (globalThis as { gc?: () => void }).gc!;
const mb = () => process.memoryUsage().rss / 2 ** 20;
const TOKENS = 16;

async function main(): Promise<void> {
  const group = kind === 'text' ? 'text-generation' : 'embeddings';
  const acc = createAccumulator('vllm', { group, percentiles: [50, 90, 95, 99] });
  const tracker = new ProgressTracker(
    0,
    () => 0,
    () => undefined,
  );
  const writer = new RecordsWriter(file, {
    format: 'inference-lab/bench-records',
    version: 1,
    startedAt: new Date().toISOString(),
  });
  gc();
  const before = mb();
  let peak = before;
  let t = 0;
  for (let i = 0; i < count; i++) {
    const r = newRecord(i, 0, t, false);
    r.t = t + 0.01;
    r.h = 1.2;
    r.st = 200;
    r.bo = 120;
    r.bi = 400;
    if (kind === 'text') {
      const ev: number[] = [];
      for (let k = 0; k < TOKENS; k++)
        ev.push(20 + k * 5 + (i % 7) * 0.013, k === TOKENS - 1 ? EV_CHOICE : EV_CHOICE | EV_TEXT);
      ev.push(20 + TOKENS * 5, EV_USAGE, 20 + TOKENS * 5 + 0.1, EV_DONE);
      r.ev = ev;
      r.iu = r.io = 128;
      r.ou = r.oo = TOKENS;
      r.e = 20 + TOKENS * 5 + 0.2;
    } else {
      r.n = 8;
      r.e = 3 + (i % 13) * 0.11;
      r.io = 512;
    }
    t += 0.05;
    quantizeRecord(r);
    writer.write(r);
    acc.add(r);
    tracker.add(r);
    if (i % 5000 === 4999) {
      if (i % 50000 === 49999) tracker.snapshot();
      // Let the file stream drain, as it does between completions in a real run.
      await new Promise((res) => setTimeout(res, 1));
      peak = Math.max(peak, mb());
    }
  }
  await writer.close();
  gc();
  const afterRecording = mb();
  const heap = process.memoryUsage();
  acc.finish({ start: 0, end: t });
  peak = Math.max(peak, mb());
  gc();
  process.stdout.write(
    `${JSON.stringify({ kind, count, beforeMb: before, afterRecordingMb: afterRecording, peakMb: peak, afterSummaryMb: mb(), heapUsedMb: heap.heapUsed / 2 ** 20, arrayBuffersMb: heap.arrayBuffers / 2 ** 20 })}\n`,
  );
}

void main();
