import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ContainerError, fixes } from '../../../src/core/docker/errors';
import { noGpuError } from '../../../src/core/docker/launch/launchSteps';
import { findPreset } from '../../../src/core/docker/presets/presets';
import { presentError } from '../../../src/core/containers/launch/errorActions';
import { diskGuide } from '../guide/guideFixture';

describe('failure notifications', () => {
  it('offers the one-click CPU retry for a GPU request on an engine without a GPU runtime, only where the preset runs on CPU', () => {
    const cpuOk = presentError(noGpuError(findPreset('tei')!, 'no NVIDIA runtime'));
    assert.deepEqual(cpuOk.actions, ['cpu', 'learn']);
    assert.equal(cpuOk.topic, 'deployment/containers#gpu-access');
    assert.match(cpuOk.text, /no GPU runtime.*Install the NVIDIA Container Toolkit.*or launch on CPU\./);
    const needsGpu = presentError(noGpuError(findPreset('vllm')!));
    assert.deepEqual(needsGpu.actions, ['learn']);
    assert.match(needsGpu.text, /this server needs a GPU/);
  });

  it('puts the engine fix and settings button on engine problems', () => {
    const p = presentError(
      new ContainerError(
        'engine-unavailable',
        'Cannot connect to the Docker engine at unix:///var/run/docker.sock (ENOENT): is it running?',
        fixes.engineDown,
      ),
    );
    assert.deepEqual(p.actions, ['settings', 'learn']);
    assert.match(p.text, /is it running\? Start Docker/);
    assert.deepEqual(
      presentError(
        new ContainerError('permission-denied', 'Permission denied on unix:///var/run/docker.sock.', fixes.permission),
      ).actions,
      ['settings', 'learn'],
    );
  });

  it('folds the last log lines into one line, and points at the server page', () => {
    const e = new ContainerError(
      'exited-during-start',
      'The container exited with code 3 before it was ready.\nLast log lines:\n  a\n  b\n  c\n  d',
      'Check the model id.',
      { lastLogLines: ['a', 'b', 'c', 'd'] },
    );
    const p = presentError(e, 'vllm');
    assert.equal(
      p.text,
      'The container exited with code 3 before it was ready. Last log lines: b | c | d Check the model id.',
    );
    assert.deepEqual(p.actions, ['output', 'learn']);
    assert.equal(p.topic, 'servers/vllm');
    assert.equal(presentError(e, 'tei').topic, 'deployment/containers#model-storage');
  });

  it('gives each other kind its page and buttons', () => {
    const kinds = [
      ['port-in-use', ['port', 'learn'], 'deployment/containers'],
      ['image-not-found', ['learn'], 'deployment/containers#images-per-server'],
      ['registry-unreachable', ['learn'], 'deployment/containers#images-per-server'],
      ['health-timeout', ['output', 'learn'], 'deployment/containers#health-checks'],
      ['cancelled', [], 'deployment/containers'],
    ] as const;
    for (const [kind, actions, topic] of kinds) {
      const p = presentError(new ContainerError(kind, 'm'));
      assert.deepEqual(p.actions, actions, kind);
      assert.equal(p.topic, topic, kind);
    }
  });
});

describe('"Learn more" targets', () => {
  it('every page and anchor a failure can point at exists in the shipped guide', async () => {
    const guide = diskGuide();
    const kinds = [
      'engine-unavailable',
      'no-gpu-runtime',
      'image-not-found',
      'health-timeout',
      'exited-during-start',
      'port-in-use',
    ] as const;
    const topics = new Set<string>();
    for (const kind of kinds)
      for (const server of ['triton', 'vllm', 'tgi', 'ollama', 'torchserve', 'tfserving', 'tei'])
        topics.add(presentError(new ContainerError(kind, 'm'), server).topic);
    for (const topic of topics) {
      const [page, anchor] = topic.split('#');
      const parsed = await guide.parsed(page);
      assert.ok(parsed, `${page} is a guide page`);
      if (anchor)
        assert.ok(
          parsed.headings.some((h) => h.anchor === anchor),
          `${topic} is a heading`,
        );
    }
  });
});
