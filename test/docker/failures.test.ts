/**
 * Every launch failure the brief names, produced for real on this engine
 * (which has no GPU runtime and no reachable registry), each with its clear
 * message and nothing left behind.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, describe, it } from 'node:test';
import { ContainerError } from '../../src/core/docker/errors';
import { launch } from '../../src/core/docker/launch/launch';
import { cpuRetryOptions } from '../../src/core/docker/launch/launchSteps';
import type { LaunchOptions } from '../../src/core/docker/presets/presetTypes';
import { containersNamed, embeddedPreset, freePort, removeNamed, service, testLabels } from './helpers';

const svc = service();
const prefix = `il-test-fail-${process.pid}`;
after(() => removeNamed(svc, prefix));

const failure = (kind: ContainerError['kind']) => (e: unknown) => {
  assert.ok(ContainerError.is(e), `expected a ContainerError, got ${String(e)}`);
  assert.equal(e.kind, kind, e.message);
  return true;
};

async function opts(suffix: string, extra: LaunchOptions = {}): Promise<LaunchOptions> {
  return { name: `${prefix}-${suffix}`, hostPorts: { http: await freePort() }, labels: testLabels, ...extra };
}

describe('launch failures on the real engine', () => {
  it('GPU requested on a GPU-less engine: the clear message, before any pull or create, and the CPU retry works', async () => {
    const o = await opts('gpu', { gpus: 'all' });
    const err = await launch(embeddedPreset(), o, { service: svc }).catch((e: unknown) => e);
    assert.ok(failure('no-gpu-runtime')(err) && ContainerError.is(err));
    assert.match(
      err.userMessage,
      /GPU was requested but the Docker engine has no GPU runtime.*Install the NVIDIA Container Toolkit.*or launch on CPU/s,
    );
    assert.equal(err.details.canRetryOnCpu, true);
    assert.deepEqual(await containersNamed(svc, o.name!), [], 'nothing was created');
    const server = await launch(embeddedPreset(), cpuRetryOptions(o), { service: svc });
    assert.deepEqual(server.gpus, 'none');
    assert.equal((await svc.inspect(server.containerId)).gpuRequest, 'none');
    await svc.remove(server.containerId, { force: true });
  });

  it('GPU request refused by the engine itself at start maps to the same message and leaves nothing', async () => {
    const o = await opts('gpu-engine', { gpus: ['0'] });
    await assert.rejects(launch(embeddedPreset(), o, { service: svc, skipGpuCheck: true }), (e: unknown) => {
      failure('no-gpu-runtime')(e);
      const c = e as ContainerError;
      assert.match(c.details.engineMessage ?? '', /could not select device driver/);
      assert.equal(c.details.canRetryOnCpu, true);
      return true;
    });
    assert.deepEqual(await containersNamed(svc, o.name!), [], 'the created container was removed');
  });

  it('an image that cannot be pulled: registry unreachable', async () => {
    const preset = embeddedPreset('127.0.0.1:1/none:latest');
    const err = await launch(preset, await opts('pull', { gpus: 'none' }), { service: svc }).catch((e: unknown) => e);
    assert.ok(failure('registry-unreachable')(err) && ContainerError.is(err));
    assert.match(err.message, /Cannot reach the registry for 127\.0\.0\.1:1\/none:latest: .*connection refused/);
    assert.match(err.fix ?? '', /pull\/load the image/);
  });

  it('a missing image with pulling turned off: image not found', async () => {
    const preset = embeddedPreset('inference-lab-test/not-built:never');
    const err = await launch(preset, await opts('nopull', { gpus: 'none', pull: 'never' }), { service: svc }).catch(
      (e: unknown) => e,
    );
    assert.ok(failure('image-not-found')(err) && ContainerError.is(err));
    assert.match(err.message, /inference-lab-test\/not-built:never is not on this engine/);
  });

  it('a port taken by another program is caught before create', async () => {
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const o = { ...(await opts('port')), hostPorts: { http: port }, gpus: 'none' as const };
      const err = await launch(embeddedPreset(), o, { service: svc }).catch((e: unknown) => e);
      assert.ok(failure('port-in-use')(err) && ContainerError.is(err));
      assert.match(err.message, new RegExp(`Host port ${port} on 127\\.0\\.0\\.1 is already in use`));
      assert.deepEqual(await containersNamed(svc, o.name!), [], 'nothing was created');
    } finally {
      await new Promise((r) => holder.close(r));
    }
  });

  it('a port published by another container is caught before create, naming that container', async () => {
    const first = await launch(embeddedPreset(), await opts('port-a', { gpus: 'none' }), { service: svc });
    try {
      const o = { ...(await opts('port-b', { gpus: 'none' })), hostPorts: { http: first.hostPorts.http } };
      const err = await launch(embeddedPreset(), o, { service: svc }).catch((e: unknown) => e);
      assert.ok(failure('port-in-use')(err) && ContainerError.is(err));
      assert.match(err.message, new RegExp(`already published by container ${first.containerName}`));
      assert.deepEqual(await containersNamed(svc, o.name!), []);
    } finally {
      await svc.remove(first.containerId, { force: true });
    }
  });

  it('a container that exits during start reports its last log lines', async () => {
    const preset = embeddedPreset(undefined, {
      args: [
        { value: '/usr/bin/node' },
        { value: '-e' },
        { value: "console.log('loading weights'); console.error('CUDA error: out of memory'); process.exit(3)" },
      ],
    });
    const o = await opts('exit', { gpus: 'none' });
    const err = await launch(preset, o, { service: svc }).catch((e: unknown) => e);
    assert.ok(failure('exited-during-start')(err) && ContainerError.is(err));
    assert.equal(err.details.exitCode, 3);
    // stdout and stderr are separate pipes: the engine may record them in either order.
    assert.deepEqual([...(err.details.lastLogLines ?? [])].sort(), ['CUDA error: out of memory', 'loading weights']);
    assert.match(err.message, /exited with code 3 before it was ready[\s\S]*CUDA error: out of memory/);
    assert.deepEqual(await containersNamed(svc, o.name!), [], 'the failed container was removed');
  });

  it('a server that never gets healthy times out with the last answer, and keepOnFailure keeps it', async () => {
    const preset = embeddedPreset(undefined, {
      health: { port: 'http', path: '/no-such-health', expectStatus: 200, timeoutMs: 60_000 },
    });
    const o = await opts('timeout', { gpus: 'none', healthTimeoutMs: 3_000 });
    const err = await launch(preset, o, { service: svc, keepOnFailure: true }).catch((e: unknown) => e);
    assert.ok(failure('health-timeout')(err) && ContainerError.is(err));
    assert.match(err.message, /did not become ready within 3 s: .*\/no-such-health last answered HTTP 404/);
    assert.ok((err.details.lastLogLines ?? []).some((l) => l.includes('listening')));
    assert.equal((await containersNamed(svc, o.name!)).length, 1, 'kept for inspection');
  });

  it('a cancelled launch removes its container', async () => {
    const preset = embeddedPreset(undefined, {
      health: { port: 'http', path: '/no-such-health', expectStatus: 200, timeoutMs: 60_000 },
    });
    const o = await opts('cancel', { gpus: 'none' });
    const ctrl = new AbortController();
    const err = await launch(preset, o, {
      service: svc,
      signal: ctrl.signal,
      onProgress: (p) => {
        if (p.phase === 'health') ctrl.abort();
      },
    }).catch((e: unknown) => e);
    assert.ok(failure('cancelled')(err));
    assert.deepEqual(await containersNamed(svc, o.name!), []);
  });
});
