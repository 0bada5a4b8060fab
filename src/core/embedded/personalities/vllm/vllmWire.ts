/**
 * vLLM's response framing (uvicorn: lower-case headers, `server: uvicorn`),
 * its error bodies (≥ 0.10.1 `{"error":{message,type,param,code}}`) and the
 * mapping from request problems to them.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { BodyTooLargeError, httpDate, isObject, parseJson, readBody, send } from '../../http/respond';
import { invalidBody } from '../../openai/validation';
import { INJECTED_FAULT_MESSAGE, NOT_READY_MESSAGE, REQUEST_ERROR_STATUS, RequestError } from '../../requestError';

export function uvicornHeaders(contentType: string | undefined): OutgoingHttpHeaders {
  const h: OutgoingHttpHeaders = { date: httpDate(), server: 'uvicorn' };
  if (contentType) h['content-type'] = contentType;
  return h;
}

/** Sends compact JSON the way FastAPI's JSONResponse does. */
export function sendVllmJson(res: ServerResponse, status: number, value: unknown): void {
  res.sendDate = false;
  send(res, status, JSON.stringify(value), uvicornHeaders('application/json'));
}

const ERROR_TYPES: Record<number, string> = {
  400: 'BadRequestError',
  401: 'AuthenticationError',
  404: 'NotFoundError',
  429: 'RateLimitError',
  500: 'InternalServerError',
  503: 'ServiceUnavailableError',
};

/** The error object vLLM ≥ 0.10.1 puts under `"error"`. `type` follows the status. */
export function vllmErrorObject(
  status: number,
  message: string,
  param: string | null,
  type = ERROR_TYPES[status] ?? 'InternalServerError',
) {
  return { message, type, param, code: status };
}

export function sendVllmError(
  res: ServerResponse,
  status: number,
  message: string,
  param: string | null = null,
  type?: string,
): void {
  sendVllmJson(res, status, { error: vllmErrorObject(status, message, param, type) });
}

/** Maps a RequestError (or anything else) to a vLLM error response. */
export function sendVllmFailure(res: ServerResponse, e: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (e instanceof BodyTooLargeError) return sendVllmError(res, 413, e.message, null, 'Request Entity Too Large');
  if (!(e instanceof RequestError)) return sendVllmError(res, 500, e instanceof Error ? e.message : String(e));
  const status = REQUEST_ERROR_STATUS[e.reason];
  // Validation and HTTP-exception handlers name the type by reason phrase (wire reference §7).
  const type = e.reason === 'validation' ? 'Bad Request' : undefined;
  sendVllmError(res, status, e.message, e.param, type);
}

/** Reads a JSON object body or throws the validation error vLLM would give. */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  return jsonObjectOf(await readBody(req));
}

/** A body parsed as a JSON object, or the validation error vLLM would give. */
export function jsonObjectOf(body: Buffer): Record<string, unknown> {
  const parsed = parseJson(body);
  if (!parsed.ok) throw invalidBody(parsed.message);
  if (!isObject(parsed.value)) throw invalidBody('not an object');
  return parsed.value;
}

export const injectedFault = () => new RequestError('injected', INJECTED_FAULT_MESSAGE);
export const notReady = () => new RequestError('not-ready', NOT_READY_MESSAGE);
