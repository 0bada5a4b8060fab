import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseContainerList,
  parseEventLine,
  parseInfo,
  parseInspect,
} from '../../../../src/core/docker/engine/engineParse';
import { ContainerError } from '../../../../src/core/docker/errors';
import { fixtureJson, fixtureText } from '../fixtures';

describe('engine JSON parsing (recorded fixtures)', () => {
  it('reads info and finds no GPU runtime on a runc-only engine', () => {
    const info = parseInfo(fixtureJson('info-runc.json'), 'unix:///var/run/docker.sock');
    assert.equal(info.serverVersion, '20.10.24+dfsg1');
    assert.equal(info.cpus, 2);
    assert.deepEqual(info.runtimes.sort(), ['io.containerd.runc.v2', 'io.containerd.runtime.v1.linux', 'runc']);
    assert.equal(info.gpu.available, false);
    assert.match(info.gpu.evidence, /no NVIDIA runtime/);
    assert.deepEqual(info.gpu.gpus, []);
  });

  it('detects the NVIDIA runtime', () => {
    const info = parseInfo(fixtureJson('info-nvidia-runtime.json'), 'x');
    assert.equal(info.gpu.available, true);
    assert.deepEqual(info.gpu.runtimes, ['nvidia']);
    assert.match(info.gpu.evidence, /runtime "nvidia"/);
  });

  it('detects CDI GPUs and lists the host GPUs the engine reports', () => {
    const info = parseInfo(fixtureJson('info-cdi.json'), 'x');
    assert.equal(info.gpu.available, true);
    assert.deepEqual(info.gpu.runtimes, []);
    assert.deepEqual(info.gpu.cdiDevices, ['nvidia.com/gpu=0', 'nvidia.com/gpu=1', 'nvidia.com/gpu=all']);
    assert.deepEqual(
      info.gpu.gpus.map((g) => `${g.source}:${g.id}`),
      ['cdi:0', 'cdi:1', 'generic-resource:GPU-8f6c1d2e'],
    );
  });

  it('refuses an info answer without ServerVersion with a clear malformed error', () => {
    const bad = { ...fixtureJson<Record<string, unknown>>('info-runc.json') };
    delete bad.ServerVersion;
    assert.throws(
      () => parseInfo(bad, 'x'),
      (e: unknown) => ContainerError.is(e, 'malformed') && /GET \/info/.test((e as Error).message),
    );
    assert.throws(
      () => parseInfo({ ServerVersion: 20 }, 'x'),
      (e: unknown) => ContainerError.is(e, 'malformed') && /ServerVersion/.test((e as Error).message),
    );
  });

  it('reads a container list with our labels', () => {
    const [c] = parseContainerList(fixtureJson('containers-list.json'));
    assert.equal(c.name, 'il-fixture');
    assert.equal(c.state, 'running');
    assert.equal(c.managed, true);
    assert.equal(c.presetId, 'vllm');
    assert.equal(c.serverKind, 'vllm');
    assert.equal(c.gpus, 'none');
    assert.deepEqual(c.ports, [{ containerPort: 8000, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 18555 }]);
    assert.ok(c.created instanceof Date && c.created.getFullYear() > 2000);
  });

  it('recognises containers of known images started elsewhere', () => {
    const raw = fixtureJson<Record<string, unknown>[]>('containers-list.json').map((c) => ({
      ...c,
      Labels: {},
      Image: 'vllm/vllm-openai:v0.10.0',
    }));
    const [c] = parseContainerList(raw);
    assert.equal(c.managed, false);
    assert.equal(c.serverKind, 'vllm');
  });

  it('reads inspect of a running and an exited container, without env values', () => {
    const running = parseInspect(fixtureJson('container-inspect-running.json'));
    assert.equal(running.running, true);
    assert.deepEqual(running.ports, [{ containerPort: 8000, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 18555 }]);
    assert.deepEqual(running.envNames.sort(), ['HF_TOKEN', 'MODEL_NAME']);
    assert.ok(!JSON.stringify(running).includes('secret-value-xyz'), 'env values must not leak out of inspect');
    assert.equal(running.gpuRequest, 'none');
    assert.equal(running.finishedAt, undefined, 'the zero time means never');
    const exited = parseInspect(fixtureJson('container-inspect-exited.json'));
    assert.equal(exited.running, false);
    assert.equal(exited.state, 'exited');
    assert.equal(exited.exitCode, 3);
    assert.ok(exited.finishedAt && exited.startedAt && exited.finishedAt > exited.startedAt);
  });

  it('reads the GPU request of a container', () => {
    assert.deepEqual(parseInspect(fixtureJson('container-inspect-gpu-created.json')).gpuRequest, ['0', '1']);
  });

  it('parses the recorded event stream and skips other lines', () => {
    const events = fixtureText('events.ndjson').split('\n').filter(Boolean).map(parseEventLine);
    assert.deepEqual(
      events.map((e) => e?.event.action),
      ['create', 'start', 'die', 'destroy'],
    );
    const die = events[2]!.event;
    assert.equal(die.exitCode, 0);
    assert.equal(die.name, 'il-fixture2');
    assert.equal(die.labels['inference-lab.managed'], 'true');
    assert.equal(die.labels.name, undefined, 'attributes that are not labels are not labels');
    assert.ok(events[0]!.nano <= events[3]!.nano);
    assert.equal(parseEventLine('{"Type":"network","Action":"connect","Actor":{"ID":"x"},"time":1}'), undefined);
    assert.equal(parseEventLine('not json'), undefined);
    assert.equal(parseEventLine('{"Type":"container"}'), undefined);
  });
});
