/**
 * TorchServe's framing (wire reference §5): Netty writes lower-case headers
 * and an `x-request-id`; server-made JSON (ping, errors, management) is Gson
 * pretty-printed with a trailing newline; errors are
 * `{"code","type","message"}` with the status of the exception class.
 */
import { randomUUID } from 'node:crypto';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { BodyTooLargeError, send } from '../../http/respond';

/** TorchServe numbers model versions like "1.0". */
export const TORCHSERVE_MODEL_VERSION = '1.0';

/** The TorchServe release this personality answers as (`info.version` of `GET /api-description`; 0.12.0 is tested here). */
export const TORCHSERVE_VERSION = '0.12.0';

/** `GET /api-description` (or `OPTIONS /`): TorchServe's OpenAPI description; the version is in `info`. */
export function apiDescription(paths: string[]) {
  return {
    openapi: '3.0.1',
    info: {
      title: 'TorchServe APIs',
      description: 'TorchServe is a flexible and easy to use tool for serving deep learning models',
      version: TORCHSERVE_VERSION,
    },
    paths: Object.fromEntries(paths.map((p) => [p, {}])),
  };
}

/** What a handler's failure looks like to the client: the worker's exception becomes a 503 with no detail. */
export const predictionFailed = () => new TorchServeError(503, 'InternalServerException', 'Prediction failed');

export const NOT_FOUND_MESSAGE = 'Requested resource is not found, please refer to API document.';
export const METHOD_MESSAGE = 'Requested method is not allowed, please refer to API document.';

export class TorchServeError extends Error {
  constructor(
    readonly code: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export const modelNotFound = (name: string) =>
  new TorchServeError(404, 'ModelNotFoundException', `Model not found: ${name}`);

export function versionNotFound(name: string, version: string): TorchServeError {
  return new TorchServeError(
    404,
    'ModelVersionNotFoundException',
    `Model version: ${version} does not exist for model: ${name}`,
  );
}

export function noWorker(name: string): TorchServeError {
  return new TorchServeError(
    503,
    'ServiceUnavailableException',
    `Model "${name}" has no worker to serve inference request. Please use scale workers API to add workers. If this is a sequence inference, please check if it is closed, or expired; or exceeds maxSequenceJobQueueSize`,
  );
}

export function toTorchServeError(e: unknown): TorchServeError {
  if (e instanceof TorchServeError) return e;
  if (e instanceof BodyTooLargeError) return new TorchServeError(413, 'RequestEntityTooLargeException', e.message);
  return new TorchServeError(500, 'InternalServerException', e instanceof Error ? e.message : String(e));
}

/** Netty's lower-case headers with the request id TorchServe adds to every answer. */
export function nettyHeaders(res: ServerResponse, contentType?: string): OutgoingHttpHeaders {
  // Netty adds no Date header.
  res.sendDate = false;
  const h: OutgoingHttpHeaders = {};
  if (contentType) h['content-type'] = contentType;
  h['x-request-id'] = randomUUID();
  return h;
}

/** Gson pretty printing: 2-space indent, plus the newline TorchServe appends. */
export function gson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Python's `repr(float)`: shortest digits, `.0` when integral, exponent below 1e-4 or from 1e16 (`1e-05`). */
function pyFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const [mantissa, e] = v.toExponential().split('e');
  const exp = Number(e);
  if (exp < -4 || exp >= 16) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  const s = String(v);
  return s.includes('.') ? s : `${s}.0`;
}

/**
 * What a handler returning a dict or list sends: Python's
 * `json.dumps(x, indent=2)` (floats as Python prints them, non-ASCII escaped,
 * no trailing newline). Every number a handler returns here is a float.
 */
export function pyJsonDumps(v: unknown, depth = 0): string {
  const pad = (d: number) => `\n${' '.repeat(d * 2)}`;
  if (typeof v === 'number') return pyFloat(v);
  if (typeof v === 'string')
    return JSON.stringify(v).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ArrayBuffer.isView(v)) return pyJsonDumps(Array.from(v as Float32Array), depth);
  if (Array.isArray(v))
    return v.length ? `[${v.map((x) => pad(depth + 1) + pyJsonDumps(x, depth + 1)).join(',')}${pad(depth)}]` : '[]';
  if (v && typeof v === 'object') {
    const entries = Object.entries(v);
    return entries.length
      ? `{${entries.map(([k, x]) => `${pad(depth + 1)}${JSON.stringify(k)}: ${pyJsonDumps(x, depth + 1)}`).join(',')}${pad(depth)}}`
      : '{}';
  }
  return v === true ? 'true' : v === false ? 'false' : 'null';
}

export function sendTsJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, gson(value), nettyHeaders(res, 'application/json'));
}

export function sendTsError(res: ServerResponse, e: unknown): void {
  if (res.headersSent) return void res.destroy();
  const err = toTorchServeError(e);
  sendTsJson(res, err.code, { code: err.code, type: err.type, message: err.message });
}
