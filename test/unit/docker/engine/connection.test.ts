import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConnection, type ConnectionEnv } from '../../../../src/core/docker/engine/connection';
import { ContainerError } from '../../../../src/core/docker/errors';

function env(
  vars: Record<string, string> = {},
  files: Record<string, string> = {},
  platform: NodeJS.Platform = 'linux',
): ConnectionEnv {
  return {
    env: vars,
    platform,
    home: '/home/u',
    exists: (p) => p in files,
    readFile: (p) => {
      if (!(p in files)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return Buffer.from(files[p]);
    },
  };
}

describe('engine connection', () => {
  it("defaults to the system socket, or Docker Desktop's per-user socket when present", () => {
    const sys = resolveConnection({}, env());
    assert.deepEqual(sys.options, { socketPath: '/var/run/docker.sock' });
    assert.equal(sys.endpoint, 'unix:///var/run/docker.sock');
    assert.equal(sys.source, 'default');
    assert.equal(sys.isLocal, true);
    assert.equal(sys.advertisedHost, '127.0.0.1');
    assert.equal(
      resolveConnection({}, env({}, { '/home/u/.docker/run/docker.sock': '' })).options.socketPath,
      '/home/u/.docker/run/docker.sock',
    );
    assert.equal(resolveConnection({}, env({}, {}, 'win32')).options.socketPath, '//./pipe/docker_engine');
  });

  it('follows DOCKER_HOST with TLS from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH', () => {
    const files = { '/certs/ca.pem': 'CA', '/certs/cert.pem': 'CERT', '/certs/key.pem': 'KEY' };
    const c = resolveConnection(
      {},
      env({ DOCKER_HOST: 'tcp://build-box:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }, files),
    );
    assert.equal(c.source, 'DOCKER_HOST');
    assert.equal(c.options.protocol, 'https');
    assert.equal(c.options.port, 2376);
    assert.equal(c.options.ca?.toString(), 'CA');
    assert.equal(c.endpoint, 'https://build-box:2376');
    assert.equal(c.isLocal, false);
    assert.equal(c.advertisedHost, 'build-box');
    const plain = resolveConnection({}, env({ DOCKER_HOST: 'tcp://127.0.0.1:2375' }));
    assert.deepEqual(plain.options, { host: '127.0.0.1', port: 2375, protocol: 'http' });
    assert.equal(plain.isLocal, true);
  });

  it('prefers the explicit setting, and supports unix and ssh hosts', () => {
    const s = resolveConnection({ host: 'unix:///run/user/1000/docker.sock' }, env({ DOCKER_HOST: 'tcp://x:2375' }));
    assert.deepEqual(s.options, { socketPath: '/run/user/1000/docker.sock' });
    assert.equal(s.source, 'setting');
    const ssh = resolveConnection({ host: 'ssh://me@gpu-box:2222' }, env({ SSH_AUTH_SOCK: '/tmp/agent' }));
    assert.deepEqual(ssh.options, {
      host: 'gpu-box',
      port: 2222,
      protocol: 'ssh',
      username: 'me',
      sshOptions: { agent: '/tmp/agent' },
    });
    assert.equal(ssh.endpoint, 'ssh://me@gpu-box:2222');
    assert.equal(ssh.advertisedHost, 'gpu-box');
  });

  it('explains a bad host or unreadable certificates', () => {
    assert.throws(
      () => resolveConnection({ host: 'ftp://x' }, env()),
      (e: unknown) => ContainerError.is(e, 'engine-unavailable') && /not valid/.test((e as Error).message),
    );
    assert.throws(
      () => resolveConnection({ host: 'tcp://x:2376', certPath: '/nowhere' }, env()),
      (e: unknown) =>
        ContainerError.is(e, 'engine-unavailable') && /Cannot read the TLS files/.test((e as Error).message),
    );
  });
});
