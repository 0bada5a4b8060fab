/**
 * The whole launch flow against the real engine: preset → pull skipped →
 * create → start → health → a request → logs → list/inspect/events → restart
 * → stop → remove.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { httpRequest } from '../../src/core/http/client';
import { launch, type LaunchedServer, type LaunchProgress } from '../../src/core/docker/launch/launch';
import { labelKeys } from '../../src/core/docker/launch/labels';
import { waitForHealth } from '../../src/core/docker/launch/healthWait';
import { resolveLaunch } from '../../src/core/docker/launch/launchSpec';
import { launchOptionsFromLabels } from '../../src/core/docker/presets/presetFile';
import { renderDockerRun } from '../../src/core/docker/launch/renderRun';
import type { ContainerEvent, LogLine } from '../../src/core/docker/types';
import { docker, embeddedPreset, freePort, removeNamed, service, testLabels } from './helpers';

const svc = service();
const name = `il-test-flow-${process.pid}`;
const secret = 'hf_docker_tier_secret_value';
after(() => removeNamed(svc, name));

describe('launch flow on the real engine', () => {
  let server: LaunchedServer;
  let hostPort: number;
  const progress: LaunchProgress[] = [];
  const logs: LogLine[] = [];
  const events: ContainerEvent[] = [];
  const eventsCtrl = new AbortController();
  let eventsDone: Promise<void>;

  it('pings the engine and reads its info', async () => {
    await svc.ping();
    const info = await svc.info();
    assert.match(info.serverVersion, /^\d+\./);
    assert.equal(info.gpu.available, false, 'this machine has no GPU runtime');
    assert.equal(info.endpoint, 'unix:///var/run/docker.sock');
  });

  it('launches the test image: pull skipped, create, start, health', async () => {
    eventsDone = (async () => {
      for await (const e of svc.events({ signal: eventsCtrl.signal, label: `${labelKeys.preset}=embedded-test` }))
        if (e.name === name) events.push(e);
    })();
    hostPort = await freePort();
    server = await launch(
      embeddedPreset(),
      { hostPorts: { http: hostPort }, gpus: 'none', name, labels: testLabels },
      { service: svc, secrets: { HF_TOKEN: secret }, onProgress: (p) => progress.push(p), onLog: (l) => logs.push(l) },
    );
    assert.equal(server.pulled, false);
    assert.ok(progress.some((p) => p.phase === 'pull' && /pull skipped/.test(p.message)));
    assert.deepEqual(
      [...new Set(progress.map((p) => p.phase))],
      ['check', 'pull', 'create', 'start', 'health', 'ready'],
    );
    assert.equal(server.baseUrl, `http://127.0.0.1:${hostPort}`);
    assert.equal(server.containerName, name);
    assert.equal(server.serverKind, 'vllm');
    assert.ok(server.readyAfterMs >= 0);
  });

  it('answers a request through the published port', async () => {
    const res = await httpRequest(`${server.baseUrl}/v1/models`, { timeoutMs: 10_000 });
    const body = res.json<{ object: string; data: { id: string; owned_by: string }[] }>();
    assert.equal(body.object, 'list');
    assert.ok(body.data.length > 0 && body.data.every((m) => m.owned_by === 'vllm'));
  });

  it('streamed the logs during the health wait, with timestamps', () => {
    const listening = logs.find((l) => l.text.includes('"event":"listening"'));
    assert.ok(listening, `the serve line was streamed (got ${logs.length} lines)`);
    assert.match(listening.time ?? '', /^\d{4}-\d\d-\d\dT/);
  });

  it('follows the logs, and stops following on abort', async () => {
    const ctrl = new AbortController();
    const got: LogLine[] = [];
    for await (const l of svc.logs(server.containerId, { follow: true, timestamps: true, signal: ctrl.signal })) {
      got.push(l);
      if (l.text.includes('listening')) ctrl.abort();
    }
    assert.ok(got.some((l) => l.text.includes('listening')));
  });

  it('lists and inspects the container with our labels, ports and no secret', async () => {
    const ours = (await svc.list({ scope: 'ours' })).find((c) => c.id === server.containerId);
    assert.ok(ours, 'the launched container is listed as ours');
    assert.equal(ours.presetId, 'embedded-test');
    assert.equal(ours.serverKind, 'vllm');
    assert.equal(ours.gpus, 'none');
    assert.equal(ours.state, 'running');
    assert.ok(ours.ports.some((p) => p.hostPort === hostPort && p.containerPort === 18000 && p.hostIp === '127.0.0.1'));
    // "Copy docker run" for a running container: the launch is rebuilt from its labels.
    const options = launchOptionsFromLabels(ours.labels);
    assert.ok(options);
    const again = renderDockerRun(resolveLaunch(embeddedPreset(), options, { homeDir: '/' }));
    assert.match(again, new RegExp(`--name ${name} .*-p 127\\.0\\.0\\.1:${hostPort}:18000`, 's'));
    assert.ok(!again.includes(secret));
    const d = await svc.inspect(server.containerId);
    assert.equal(d.running, true);
    assert.equal(d.gpuRequest, 'none');
    assert.ok(d.envNames.includes('HF_TOKEN'));
    assert.ok(!JSON.stringify(d).includes(secret));
    // The secret did reach the container's environment.
    assert.equal(
      docker(['exec', server.containerId, '/usr/bin/node', '-e', 'process.stdout.write(process.env.HF_TOKEN ?? "")']),
      secret,
    );
  });

  it('restarts, becomes healthy again, then stops and is removed', async () => {
    await svc.restart(server.containerId, { graceSeconds: 5 });
    const d = await svc.inspect(server.containerId);
    assert.equal(d.running, true);
    // Stop only once the server is up again: before its signal handlers exist, node as PID 1 ignores SIGTERM.
    await waitForHealth({ url: `${server.baseUrl}/health`, expectStatus: 200, timeoutMs: 60_000 });
    await svc.stop(server.containerId, { graceSeconds: 5 });
    const stopped = await svc.inspect(server.containerId);
    assert.equal(stopped.running, false);
    assert.equal(stopped.exitCode, 0, 'serve stops cleanly on SIGTERM');
    await svc.stop(server.containerId); // stopping again is not an error
    await svc.remove(server.containerId);
    await svc.remove(server.containerId); // already gone is not an error
    await assert.rejects(svc.inspect(server.containerId), (e: Error & { kind?: string }) => e.kind === 'not-found');
  });

  it('saw the lifecycle on the event stream', async () => {
    const deadline = Date.now() + 10_000;
    while (!events.some((e) => e.action === 'destroy') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    eventsCtrl.abort();
    await eventsDone;
    const actions = events.map((e) => e.action);
    for (const a of ['create', 'start', 'restart', 'die', 'destroy'])
      assert.ok(actions.includes(a), `event ${a} in ${actions.join(', ')}`);
    assert.ok(events.every((e) => e.labels[labelKeys.preset] === 'embedded-test'));
  });
});
