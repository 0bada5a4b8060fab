/**
 * Container logs as lines. Without a TTY the engine multiplexes stdout and
 * stderr into frames (8-byte header: stream type, 3 zero bytes, big-endian
 * payload length); with a TTY the bytes are raw. Frames and lines split at
 * arbitrary network boundaries, and UTF-8 characters may straddle frames,
 * so each stream keeps its own decoder and partial line.
 */
import type { LogLine } from '../types';

type StreamName = LogLine['stream'];

class LineSplitter {
  private readonly decoder = new TextDecoder();
  private partial = '';
  constructor(
    private readonly stream: StreamName,
    private readonly timestamps: boolean,
  ) {}

  push(bytes: Uint8Array, out: LogLine[], final = false): void {
    this.partial += this.decoder.decode(bytes, { stream: !final });
    let i: number;
    while ((i = this.partial.indexOf('\n')) >= 0) {
      out.push(this.line(this.partial.slice(0, i)));
      this.partial = this.partial.slice(i + 1);
    }
    if (final && this.partial) {
      out.push(this.line(this.partial));
      this.partial = '';
    }
  }

  private line(raw: string): LogLine {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.timestamps) {
      const sp = text.indexOf(' ');
      if (sp > 0 && /^\d{4}-\d\d-\d\dT/.test(text))
        return { stream: this.stream, time: text.slice(0, sp), text: text.slice(sp + 1) };
    }
    return { stream: this.stream, text };
  }
}

/** Incremental decoder: feed chunks, get complete lines. */
export class LogDecoder {
  private buffer = Buffer.alloc(0);
  private readonly out: Record<StreamName, LineSplitter>;

  constructor(
    private readonly tty: boolean,
    timestamps: boolean,
  ) {
    this.out = { stdout: new LineSplitter('stdout', timestamps), stderr: new LineSplitter('stderr', timestamps) };
  }

  push(chunk: Uint8Array): LogLine[] {
    const lines: LogLine[] = [];
    if (this.tty) {
      this.out.stdout.push(chunk, lines);
      return lines;
    }
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : Buffer.from(chunk);
    while (this.buffer.length >= 8) {
      const type = this.buffer[0];
      const size = this.buffer.readUInt32BE(4);
      if (type > 2 || this.buffer[1] !== 0 || this.buffer[2] !== 0 || this.buffer[3] !== 0) {
        // Not a frame header: the stream is raw after all (e.g. a TTY we were not told about).
        this.out.stdout.push(this.buffer, lines);
        this.buffer = Buffer.alloc(0);
        break;
      }
      if (this.buffer.length < 8 + size) break;
      this.out[type === 2 ? 'stderr' : 'stdout'].push(this.buffer.subarray(8, 8 + size), lines);
      this.buffer = this.buffer.subarray(8 + size);
    }
    return lines;
  }

  /** Flushes partial lines at the end of the stream. */
  end(): LogLine[] {
    const lines: LogLine[] = [];
    if (this.buffer.length) this.out.stdout.push(this.buffer, lines);
    this.buffer = Buffer.alloc(0);
    this.out.stdout.push(new Uint8Array(), lines, true);
    this.out.stderr.push(new Uint8Array(), lines, true);
    return lines;
  }
}

export async function* logLines(
  chunks: AsyncIterable<Uint8Array>,
  tty: boolean,
  timestamps: boolean,
): AsyncGenerator<LogLine> {
  const d = new LogDecoder(tty, timestamps);
  for await (const c of chunks) yield* d.push(c);
  yield* d.end();
}

/** Lines of a finished (non-follow) log answer. */
export function decodeLogBuffer(buf: Uint8Array, tty: boolean, timestamps: boolean): LogLine[] {
  const d = new LogDecoder(tty, timestamps);
  return [...d.push(buf), ...d.end()];
}
