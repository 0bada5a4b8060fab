import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ContainerError } from '../../../../src/core/docker/errors';
import { launch, type LaunchProgress } from '../../../../src/core/docker/launch/launch';
import { cpuRetryOptions } from '../../../../src/core/docker/launch/launchSteps';
import { launchOptionsFromLabels } from '../../../../src/core/docker/presets/presetFile';
import type { ServerPreset } from '../../../../src/core/docker/presets/presetTypes';
import { FakeService } from '../fakeService';

// A real HTTP server stands in for the container's published port: the health
// wait runs its real polling against it.
let server: http.Server;
let port: number;
let healthy = true;
before(async () => {
  server = http.createServer((req, res) => {
    res.statusCode = req.url === '/health' && healthy ? 200 : 503;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
after(() => new Promise<void>((r) => server.close(() => r())));

function preset(supportsCpu = true): ServerPreset {
  return {
    id: 'fake',
    label: 'Fake server',
    description: '',
    serverKind: 'vllm',
    image: 'example/fake',
    tag: '1',
    supportsCpu,
    ports: [{ name: 'http', container: 8000, protocol: 'http', role: 'inference', defaultHostPort: 8000 }],
    volumes: [],
    env: [{ name: 'HF_TOKEN', secret: true }],
    args: [],
    params: [],
    health: { port: 'http', path: '/health', expectStatus: 200, timeoutMs: 3_000 },
  };
}

// Our HTTP server holds the host port the fake container "publishes", so on a
// local engine the bind probe would (rightly) call it taken. Launches that
// should get past the port check therefore use an engine marked remote, where
// only the engine's own list of published ports is checked.
function remoteFake(): FakeService {
  const s = new FakeService();
  (s as { isLocal: boolean }).isLocal = false;
  return s;
}

describe('launch orchestration (fake engine, real health polling)', () => {
  it('pulls a missing image with progress, creates, starts and waits for health', async () => {
    const svc = remoteFake();
    svc.gpu = true;
    const progress: LaunchProgress[] = [];
    const r = await launch(
      preset(),
      { hostPorts: { http: port }, bindAddress: '127.0.0.1' },
      { service: svc, secrets: { HF_TOKEN: 'hf_SECRET' }, onProgress: (p) => progress.push(p) },
    );
    assert.deepEqual(svc.calls.slice(0, 7), ['ping', 'info', 'list', 'list', 'imageExists', 'pull', 'create']);
    assert.ok(svc.calls.includes('start'));
    assert.equal(r.baseUrl, `http://127.0.0.1:${port}`);
    assert.equal(r.pulled, true);
    assert.equal(r.containerId, 'c1');
    assert.equal(r.serverKind, 'vllm');
    assert.deepEqual(svc.created[0].Env, ['HF_TOKEN=hf_SECRET']);
    // The options travel in a label (never the secret), so the launch can be rendered again later.
    const stored = launchOptionsFromLabels(svc.created[0].Labels);
    assert.deepEqual(stored, {
      hostPorts: { http: port },
      bindAddress: '127.0.0.1',
      name: `inference-lab-fake-${port}`,
    });
    assert.ok(!JSON.stringify(svc.created[0].Labels).includes('hf_SECRET'));
    assert.deepEqual(
      [...new Set(progress.map((p) => p.phase))],
      ['check', 'pull', 'create', 'start', 'health', 'ready'],
    );
    assert.ok(progress.some((p) => p.phase === 'pull' && p.percent === 50));
    assert.ok(!JSON.stringify(progress).includes('hf_SECRET'));
  });

  it('skips the pull when the image is present', async () => {
    const svc = remoteFake();
    svc.images.add('example/fake:1');
    const progress: LaunchProgress[] = [];
    const r = await launch(
      preset(),
      { hostPorts: { http: port }, gpus: 'none' },
      { service: svc, onProgress: (p) => progress.push(p) },
    );
    assert.equal(r.pulled, false);
    assert.ok(!svc.calls.includes('pull'));
    assert.ok(!svc.calls.includes('info'), 'no GPU check without GPUs');
    assert.ok(progress.some((p) => /pull skipped/.test(p.message)));
  });

  it('fails before any pull when GPUs are requested from an engine without GPU runtime, and the CPU retry works', async () => {
    const svc = remoteFake();
    const err = await launch(preset(), { hostPorts: { http: port } }, { service: svc }).catch((e: unknown) => e);
    assert.ok(ContainerError.is(err, 'no-gpu-runtime'));
    assert.equal(err.details.canRetryOnCpu, true);
    assert.match(err.userMessage, /Install the NVIDIA Container Toolkit.*or launch on CPU/);
    assert.deepEqual(svc.calls, ['ping', 'info']);
    const r = await launch(preset(), cpuRetryOptions({ hostPorts: { http: port } }), { service: svc });
    assert.deepEqual(r.gpus, 'none');
  });

  it('offers no CPU retry for a GPU-only preset', async () => {
    const err = await launch(preset(false), { hostPorts: { http: port } }, { service: remoteFake() }).catch(
      (e: unknown) => e,
    );
    assert.ok(ContainerError.is(err, 'no-gpu-runtime'));
    assert.equal(err.details.canRetryOnCpu, false);
    assert.doesNotMatch(err.userMessage, /launch on CPU/);
  });

  it('maps a GPU failure at start to the same error and removes the container', async () => {
    const svc = remoteFake();
    svc.images.add('example/fake:1');
    svc.startError = new ContainerError('no-gpu-runtime', 'x', undefined, {
      engineMessage: 'could not select device driver',
    });
    const err = await launch(preset(), { hostPorts: { http: port } }, { service: svc, skipGpuCheck: true }).catch(
      (e: unknown) => e,
    );
    assert.ok(ContainerError.is(err, 'no-gpu-runtime'));
    assert.equal(err.details.canRetryOnCpu, true);
    assert.ok(svc.calls.includes('remove'));
  });

  it('reports the last log lines when the container exits during start, with secrets masked', async () => {
    const svc = remoteFake();
    svc.images.add('example/fake:1');
    svc.running = false;
    svc.exitCode = 2;
    svc.logLines = [
      { stream: 'stderr', text: 'loading model' },
      { stream: 'stderr', text: 'token hf_SECRET rejected' },
    ];
    const logs: string[] = [];
    const err = await launch(
      preset(),
      { hostPorts: { http: port }, gpus: 'none' },
      { service: svc, secrets: { HF_TOKEN: 'hf_SECRET' }, onLog: (l) => logs.push(l.text) },
    ).catch((e: unknown) => e);
    assert.ok(ContainerError.is(err, 'exited-during-start'));
    assert.equal(err.details.exitCode, 2);
    assert.deepEqual(err.details.lastLogLines, ['loading model', 'token *** rejected']);
    assert.match(err.message, /exited with code 2 before it was ready[\s\S]*token \*\*\* rejected/);
    assert.ok(!JSON.stringify(logs).includes('hf_SECRET'));
    assert.ok(svc.calls.includes('remove'), 'the failed container is removed');
  });

  it('keeps the container on failure when asked', async () => {
    const svc = remoteFake();
    svc.images.add('example/fake:1');
    svc.running = false;
    await launch(preset(), { hostPorts: { http: port }, gpus: 'none' }, { service: svc, keepOnFailure: true }).catch(
      () => undefined,
    );
    assert.ok(!svc.calls.includes('remove'));
  });

  it('times out with a health-timeout error naming the URL and the last answer', async () => {
    const svc = remoteFake();
    svc.images.add('example/fake:1');
    healthy = false;
    try {
      const err = await launch(
        preset(),
        { hostPorts: { http: port }, gpus: 'none', healthTimeoutMs: 600 },
        { service: svc },
      ).catch((e: unknown) => e);
      assert.ok(ContainerError.is(err, 'health-timeout'));
      assert.match(err.message, new RegExp(`http://127\\.0\\.0\\.1:${port}/health last answered HTTP 503`));
      assert.ok(svc.calls.includes('remove'));
    } finally {
      healthy = true;
    }
  });

  it('catches a port conflict before create: published by a container, or taken on this machine', async () => {
    const svc = remoteFake();
    svc.containers = [
      {
        id: 'x',
        name: 'other',
        image: 'img',
        state: 'running',
        status: '',
        created: new Date(),
        labels: {},
        ports: [{ containerPort: 80, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 8000 }],
        managed: false,
      },
    ];
    const err = await launch(preset(), { gpus: 'none' }, { service: svc }).catch((e: unknown) => e);
    assert.ok(ContainerError.is(err, 'port-in-use'));
    assert.match(err.message, /8000 is already published by container other/);
    assert.ok(!svc.calls.includes('create'));
    const local = new FakeService();
    const err2 = await launch(preset(), { hostPorts: { http: port }, gpus: 'none' }, { service: local }).catch(
      (e: unknown) => e,
    );
    assert.ok(ContainerError.is(err2, 'port-in-use'));
    assert.match(err2.message, new RegExp(`${port} on 127\\.0\\.0\\.1 is already in use by another program`));
    assert.ok(!local.calls.includes('create'));
  });

  it('picks the next free default name, refuses a taken explicit name', async () => {
    const svc = remoteFake();
    svc.images.add('example/fake:1');
    const base = `inference-lab-fake-${port}`;
    svc.containers = [
      {
        id: 'x',
        name: base,
        image: 'img',
        state: 'exited',
        status: '',
        created: new Date(),
        labels: {},
        ports: [],
        managed: true,
      },
    ];
    const r = await launch(preset(), { hostPorts: { http: port }, gpus: 'none' }, { service: svc });
    assert.equal(r.containerName, `${base}-2`);
    const err = await launch(preset(), { hostPorts: { http: port }, gpus: 'none', name: base }, { service: svc }).catch(
      (e: unknown) => e,
    );
    assert.ok(ContainerError.is(err, 'name-in-use'));
  });

  it('maps a cancellation to a cancelled ContainerError and cleans up', async () => {
    const svc = remoteFake();
    svc.images.add('example/fake:1');
    healthy = false;
    try {
      const ctrl = new AbortController();
      setTimeout(() => ctrl.abort(), 300);
      const err = await launch(
        preset(),
        { hostPorts: { http: port }, gpus: 'none' },
        { service: svc, signal: ctrl.signal },
      ).catch((e: unknown) => e);
      assert.ok(ContainerError.is(err, 'cancelled'), String(err));
      assert.ok(svc.calls.includes('remove'));
    } finally {
      healthy = true;
    }
  });
});
