import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import {
  decodeLine,
  encodeRecord,
  encodeRecordInto,
  maxEncodedBytes,
  type RawRecord,
  type RecordsLine,
  type RecordsMeta,
  type StepMarker,
} from './record';

/** Size of the write batch: one synchronous write per few hundred records. */
const BATCH_BYTES = 64 * 1024;

/**
 * Appends records to a JSONL file as they complete, so memory stays flat on
 * long runs and a crash loses at most the last unflushed batch. Lines are
 * encoded straight into one reused 64 KB buffer (as bytes: no string per
 * record, unless it carries an error message) and written synchronously
 * when it fills (one syscall per few hundred requests, tens of microseconds
 * into the page cache): nothing queues in memory behind a slow stream, and
 * no line string outlives its record (buffered strings would survive
 * garbage collections and grow the heap on fast runs).
 */
export class RecordsWriter {
  private readonly fd: number;
  private readonly out = Buffer.allocUnsafeSlow(BATCH_BYTES);
  private used = 0;
  private failed: Error | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly path: string,
    meta: RecordsMeta,
  ) {
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
    const need = maxEncodedBytes(r);
    // A record with an error message (any text) or too long for the buffer goes through a string.
    if (r.ek !== undefined || need > this.out.length || this.failed || this.closed) return this.push(encodeRecord(r));
    if (this.used + need > this.out.length) this.flush();
    this.used = encodeRecordInto(this.out, this.used, r);
    this.arm();
  }

  step(marker: StepMarker): void {
    this.push(`${JSON.stringify({ step: marker })}\n`);
    this.flush();
  }

  private push(line: string): void {
    if (this.failed || this.closed) return;
    // UTF-8 needs at most three bytes per UTF-16 unit.
    if (this.used + line.length * 3 > this.out.length) {
      this.flush();
      if (line.length * 3 > this.out.length) return this.writeAll(Buffer.from(line));
    }
    this.used += this.out.write(line, this.used);
    this.arm();
  }

  private arm(): void {
    if (!this.timer) {
      // A quiet run still reaches the disk within a second.
      this.timer = setTimeout(() => this.flush(), 1000);
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.used || this.failed || this.closed) return;
    const n = this.used;
    this.used = 0;
    this.writeAll(this.out.subarray(0, n));
  }

  private writeAll(bytes: Uint8Array): void {
    try {
      for (let off = 0; off < bytes.length;) off += fs.writeSync(this.fd, bytes, off, bytes.length - off);
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
