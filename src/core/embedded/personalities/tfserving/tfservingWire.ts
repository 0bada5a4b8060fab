/**
 * TF Serving's REST framing (wire reference §6): predict answers and errors
 * come from rapidjson's PrettyWriter (4-space indent, arrays on one line,
 * floats always with a decimal point, bare NaN/Infinity, no trailing
 * newline); status and metadata are protobuf JSON (1-space indent, trailing
 * newline). Headers in Canonical-Case; errors are `{"error": …}`.
 */
import type { ServerResponse } from 'node:http';
import { BodyTooLargeError, send } from '../../http/respond';

/** gRPC-style status names TF Serving maps to HTTP (`ToHTTPStatusCode`). */
const HTTP_STATUS: Record<string, number> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  OUT_OF_RANGE: 400,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  ABORTED: 409,
  PERMISSION_DENIED: 403,
  RESOURCE_EXHAUSTED: 429,
  DEADLINE_EXCEEDED: 504,
  UNIMPLEMENTED: 501,
  UNAVAILABLE: 503,
  UNAUTHENTICATED: 401,
  CANCELLED: 499,
};

export class TfError extends Error {
  constructor(
    readonly status: keyof typeof HTTP_STATUS | 'INTERNAL',
    message: string,
  ) {
    super(message);
  }
}

/** A JS number as rapidjson writes a float: shortest round-trip form, always with a point or exponent. */
function decimal(v: number, float32: boolean): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  let s = String(v);
  if (float32) {
    for (let p = 1; p <= 9; p++) {
      const c = Number(v.toPrecision(p));
      if (Math.fround(c) === v) {
        s = String(c);
        break;
      }
    }
  }
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/**
 * PrettyWriter with kFormatSingleLineArray. Float tensors are passed as
 * Float32Array/Float64Array so their elements print as decimals; plain
 * numbers print as integers when they are integers.
 */
export function rapidPretty(v: unknown, depth = 0): string {
  if (v instanceof Float32Array || v instanceof Float64Array)
    return `[${Array.from(v, (x) => decimal(x, v instanceof Float32Array)).join(', ')}]`;
  if (Array.isArray(v)) return `[${v.map((x) => rapidPretty(x, depth + 1)).join(', ')}]`;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : decimal(v, false);
  if (v && typeof v === 'object') {
    const entries = Object.entries(v);
    if (!entries.length) return '{}';
    const pad = ' '.repeat((depth + 1) * 4);
    return `{${entries.map(([k, x]) => `\n${pad}${JSON.stringify(k)}: ${rapidPretty(x, depth + 1)}`).join(',')}\n${' '.repeat(depth * 4)}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** Protobuf JSON with whitespace: 1-space indent and a trailing newline. */
export function protoJson(v: unknown): string {
  return `${JSON.stringify(v, null, 1)}\n`;
}

export function sendTfBody(res: ServerResponse, status: number, body: string): void {
  res.sendDate = false;
  send(res, status, body, { 'Content-Type': 'application/json' });
}

export function sendTfError(res: ServerResponse, e: unknown): void {
  if (res.headersSent) return void res.destroy();
  const err =
    e instanceof TfError
      ? e
      : e instanceof BodyTooLargeError
        ? new TfError('INVALID_ARGUMENT', e.message)
        : new TfError('INTERNAL', e instanceof Error ? e.message : String(e));
  sendTfBody(res, HTTP_STATUS[err.status] ?? 500, rapidPretty({ error: err.message }));
}

/** `JSON Parse error: <reason> at offset: N`, from a JSON.parse failure. */
export function parseError(e: unknown, bodyLength: number): TfError {
  const msg = e instanceof Error ? e.message : String(e);
  // JSON.parse names no position when the input ends early: that offset is the end.
  const offset = /position (\d+)/.exec(msg)?.[1] ?? String(bodyLength);
  const reason = msg.replace(/ in JSON at position \d+.*$/s, '').replace(/ at position \d+.*$/s, '');
  return new TfError('INVALID_ARGUMENT', `JSON Parse error: ${reason} at offset: ${offset}`);
}
