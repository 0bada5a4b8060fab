import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engineMessageOf, pullError, toContainerError } from '../../../../src/core/docker/engine/errorMapping';
import { ContainerError, type ContainerErrorKind } from '../../../../src/core/docker/errors';
import { CancelledError, TimeoutError } from '../../../../src/core/util/abort';
import { fixtureJson } from '../fixtures';

/** An error shaped as docker-modem builds it from an engine answer. */
function modemError(status: number, body: { message: string }): Error {
  return Object.assign(new Error(`(HTTP code ${status}) server error - ${body.message} `), {
    statusCode: status,
    json: body,
    reason: 'server error',
  });
}

function sysError(code: string, address?: string): Error {
  return Object.assign(new Error(`connect ${code} ${address ?? ''}`), { code, address });
}

interface Case {
  case: string;
  call: string;
  status: number;
  body: { message: string };
  expectKind: ContainerErrorKind;
}

describe('engine error mapping', () => {
  for (const c of fixtureJson<Case[]>('engine-errors.json')) {
    it(`maps the recorded answer: ${c.case}`, () => {
      const op = c.call.startsWith('POST /images') ? 'pull' : 'start container';
      const e = toContainerError(modemError(c.status, c.body), { op, image: 'img:1', port: undefined });
      assert.equal(e.kind, c.expectKind);
      assert.ok(e.fix, 'every mapped engine failure says what to do');
      assert.equal(e.details.engineMessage, c.body.message);
    });
  }

  it('names the port from the engine message and says how to fix it', () => {
    const [, port] = fixtureJson<Case[]>('engine-errors.json');
    const e = toContainerError(modemError(port.status, port.body), { op: 'start container' });
    assert.equal(e.details.port, 18557);
    assert.match(e.userMessage, /Host port 18557 is already in use\. Choose another host port/);
  });

  it('says the GPU message the brief asks for', () => {
    const [gpu] = fixtureJson<Case[]>('engine-errors.json');
    const e = toContainerError(modemError(gpu.status, gpu.body), { op: 'start container' });
    assert.match(e.userMessage, /install the NVIDIA Container Toolkit.*or launch on CPU/i);
  });

  it('maps socket errors to engine-unavailable / permission-denied with the fix', () => {
    const down = toContainerError(sysError('ENOENT', '/var/run/docker.sock'), {
      op: 'ping',
      endpoint: 'unix:///var/run/docker.sock',
    });
    assert.equal(down.kind, 'engine-unavailable');
    assert.match(down.message, /unix:\/\/\/var\/run\/docker\.sock.*is it running/);
    assert.match(down.fix ?? '', /systemctl start docker/);
    assert.equal(toContainerError(sysError('ECONNREFUSED'), { op: 'ping' }).kind, 'engine-unavailable');
    const perm = toContainerError(sysError('EACCES', '/var/run/docker.sock'), {
      op: 'ping',
      endpoint: 'unix:///var/run/docker.sock',
    });
    assert.equal(perm.kind, 'permission-denied');
    assert.match(perm.fix ?? '', /usermod -aG docker/);
  });

  it('tells our own timeout from a cancellation', () => {
    const abort = Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });
    const t = toContainerError(abort, { op: 'ping', abortReason: new TimeoutError(3000, 'Docker ping') });
    assert.equal(t.kind, 'timeout');
    assert.match(t.message, /did not answer in time \(ping, 3 s\)/);
    assert.equal(toContainerError(abort, { op: 'pull', abortReason: new CancelledError() }).kind, 'cancelled');
  });

  it('maps 404 and 409 answers', () => {
    assert.equal(
      toContainerError(modemError(404, { message: 'No such container: abc' }), { op: 'inspect', containerId: 'abc' })
        .kind,
      'not-found',
    );
    assert.equal(
      toContainerError(modemError(404, { message: 'No such image: x:1' }), { op: 'create container', image: 'x:1' })
        .kind,
      'image-not-found',
    );
    const conflict = toContainerError(
      modemError(409, { message: 'Conflict. The container name "/a" is already in use by container "b".' }),
      { op: 'create container' },
    );
    assert.equal(conflict.kind, 'name-in-use');
  });

  it('keeps other engine failures as engine-error with the engine message', () => {
    const e = toContainerError(modemError(500, { message: 'something odd' }), { op: 'restart container' });
    assert.equal(e.kind, 'engine-error');
    assert.equal(e.message, 'Docker restart container failed (HTTP 500): something odd');
  });

  it('classifies in-stream pull errors', () => {
    assert.equal(
      pullError('Get "https://r.example/v2/": dial tcp: lookup r.example: no such host', 'r.example/x:1').kind,
      'registry-unreachable',
    );
    assert.equal(
      pullError(
        "pull access denied for nosuch/image, repository does not exist or may require 'docker login'",
        'nosuch/image',
      ).kind,
      'image-not-found',
    );
    assert.equal(pullError('unexpected EOF while writing layer', 'x').kind, 'engine-error');
  });

  it('reads the engine message from every docker-modem error shape', () => {
    assert.equal(engineMessageOf(modemError(500, { message: 'm1' })), 'm1');
    assert.equal(
      engineMessageOf(
        Object.assign(new Error('(HTTP code 500) server error - plain text '), { statusCode: 500, json: null }),
      ),
      'plain text',
    );
    assert.equal(engineMessageOf(new Error('socket hang up')), 'socket hang up');
  });

  it('passes ContainerErrors through unchanged', () => {
    const e = new ContainerError('port-in-use', 'x');
    assert.equal(toContainerError(e, { op: 'launch', abortReason: new CancelledError() }), e);
  });
});
