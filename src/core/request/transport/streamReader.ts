/**
 * Consumes an SSE or NDJSON token stream: text goes out as it arrives with
 * live metrics, the first in-band error or malformed event stops the read
 * (keeping the text so far), and a stream that ends without its end marker
 * is reported as incomplete.
 */
import { ndjsonLines, sseEvents } from '../../http/streams';
import type { RequestEvent } from './execOptions';
import type { RequestError, ResponseView } from '../../../shared/request';
import { parseStreamData } from './streamEvents';
import type { StreamMeter } from './streamMeter';

export interface StreamOutcome {
  text: string;
  views: ResponseView[];
  error?: RequestError;
  sawEnd: boolean;
}

const rawLimit = 256 * 1024;

async function* sseData(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  for await (const e of sseEvents(chunks)) {
    // A named error event (some proxies and servers) carries a message, not JSON.
    if (e.event === 'error' && !e.data.trim().startsWith('{')) yield JSON.stringify({ error: e.data });
    else yield e.data;
  }
}

export class StreamReader {
  private text = '';
  private raw = '';
  private finishReason?: string;
  private events = 0;
  /** Events that carried generated text (even empty): a generation stream with none produced nothing. */
  generationEvents = 0;

  constructor(
    private readonly meter: StreamMeter,
    private readonly onEvent?: (e: RequestEvent) => void,
  ) {}

  get tokens(): number {
    return this.meter.tokenCount;
  }

  /** Reads to the end marker, the first error, or the end of the body. Transport errors and cancellation throw. */
  async read(chunks: AsyncIterable<Uint8Array>, framing: 'sse' | 'ndjson'): Promise<StreamOutcome> {
    const items = framing === 'sse' ? sseData(chunks) : ndjsonLines(chunks);
    let index = 0;
    for await (const data of items) {
      if (this.raw.length < rawLimit) this.raw += `${data}\n`;
      this.events++;
      let ev;
      try {
        ev = parseStreamData(data, index++);
      } catch (e) {
        return this.outcome(false, { kind: 'malformed', message: (e as Error).message });
      }
      if (ev.error)
        return this.outcome(false, {
          kind: 'in-stream',
          message: `The server reported an error inside the stream (HTTP status stays 200): ${ev.error}`,
        });
      if (ev.server) {
        this.meter.serverReport(ev.server);
        if (ev.server.finishReason) this.finishReason = ev.server.finishReason;
      }
      if (ev.text !== undefined) this.generationEvents++;
      if (ev.text) {
        this.text += ev.text;
        this.meter.token();
        this.onEvent?.({ type: 'delta', text: ev.text, metrics: this.meter.snapshot() });
      }
      if (ev.done) return this.outcome(true);
    }
    return this.outcome(false);
  }

  /**
   * A raw chunked stream (TorchServe streaming: one HTTP chunk per token, no
   * delimiter). Each read is one piece of text; an error object sent as the
   * last chunk (TorchServe's `{code, type, message}`) ends it as an error.
   */
  async readChunks(chunks: AsyncIterable<Uint8Array>): Promise<StreamOutcome> {
    const decoder = new TextDecoder();
    for await (const c of chunks) {
      const piece = decoder.decode(c, { stream: true });
      if (!piece) continue;
      const error = torchServeError(piece);
      if (error)
        return this.outcome(false, {
          kind: 'in-stream',
          message: `The server reported an error inside the stream (HTTP status stays 200): ${error}`,
        });
      this.text += piece;
      if (this.raw.length < rawLimit) this.raw += piece;
      this.meter.token();
      this.onEvent?.({ type: 'delta', text: piece, metrics: this.meter.snapshot() });
    }
    return this.outcome(true);
  }

  /** Why a generation stream that reached its end is not an answer: no event carried generated text. */
  noGeneration(): RequestError | undefined {
    if (this.generationEvents > 0) return undefined;
    const first = this.raw.slice(0, 120);
    return {
      kind: 'malformed',
      message: `The stream ended without a generation event: ${this.events} event${this.events === 1 ? '' : 's'} arrived but none carried generated text (first: ${JSON.stringify(first)}${this.raw.length > 120 ? '…' : ''})`,
    };
  }

  /** What was read so far (after a cancel or a transport error, too). */
  outcome(sawEnd: boolean, error?: RequestError): StreamOutcome {
    const views: ResponseView[] = [{ type: 'generation', text: this.text, finishReason: this.finishReason }];
    if (this.raw) views.push({ type: 'text', text: this.raw, truncated: this.raw.length >= rawLimit });
    return { text: this.text, views, error, sawEnd };
  }
}

function torchServeError(piece: string): string | undefined {
  const t = piece.trim();
  if (!t.startsWith('{') || !t.includes('Exception')) return undefined;
  try {
    const o = JSON.parse(t) as { type?: unknown; message?: unknown };
    return typeof o.type === 'string' && /Exception$/.test(o.type) && typeof o.message === 'string'
      ? `${o.message} (${o.type})`
      : undefined;
  } catch {
    return undefined;
  }
}
