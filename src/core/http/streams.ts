import { createParser, type EventSourceMessage } from 'eventsource-parser';

/**
 * Server-sent events from a chunk stream. eventsource-parser follows the SSE
 * spec, so `data:{…}` (TGI, no space) and `data: {…}` (vLLM, OpenAI) both
 * parse, `:` keep-alive comments are skipped, and events split on blank lines
 * whatever the network chunking.
 */
export async function* sseEvents(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<EventSourceMessage> {
  const queue: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (e) => queue.push(e) });
  const decoder = new TextDecoder();
  for await (const c of chunks) {
    parser.feed(decoder.decode(c, { stream: true }));
    while (queue.length) yield queue.shift() as EventSourceMessage;
  }
  parser.feed(decoder.decode());
  // A final event without its blank line is not dispatched by the spec; flush it
  // so that a truncated stream still surfaces its last data.
  parser.feed('\n\n');
  while (queue.length) yield queue.shift() as EventSourceMessage;
}

/**
 * Newline-delimited JSON lines (Ollama): buffers partial lines across network
 * reads and yields each complete, non-empty line as text.
 */
export async function* ndjsonLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buf = '';
  for await (const c of chunks) {
    buf += decoder.decode(c, { stream: true });
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i).trim();
      buf = buf.slice(i + 1);
      if (line) yield line;
    }
  }
  buf += decoder.decode();
  if (buf.trim()) yield buf.trim();
}
