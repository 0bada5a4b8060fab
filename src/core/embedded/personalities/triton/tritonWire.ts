/**
 * Triton's HTTP framing (wire reference §3): evhtp writes Canonical-Case
 * header names and no Date header; errors are `{"error": "<message>"}` with
 * the status of the Triton error code (unknown model → 400, not 404); health
 * answers have an empty body.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { JsonHeaderError, TensorCodecError } from '../../../kserve/codecError';
import { CancelledError } from '../../../util/abort';
import { BodyTooLargeError, send } from '../../http/respond';

/** The Triton release whose wire behaviour this personality follows (override with `options.version`). */
export const TRITON_VERSION = '2.59.0';

/** Server extensions in Triton's order (wire reference §3). */
export const TRITON_EXTENSIONS = [
  'classification',
  'sequence',
  'model_repository',
  'model_repository(unload_dependents)',
  'schedule_policy',
  'model_configuration',
  'system_shared_memory',
  'cuda_shared_memory',
  'binary_tensor_data',
  'parameters',
  'statistics',
  'trace',
  'logging',
];

export type TritonCode =
  'INVALID_ARG' | 'NOT_FOUND' | 'UNAVAILABLE' | 'INTERNAL' | 'UNSUPPORTED' | 'ALREADY_EXISTS' | 'CANCELLED' | 'UNKNOWN';

/** An error with Triton's own code; HTTP and gRPC statuses derive from it. */
export class TritonError extends Error {
  constructor(
    readonly code: TritonCode,
    message: string,
    /** Sent as `Content-Type: text/plain` over REST (its body still JSON), where Triton 2.51 labels it so. */
    readonly textPlain = false,
  ) {
    super(message);
  }
}

const HTTP_STATUS: Record<TritonCode, number> = {
  INTERNAL: 500,
  NOT_FOUND: 404,
  UNAVAILABLE: 503,
  UNSUPPORTED: 501,
  UNKNOWN: 400,
  INVALID_ARG: 400,
  ALREADY_EXISTS: 400,
  CANCELLED: 400,
};

/** Triton 2.51: HTTP 404, gRPC NOT_FOUND (seen on the real one; older releases answered 400 / INVALID_ARGUMENT). */
export function unknownModel(name: string): TritonError {
  return new TritonError('NOT_FOUND', `Request for unknown model: '${name}' is not found`);
}

/** Any failure as a TritonError: bad tensors and bodies are INVALID_ARG, the rest INTERNAL. */
export function toTritonError(e: unknown): TritonError {
  if (e instanceof TritonError) return e;
  // A body that is not JSON: Triton 2.51 answers 500 with its JSON parser's message (seen on the real one).
  if (e instanceof JsonHeaderError) return new TritonError('INTERNAL', e.message);
  if (e instanceof TensorCodecError || e instanceof BodyTooLargeError) return new TritonError('INVALID_ARG', e.message);
  if (CancelledError.is(e)) return new TritonError('CANCELLED', 'request cancelled');
  return new TritonError('INTERNAL', e instanceof Error ? e.message : String(e));
}

export function tritonHeaders(contentType: string, extra: OutgoingHttpHeaders = {}): OutgoingHttpHeaders {
  return { 'Content-Type': contentType, ...extra };
}

export function sendTritonJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  contentType = 'application/json',
): void {
  res.sendDate = false;
  send(res, status, JSON.stringify(value), tritonHeaders(contentType));
}

/** Health and load/unload answers: a status and an empty body. */
export function sendTritonEmpty(res: ServerResponse, status: number, contentType = 'text/plain'): void {
  res.sendDate = false;
  send(res, status, '', tritonHeaders(contentType));
}

export function sendTritonError(res: ServerResponse, e: unknown): void {
  if (res.headersSent) return void res.destroy();
  const err = toTritonError(e);
  // Triton 2.51 labels its 501 (a decoupled model's REST infer) and an infer's unknown model text/plain, though the
  // body is JSON.
  const status = HTTP_STATUS[err.code];
  sendTritonJson(
    res,
    status,
    { error: err.message },
    status === 501 || err.textPlain ? 'text/plain' : 'application/json',
  );
}
