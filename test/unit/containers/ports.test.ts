import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { probePort } from '../../../src/core/docker/launch/portCheck';
import { findPreset } from '../../../src/core/docker/presets/presets';
import {
  nextUsablePort,
  planSidePorts,
  portProblem,
  suggestMainPort,
  type PortCheck,
} from '../../../src/core/containers/launch/ports';

/** Ports listed as busy are "in use"; every check is recorded. */
function fake(busy: number[], published: number[] = []): PortCheck & { asked: number[] } {
  const asked: number[] = [];
  return { asked, published: new Set(published), isFree: async (p) => (asked.push(p), !busy.includes(p)) };
}

describe('host-port choices', () => {
  it('keeps the default when it is free, else offers the next usable one', async () => {
    const triton = findPreset('triton')!;
    assert.deepEqual(await suggestMainPort(triton, {}, fake([])), { wanted: 8000, suggested: 8000 });
    assert.deepEqual(await suggestMainPort(triton, {}, fake([8000], [8001])), { wanted: 8000, suggested: 8002 });
    assert.deepEqual(await suggestMainPort(triton, { hostPorts: { http: 9000 } }, fake([])), {
      wanted: 9000,
      suggested: 9000,
    });
  });

  it('names why a port cannot be used: range, published by a container, taken by a sibling, busy', async () => {
    const check = fake([8080], [8000]);
    assert.match((await portProblem(0, check))!, /1 to 65535/);
    assert.match((await portProblem(8000, check))!, /published by a running container/);
    assert.match((await portProblem(8081, check, new Set([8081])))!, /another port of this server/);
    assert.match((await portProblem(8080, check))!, /in use on this machine/);
    assert.equal(await portProblem(8082, check), undefined);
    assert.equal(await nextUsablePort(65535, fake([65535])), undefined, 'gives up at the end of the range');
  });

  it('moves side ports off the main port and off busy ones, keeping defaults otherwise', async () => {
    const triton = findPreset('triton')!;
    assert.deepEqual(await planSidePorts(triton, {}, 8000, fake([])), { http: 8000, grpc: 8001, metrics: 8002 });
    assert.deepEqual(await planSidePorts(triton, {}, 8001, fake([8002])), { http: 8001, grpc: 8003, metrics: 8004 });
  });

  it('agrees with a real bind: a listening port is busy for the core probe the launch uses', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const check: PortCheck = {
        published: new Set(),
        isFree: async (p) => (await probePort(p, '127.0.0.1')) !== 'in-use',
      };
      assert.match((await portProblem(port, check))!, /in use/);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
