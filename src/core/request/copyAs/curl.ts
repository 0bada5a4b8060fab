/**
 * "Copy as curl" for HTTP requests. Streams get `-N` so tokens print as they
 * arrive; a binary body (KServe binary tensors) is piped in with printf, a
 * file body is read by curl itself.
 */
import type { HttpWire } from '../wire';
import { bytesAsText, printfBytes, shQuote, shQuoteWithKey } from './quote';

export interface HttpCopyInput {
  wire: HttpWire;
  /** The body came from this file (TorchServe file mode): refer to it rather than inline it. */
  bodyFile?: string;
}

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
  else if (typeof wire.body === 'string') lines.push(`--data-raw ${shQuote(wire.body)}`);
  else if (wire.body) {
    const text = bytesAsText(wire.body);
    if (text !== undefined) lines.push(`--data-raw ${shQuote(text)}`);
    else {
      pipe = `printf ${printfBytes(wire.body)} | `;
      lines.push('--data-binary @-');
    }
  }
  return pipe + lines.join(' \\\n  ');
}
