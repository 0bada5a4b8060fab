import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  httpError,
  InferenceError,
  parseBaseUrl,
  safeUrl,
  serverMessageFromBody,
  toInferenceError,
} from '../../../src/core/http/errors';

describe('serverMessageFromBody', () => {
  it('reads every error-body shape of the servers we speak to', () => {
    assert.equal(
      serverMessageFromBody('{"error":"Request for unknown model: \'x\' is not found"}'),
      "Request for unknown model: 'x' is not found",
    );
    assert.equal(
      serverMessageFromBody('{"error":"Input validation error","error_type":"validation"}'),
      'Input validation error',
    );
    assert.equal(
      serverMessageFromBody('{"error":{"message":"The model `x` does not exist.","type":"NotFoundError","code":404}}'),
      'The model `x` does not exist.',
    );
    assert.equal(
      serverMessageFromBody('{"object":"error","message":"old vllm","type":"BadRequestError","code":400}'),
      'old vllm',
    );
    assert.equal(
      serverMessageFromBody('{"code":404,"type":"ModelNotFoundException","message":"Model not found: x"}'),
      'Model not found: x',
    );
    assert.equal(serverMessageFromBody('{"detail":"Not Found"}'), 'Not Found');
    assert.equal(serverMessageFromBody('Malformed request: GET /v1/models'), 'Malformed request: GET /v1/models');
    assert.equal(serverMessageFromBody(''), undefined);
  });
});

describe('httpError and toInferenceError', () => {
  it('classifies auth failures and keeps the status and server message', () => {
    const e = httpError(401, '{"error":{"message":"bad key"}}', 'http://h/v1/models');
    assert.equal(e.kind, 'auth');
    assert.equal(e.status, 401);
    assert.match(e.message, /API key/);
    assert.equal(httpError(500, '{"error":"boom"}').kind, 'http');
  });

  it('maps network error codes to clear kinds', () => {
    const mk = (code: string) => Object.assign(new Error(code), { code });
    assert.equal(toInferenceError(mk('ECONNREFUSED'), 'http://127.0.0.1:1').kind, 'connection-refused');
    assert.equal(toInferenceError(mk('ENOTFOUND')).kind, 'dns');
    assert.equal(toInferenceError(mk('DEPTH_ZERO_SELF_SIGNED_CERT')).kind, 'tls');
    assert.equal(toInferenceError(mk('UND_ERR_HEADERS_TIMEOUT')).kind, 'timeout');
    assert.equal(toInferenceError(Object.assign(new Error('x'), { name: 'AbortError' })).kind, 'cancelled');
    const same = new InferenceError('malformed', 'bad');
    assert.equal(toInferenceError(same), same);
  });
});

describe('URLs', () => {
  it('parseBaseUrl accepts http(s) and explains what is wrong otherwise', () => {
    assert.equal(parseBaseUrl(' http://localhost:8000 ').port, '8000');
    assert.throws(() => parseBaseUrl('localhost:8000'), /Unsupported scheme|Not a valid URL/);
    assert.throws(() => parseBaseUrl('not a url'), /Not a valid URL/);
    assert.throws(() => parseBaseUrl('ftp://x'), /Unsupported scheme/);
  });

  it('safeUrl drops credentials and the query string', () => {
    assert.equal(safeUrl('https://user:secret@h:1/p?api_key=k'), 'https://h:1/p');
  });
});
