import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { decodeLine, encodeRecord, type RawRecord, type RecordsLine, type RecordsMeta, type StepMarker } from './record';

/**
 * Appends records to a JSONL file as they complete, so memory stays flat on
 * long runs and a crash loses at most the last unflushed batch. Lines are
 * batched into ~64 KB synchronous writes (one syscall per few hundred
 * requests, tens of microseconds into the page cache): nothing queues in
 * memory behind a slow stream, which an asynchronous stream would allow.
 */
export class RecordsWriter {
  private readonly fd: number;
  private buf: string[] = [];
  private bufLen = 0;
  private failed: Error | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly path: string, meta: RecordsMeta) {
    fs.mkdirSync(dirnameOf(path), { recursive: true });
    this.fd = fs.openSync(path, 'w');
    this.push(`${JSON.stringify({ meta })}\n`);
    this.flush();
  }

  /** The first write error, if any (the run reports it instead of losing records silently). */
  get error(): Error | undefined {
    return this.failed;
  }

  write(r: RawRecord): void {
    this.push(encodeRecord(r));
  }

  step(marker: StepMarker): void {
    this.push(`${JSON.stringify({ step: marker })}\n`);
    this.flush();
  }

  private push(line: string): void {
    this.buf.push(line);
    this.bufLen += line.length;
    if (this.bufLen >= 64 * 1024) this.flush();
    else if (!this.timer) {
      // A quiet run still reaches the disk within a second.
      this.timer = setTimeout(() => this.flush(), 1000);
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.buf.length || this.failed || this.closed) return;
    const text = this.buf.join('');
    this.buf = [];
    this.bufLen = 0;
    try {
      fs.writeSync(this.fd, text);
    } catch (e) {
      this.failed = e as Error;
    }
  }

  private closed = false;

  /** Flushes and closes; rejects with the first write error (the run reports it). */
  async close(): Promise<void> {
    this.flush();
    if (!this.closed) {
      this.closed = true;
      fs.closeSync(this.fd);
    }
    if (this.failed) throw this.failed;
  }
}

function dirnameOf(p: string): string {
  return path.dirname(path.resolve(p));
}

/** Reads a records file line by line (constant memory), skipping a truncated last line. */
export async function* readRecordsFile(file: string): AsyncGenerator<RecordsLine> {
  const rl = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  try {
    for await (const line of rl) {
      const decoded = decodeLine(line);
      if (decoded) yield decoded;
    }
  } finally {
    rl.close();
  }
}
