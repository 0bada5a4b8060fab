/**
 * "Copy as curl" for HTTP requests. Streams get `-N` so tokens print as they
 * arrive; a binary body (KServe binary tensors) is piped in with printf, a
 * file body is read by curl itself. A text body longer than one command-line
 * argument may be (Linux: 128 KiB, e.g. a 224×224 image tensor as JSON) is
 * piped in too: printf is a shell builtin, so no exec limit applies to it.
 */
import type { HttpWire } from '../build/wire';
import { bytesAsText, printfBytes, shQuote, shQuoteWithKey } from './quote';

export interface HttpCopyInput {
  wire: HttpWire;
  /** The body came from this file (TorchServe file mode): refer to it rather than inline it. */
  bodyFile?: string;
}

/** Longest body passed as one argument; longer ones go through a pipe (Linux refuses arguments over 128 KiB). */
export const maxArgumentBody = 64 * 1024;

export function toCurl({ wire, bodyFile }: HttpCopyInput): string {
  // One option per line keeps long commands readable; the body goes last.
  const first = ['curl', '-sS'];
  if (wire.expect === 'sse' || wire.expect === 'ndjson') first.push('-N');
  if (wire.method !== 'GET' || wire.body !== undefined) first.push('-X', wire.method);
  first.push(shQuote(wire.url));
  const lines = [first.join(' ')];
  for (const [k, v] of Object.entries(wire.headers)) lines.push(`-H ${shQuoteWithKey(`${k}: ${v}`)}`);
  let pipe = '';
  if (bodyFile) lines.push(`--data-binary ${shQuote(`@${bodyFile}`)}`);
  else if (wire.body !== undefined) {
    const text = typeof wire.body === 'string' ? wire.body : bytesAsText(wire.body);
    if (text !== undefined && Buffer.byteLength(text) <= maxArgumentBody) lines.push(`--data-raw ${shQuote(text)}`);
    else if (text !== undefined) {
      pipe = `printf '%s' ${shQuote(text)} | `;
      lines.push('--data-binary @-');
    } else {
      pipe = `printf ${printfBytes(wire.body as Uint8Array)} | `;
      lines.push('--data-binary @-');
    }
  }
  return pipe + lines.join(' \\\n  ');
}
