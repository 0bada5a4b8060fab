/**
 * Triton's HTTP/REST front end (KServe v2 + Triton extensions, wire
 * reference §1, §3): health with empty bodies (400 when not ready), server and
 * model metadata, model config, readiness, inference with JSON tensors or the
 * binary tensor extension, repository index and load/unload, statistics.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync, deflateSync } from 'node:zlib';
import { INFERENCE_HEADER_CONTENT_LENGTH } from '../../../kserve/httpBinary';
import { decodeInferRequest, encodeInferResponse, wantsBinaryOutput } from '../../../kserve/inferHttp';
import { isObject, parseJson, readBody, send } from '../../http/respond';
import { Router } from '../../http/router';
import { clientGone } from '../../textJob';
import { tritonMetadata, tritonModelConfig } from './tritonConfig';
import type { TritonService } from './tritonService';
import { sendTritonEmpty, sendTritonError, sendTritonJson, tritonHeaders, TritonError } from './tritonWire';

const MODEL = '/v2/models/([^/]+)(?:/versions/(\\d+))?';
const route = (suffix: string) => new RegExp(`^${MODEL}${suffix}$`);

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Triton compresses inference responses when the client accepts gzip or deflate. */
function compress(req: IncomingMessage, body: Buffer): { body: Buffer; encoding?: string } {
  const accept = header(req, 'accept-encoding') ?? '';
  if (/\bgzip\b/i.test(accept)) return { body: gzipSync(body), encoding: 'gzip' };
  if (/\bdeflate\b/i.test(accept)) return { body: deflateSync(body), encoding: 'deflate' };
  return { body };
}

function inferHandler(service: TritonService) {
  return async (req: IncomingMessage, res: ServerResponse, params: string[]) => {
    const startedAt = service.ctx.clock.now();
    const [name, version] = params;
    // Unknown models (404, labelled text/plain) and decoupled ones (501) fail before the body is read, as in Triton.
    const model = (() => {
      try {
        return service.unaryModel(name, version || undefined, 'HTTP end point');
      } catch (e) {
        throw e instanceof TritonError && e.code === 'NOT_FOUND' ? new TritonError(e.code, e.message, true) : e;
      }
    })();
    const body = await readBody(req);
    // A body that does not decode is refused and, as in Triton 2.51, not counted as a failure.
    const decoded = decodeInferRequest(body, header(req, INFERENCE_HEADER_CONTENT_LENGTH));
    const raw = decoded.rawInput !== undefined;
    if (raw) decoded.inputs = [model.rawInput(decoded.rawInput!)];
    const inputMs = service.ctx.clock.now() - startedAt;
    const result = await service.infer(name, version || undefined, decoded, {
      startedAt,
      inputMs,
      signal: clientGone(res),
    });
    try {
      // A raw binary request gets every output back as binary data.
      const enc = encodeInferResponse(result.response, (n) => raw || wantsBinaryOutput(decoded, n));
      const { body: out, encoding } = compress(req, enc.body);
      const extra: Record<string, string | number> = {};
      if (enc.headerLength !== undefined) extra[INFERENCE_HEADER_CONTENT_LENGTH] = enc.headerLength;
      if (encoding) extra['Content-Encoding'] = encoding;
      result.complete();
      res.sendDate = false;
      send(res, 200, out, tritonHeaders(enc.contentType, extra));
    } catch (e) {
      result.fail(e);
      throw e;
    }
  };
}

function repositoryHandler(service: TritonService, load: boolean) {
  return async (req: IncomingMessage, res: ServerResponse, params: string[]) => {
    await readBody(req);
    service.setLoaded(params[0], load);
    sendTritonEmpty(res, 200, 'application/json');
  };
}

async function readOptionalJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(req);
  if (!body.length) return {};
  const parsed = parseJson(body);
  if (!parsed.ok || !isObject(parsed.value))
    throw new TritonError(
      'INVALID_ARG',
      `failed to parse the request JSON buffer: ${parsed.ok ? 'expected an object' : parsed.message}`,
    );
  return parsed.value;
}

export function tritonHttpRouter(service: TritonService): Router {
  const ready = (ok: boolean, res: ServerResponse) => sendTritonEmpty(res, ok ? 200 : 400);
  return (
    new Router({
      notFound: (_req, res) => sendTritonJson(res, 404, { error: 'Not Found' }),
      methodNotAllowed: (_req, res) => sendTritonJson(res, 405, { error: 'Method Not Allowed' }),
      error: (_req, res, e) => sendTritonError(res, e),
    })
      .on('GET', '/v2', (_req, res) => sendTritonJson(res, 200, service.serverMetadata()))
      .on('GET', '/v2/health/live', (_req, res) => sendTritonEmpty(res, 200))
      .on('GET', '/v2/health/ready', (_req, res) => ready(service.ready(), res))
      .on('GET', '/v2/models/stats', (_req, res) => sendTritonJson(res, 200, { model_stats: service.statistics() }))
      .on('POST', '/v2/repository/index', async (req, res) => {
        const body = await readOptionalJson(req);
        sendTritonJson(res, 200, service.index(body.ready === true));
      })
      .on('POST', /^\/v2\/repository\/models\/([^/]+)\/load$/, repositoryHandler(service, true))
      .on('POST', /^\/v2\/repository\/models\/([^/]+)\/unload$/, repositoryHandler(service, false))
      .on('GET', route(''), (_req, res, [m, v]) =>
        sendTritonJson(res, 200, tritonMetadata(service.model(m, v || undefined))),
      )
      // Unknown or not ready: 400 text/plain {"error":"Model version not ready"}, as Triton 2.51 answers both.
      .on('GET', route('/ready'), (_req, res, [m, v]) => {
        if (service.modelReady(m, v || undefined)) return sendTritonEmpty(res, 200);
        sendTritonJson(res, 400, { error: 'Model version not ready' }, 'text/plain');
      })
      .on('GET', route('/config'), (_req, res, [m, v]) =>
        sendTritonJson(res, 200, tritonModelConfig(service.model(m, v || undefined))),
      )
      .on('GET', route('/stats'), (_req, res, [m, v]) =>
        sendTritonJson(res, 200, { model_stats: service.statistics(m, v || undefined) }),
      )
      .on('POST', route('/infer'), inferHandler(service))
  );
}
