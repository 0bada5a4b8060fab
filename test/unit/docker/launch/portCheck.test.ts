import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { ContainerError } from '../../../../src/core/docker/errors';
import { assertPortsFree, probePort, suggestFreePort } from '../../../../src/core/docker/launch/portCheck';
import { FakeService } from '../fakeService';

async function listening(): Promise<{ port: number; close: () => Promise<void> }> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { port: (s.address() as net.AddressInfo).port, close: () => new Promise((r) => s.close(() => r())) };
}

describe('host port checks', () => {
  it('probes a taken and a free port', async () => {
    const held = await listening();
    try {
      assert.equal(await probePort(held.port, '127.0.0.1'), 'in-use');
    } finally {
      await held.close();
    }
    assert.equal(await probePort(held.port, '127.0.0.1'), 'free');
    assert.equal(await probePort(held.port, '192.0.2.1'), 'not-local'); // TEST-NET-1, never ours
  });

  it('suggests the next free port', async () => {
    const held = await listening();
    try {
      const p = await suggestFreePort(held.port, '127.0.0.1');
      assert.ok(p !== undefined && p > held.port);
    } finally {
      await held.close();
    }
  });

  it('treats wildcard and specific addresses as overlapping', async () => {
    const svc = new FakeService();
    (svc as { isLocal: boolean }).isLocal = false;
    svc.containers = [
      {
        id: 'a',
        name: 'tgi',
        image: 'tgi',
        state: 'running',
        status: '',
        created: new Date(),
        labels: {},
        ports: [{ containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 8080 }],
        managed: true,
      },
    ];
    await assert.rejects(
      assertPortsFree(svc, [{ hostPort: 8080, hostIp: '0.0.0.0' }]),
      (e: unknown) => ContainerError.is(e, 'port-in-use') && e.details.containerId === 'a',
    );
    await assert.doesNotReject(assertPortsFree(svc, [{ hostPort: 8081, hostIp: '127.0.0.1' }]));
  });

  it('refuses a bind address that is not on this machine', async () => {
    await assert.rejects(assertPortsFree(new FakeService(), [{ hostPort: 8080, hostIp: '192.0.2.1' }]), (e: unknown) =>
      ContainerError.is(e, 'invalid-preset'),
    );
  });
});
