/**
 * What a TorchServe handler receives: the raw body, the `data` (or `body`)
 * field of a multipart form (`curl -F data=@kitten.jpg`), or parsed JSON when
 * the client sent JSON. Handlers then read it as their model needs.
 */
import type { IncomingMessage } from 'node:http';
import { TorchServeError } from './torchserveWire';

export type TsInput = { kind: 'bytes'; bytes: Buffer } | { kind: 'json'; value: unknown };

export const badInput = (message: string) => new TorchServeError(400, 'BadRequestException', message);

/** The parts of a multipart/form-data body, by field name (first part also under ''). */
function multipartParts(body: Buffer, boundary: string): Map<string, Buffer> {
  const parts = new Map<string, Buffer>();
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const part = body.subarray(start + 2, next - 2);
    const headEnd = part.indexOf('\r\n\r\n');
    if (headEnd >= 0) {
      const head = part.subarray(0, headEnd).toString('utf8');
      const name = /name="([^"]*)"/i.exec(head)?.[1] ?? '';
      const content = part.subarray(headEnd + 4);
      if (!parts.size) parts.set('', content);
      if (!parts.has(name)) parts.set(name, content);
    }
    at = next;
  }
  return parts;
}

export function readTsInput(req: IncomingMessage, body: Buffer): TsInput {
  const type = String(req.headers['content-type'] ?? '');
  // Boundaries are case-sensitive: match on the header as sent.
  const boundary = /multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (boundary) {
    const parts = multipartParts(body, boundary);
    const data = parts.get('data') ?? parts.get('body') ?? parts.get('');
    if (!data) throw badInput('Invalid multipart body: no "data" field');
    return { kind: 'bytes', bytes: data };
  }
  if (/json/i.test(type)) {
    try {
      return { kind: 'json', value: JSON.parse(body.toString('utf8')) };
    } catch {
      // TorchServe hands undecodable JSON to the handler as bytes.
    }
  }
  return { kind: 'bytes', bytes: body };
}

/** `row.get("data") or row.get("body")`, as TorchServe's base handlers read a request. */
export function dataField(value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    return o.data ?? o.body ?? o.inputs ?? o.text ?? o.prompt ?? value;
  }
  return value;
}
