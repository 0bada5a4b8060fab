/**
 * Views of a complete (non-streamed) HTTP answer and the error it carries,
 * if any: a non-2xx status, a body that should be JSON and is not (empty,
 * truncated, HTML from a proxy), an error object inside a 200 body, or a
 * body too large to keep. The raw text stays visible in every case.
 */
import { httpError, serverMessageFromBody } from '../../http/errors';
import { inStreamError } from '../transport/streamEvents';
import { isJsonContentType, notJsonMessage, parseJsonBody, prettyJson } from './jsonBody';
import { jsonViews } from './jsonViews';
import { binaryInferViews } from './kserveViews';
import type { RequestError, ResponseView } from '../../../shared/request';
import { formatBytes } from '../../../shared/format';
import type { Expect } from '../build/wire';

export interface BodyInput {
  status: number;
  contentType: string;
  /** The kept bytes (at most the panel's limit). */
  body: Uint8Array;
  /** All bytes received. */
  sizeBytes: number;
  /** The limit `body` was cut at, when it was. */
  cutAt?: number;
  expect: Expect;
  /** KServe binary tensor extension: the answer's Inference-Header-Content-Length. */
  inferHeaderLength?: string;
}

export interface BodyOutcome {
  views: ResponseView[];
  error?: RequestError;
  notes: string[];
}

const previewBytes = 64 * 1024;

function looksBinary(b: Uint8Array): boolean {
  const n = Math.min(b.length, 512);
  for (let i = 0; i < n; i++) if (b[i] === 0) return true;
  return false;
}

function textView(body: Uint8Array, limit = previewBytes): ResponseView {
  const cut = body.length > limit;
  const part = body.subarray(0, limit);
  if (looksBinary(part)) {
    const hex = Array.from(part.subarray(0, 1024), (x) => x.toString(16).padStart(2, '0')).join(' ');
    return { type: 'text', text: `(binary, ${formatBytes(body.length)})\n${hex}`, truncated: true };
  }
  return { type: 'text', text: Buffer.from(part).toString('utf8'), truncated: cut };
}

export function bodyViews(input: BodyInput): BodyOutcome {
  const notes: string[] = [];
  if (input.cutAt !== undefined) {
    return {
      views: [textView(input.body)],
      notes,
      error: {
        kind: 'too-large',
        message: `The response body is ${formatBytes(input.sizeBytes)}, more than the ${formatBytes(input.cutAt)} the request panel keeps: the first ${formatBytes(Math.min(previewBytes, input.body.length))} are shown as text`,
      },
    };
  }
  const text = Buffer.from(input.body).toString('utf8');
  const ok = input.status >= 200 && input.status < 300;
  const parsed = text.trim() ? parseJsonBody(text) : undefined;
  if (!ok) {
    const e = httpError(input.status, input.body);
    return {
      views: parsed?.ok
        ? [{ type: 'json', text: prettyJson(parsed.value) }]
        : input.body.length
          ? [textView(input.body)]
          : [],
      notes,
      error: { kind: e.kind, message: e.message },
    };
  }
  if (input.inferHeaderLength !== undefined) return binaryOutcome(input, notes);
  if (parsed?.ok) {
    if (parsed.nonFinite)
      notes.push('The body holds bare NaN or Infinity (TF Serving does this); they are shown as null');
    if (input.contentType && !isJsonContentType(input.contentType))
      notes.push(`The body is JSON but the server labelled it ${input.contentType}`);
    const views = [...jsonViews(parsed.value), { type: 'json' as const, text: prettyJson(parsed.value) }];
    const inBody =
      parsed.value && typeof parsed.value === 'object' && !Array.isArray(parsed.value)
        ? inStreamError(parsed.value as Record<string, unknown>)
        : undefined;
    return {
      views,
      notes,
      error: inBody
        ? { kind: 'in-body', message: `The server answered HTTP ${input.status} with an error: ${inBody}` }
        : undefined,
    };
  }
  if (input.expect === 'json' || isJsonContentType(input.contentType)) {
    const message = notJsonMessage(text, parsed && !parsed.ok ? parsed.message : '', input.contentType, input.body);
    return { views: input.body.length ? [textView(input.body)] : [], notes, error: { kind: 'malformed', message } };
  }
  if (input.expect === 'sse' || input.expect === 'ndjson') {
    const want =
      input.expect === 'sse' ? 'an event stream (text/event-stream)' : 'an NDJSON stream (application/x-ndjson)';
    const server = serverMessageFromBody(input.body);
    return {
      views: input.body.length ? [textView(input.body)] : [],
      notes,
      error: {
        kind: 'malformed',
        message: `Expected ${want} but the server sent ${input.contentType || 'no Content-Type'}${server ? `: ${server.slice(0, 200)}` : ''}`,
      },
    };
  }
  return { views: input.body.length ? [textView(input.body)] : [], notes };
}

function binaryOutcome(input: BodyInput, notes: string[]): BodyOutcome {
  try {
    return { views: binaryInferViews(Buffer.from(input.body), input.inferHeaderLength ?? ''), notes };
  } catch (e) {
    return {
      views: [textView(input.body)],
      notes,
      error: { kind: 'malformed', message: `The binary tensor answer cannot be decoded: ${(e as Error).message}` },
    };
  }
}
