import { createParser } from 'eventsource-parser';

/**
 * Push-mode framing parsers for the hot path: body chunks are fed as undici
 * delivers them and every complete event is handed over synchronously, so it
 * carries the arrival time of the chunk that completed it. SSE uses the same
 * spec-following parser as `src/core/http/streams.ts` (eventsource-parser:
 * `data:` with or without the space, `:` keep-alives skipped); NDJSON splits
 * on `\n` across chunk boundaries like `ndjsonLines`.
 */
export interface PushParser {
  feed(chunk: Buffer): void;
  /** End of body: flushes a final event or line that lacked its terminator. */
  end(): void;
}

export function sseParser(onData: (data: string) => void): PushParser {
  const parser = createParser({ onEvent: (e) => onData(e.data) });
  const decoder = new TextDecoder();
  return {
    feed: (chunk) => parser.feed(decoder.decode(chunk, { stream: true })),
    end: () => {
      parser.feed(decoder.decode());
      parser.feed('\n\n');
    },
  };
}

export function ndjsonParser(onLine: (line: string) => void): PushParser {
  const decoder = new TextDecoder();
  let buf = '';
  const drain = () => {
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i).trim();
      buf = buf.slice(i + 1);
      if (line) onLine(line);
    }
  };
  return {
    feed: (chunk) => {
      buf += decoder.decode(chunk, { stream: true });
      drain();
    },
    end: () => {
      buf += decoder.decode();
      drain();
      if (buf.trim()) onLine(buf.trim());
      buf = '';
    },
  };
}
