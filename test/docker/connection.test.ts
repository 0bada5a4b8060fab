/**
 * Reaching the engine by each route the service resolves: the socket, TCP
 * (through a local TCP → socket relay), DOCKER_HOST, and the failures a user
 * meets (no engine there, an engine that does not answer).
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createDockerService } from '../../src/core/docker/engine/dockerodeService';
import { ContainerError } from '../../src/core/docker/errors';

let relay: net.Server;
let silent: net.Server;
let relayPort: number;
let silentPort: number;
const sockets = new Set<net.Socket>();

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  );
}

before(async () => {
  relay = net.createServer((client) => {
    const engine = net.connect('/var/run/docker.sock');
    for (const s of [client, engine]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(engine).pipe(client);
  });
  silent = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  relayPort = await listen(relay);
  silentPort = await listen(silent);
});

after(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all([relay, silent].map((s) => new Promise((r) => s.close(r))));
});

describe('engine connection routes', () => {
  it('talks to the engine over TCP from the setting', async () => {
    const svc = createDockerService({ host: `tcp://127.0.0.1:${relayPort}` });
    assert.equal(svc.endpoint, `tcp://127.0.0.1:${relayPort}`);
    assert.equal(svc.isLocal, true);
    await svc.ping();
    assert.match((await svc.info()).serverVersion, /^\d+\./);
    assert.ok(Array.isArray(await svc.list({ scope: 'all' })));
  });

  it('follows DOCKER_HOST when no setting is given', async () => {
    const before = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = `tcp://127.0.0.1:${relayPort}`;
    try {
      const svc = createDockerService();
      assert.equal(svc.endpoint, `tcp://127.0.0.1:${relayPort}`);
      await svc.ping();
    } finally {
      if (before === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = before;
    }
  });

  it('the setting wins over DOCKER_HOST', async () => {
    const before = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'tcp://127.0.0.1:1';
    try {
      await createDockerService({ host: 'unix:///var/run/docker.sock' }).ping();
    } finally {
      if (before === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = before;
    }
  });

  it('no engine at the socket: engine-unavailable with the fix', async () => {
    const err = await createDockerService({ host: 'unix:///tmp/no-docker-here.sock' })
      .ping()
      .catch((e: unknown) => e);
    assert.ok(ContainerError.is(err, 'engine-unavailable'), String(err));
    assert.match(err.message, /unix:\/\/\/tmp\/no-docker-here\.sock \(ENOENT\): is it running\?/);
    assert.match(err.fix ?? '', /Start Docker/);
  });

  it('an engine that accepts but never answers: the ping times out quickly', async () => {
    const t0 = Date.now();
    const err = await createDockerService({ host: `tcp://127.0.0.1:${silentPort}` })
      .ping({ timeoutMs: 500 })
      .catch((e: unknown) => e);
    assert.ok(ContainerError.is(err, 'timeout'), String(err));
    assert.match(err.message, /did not answer in time \(ping, 0\.5 s\)/);
    assert.ok(Date.now() - t0 < 5_000);
  });
});
