import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { decodeLine, encodeRecord, type RawRecord, type RecordsLine, type RecordsMeta, type StepMarker } from './record';

/**
 * Appends records to a JSONL file as they complete, so memory stays flat on
 * long runs and a crash loses at most the last unflushed batch. Lines are
 * batched into ~64 KB writes: one syscall per few hundred requests.
 */
export class RecordsWriter {
  private readonly stream: fs.WriteStream;
  private buf: string[] = [];
  private bufLen = 0;
  private failed: Error | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly path: string, meta: RecordsMeta) {
    fs.mkdirSync(dirnameOf(path), { recursive: true });
    this.stream = fs.createWriteStream(path, { flags: 'w' });
    this.stream.on('error', (e) => (this.failed = e));
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
    if (!this.buf.length || this.failed) return;
    this.stream.write(this.buf.join(''));
    this.buf = [];
    this.bufLen = 0;
  }

  /** Flushes and closes; resolves when the data is on disk (as far as the OS is concerned). */
  close(): Promise<void> {
    this.flush();
    return new Promise((resolve, reject) => {
      this.stream.end(() => (this.failed ? reject(this.failed) : resolve()));
    });
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
