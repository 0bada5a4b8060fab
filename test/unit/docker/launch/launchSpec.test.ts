import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ContainerError } from '../../../../src/core/docker/errors';
import { parseSize } from '../../../../src/core/docker/launch/launchChecks';
import { resolveLaunch } from '../../../../src/core/docker/launch/launchSpec';
import type { LaunchOptions } from '../../../../src/core/docker/presets/presetTypes';
import { findPreset } from '../../../../src/core/docker/presets/presets';

const ctx = { homeDir: '/home/u' };
const vllm = findPreset('vllm')!;
const triton = findPreset('triton')!;
const ollama = findPreset('ollama')!;

function rejects(preset = vllm, o: LaunchOptions, pattern: RegExp): void {
  assert.throws(
    () => resolveLaunch(preset, o, ctx),
    (e: unknown) => ContainerError.is(e, 'invalid-preset') && pattern.test((e as Error).message),
  );
}

describe('launch resolution and checks', () => {
  it('chooses ports, GPUs, names and labels from the options', () => {
    const spec = resolveLaunch(
      vllm,
      {
        params: { modelId: 'm' },
        hostPorts: { http: 9000 },
        gpus: ['1'],
        bindAddress: '0.0.0.0',
        labels: { team: 'a' },
        shmSize: '2g',
      },
      ctx,
    );
    assert.equal(spec.name, 'inference-lab-vllm-9000');
    assert.deepEqual(spec.ports, [
      { name: 'http', container: 8000, hostPort: 9000, hostIp: '0.0.0.0', protocol: 'http', role: 'inference' },
    ]);
    assert.deepEqual(spec.gpus, ['1']);
    assert.equal(spec.labels['inference-lab.gpus'], '1');
    assert.equal(spec.labels.team, 'a');
    assert.equal(spec.shmBytes, 2 * 1024 ** 3);
    assert.equal(spec.health.port.hostPort, 9000);
  });

  it('keeps our labels even when the options try to override them', () => {
    const spec = resolveLaunch(ollama, { labels: { 'inference-lab.preset': 'other' } }, ctx);
    assert.equal(spec.labels['inference-lab.preset'], 'ollama');
  });

  it('expands ~ and tells named volumes from paths', () => {
    const spec = resolveLaunch(ollama, { volumes: { data: '~/ollama-data' } }, ctx);
    assert.deepEqual(spec.mounts, [
      { source: '/home/u/ollama-data', target: '/root/.ollama', readOnly: false, kind: 'bind' },
    ]);
    assert.equal(resolveLaunch(ollama, {}, ctx).mounts[0].kind, 'volume');
    rejects(ollama, { volumes: { data: 'relative/dir' } }, /absolute path/);
  });

  it('adds extra args, extra env and extra secret env names', () => {
    const spec = resolveLaunch(
      vllm,
      {
        params: { modelId: 'm' },
        extraArgs: ['--enable-prefix-caching'],
        env: { VLLM_LOGGING_LEVEL: 'DEBUG' },
        secretEnv: ['VLLM_API_KEY'],
      },
      ctx,
    );
    assert.deepEqual(spec.cmd.slice(-1), ['--enable-prefix-caching']);
    assert.deepEqual(spec.env, [
      { name: 'HF_TOKEN', secret: true },
      { name: 'VLLM_API_KEY', secret: true },
      { name: 'VLLM_LOGGING_LEVEL', value: 'DEBUG', secret: false },
    ]);
  });

  it('refuses incomplete or unsafe launches with a message naming the problem', () => {
    rejects(vllm, {}, /needs "Model id"/);
    rejects(vllm, { params: { modelId: 'm' }, gpus: 'none' }, /needs a GPU/);
    rejects(vllm, { params: { modelId: 'm' }, gpus: [] }, /GPU device ids/);
    rejects(vllm, { params: { modelId: 'm' }, hostPorts: { http: 70000 } }, /1–65535/);
    rejects(vllm, { params: { modelId: 'm' }, hostPorts: { grpc: 9000 } }, /Unknown port "grpc"/);
    rejects(vllm, { params: { modelId: 'm' }, bindAddress: 'localhost' }, /not an IP address/);
    rejects(vllm, { params: { modelId: 'm' }, env: { HF_TOKEN: 'hf_abc' } }, /credential/);
    rejects(vllm, { params: { modelId: 'm' }, env: { MY_API_KEY: 'k' } }, /credential/);
    rejects(vllm, { params: { modelId: 'm' }, extraArgs: ['--api-key', 'sk-1'] }, /credential on the command line/);
    rejects(vllm, { params: { modelId: 'm' }, extraArgs: ['--hf-token=abc'] }, /credential on the command line/);
    rejects(vllm, { params: { modelId: 'm' }, name: 'bad name' }, /Container name/);
    rejects(vllm, { params: { modelId: 'm' }, tag: 'bad tag' }, /tag/);
    rejects(vllm, { params: { modelId: 'm\nx' } }, /single line/);
    rejects(vllm, { params: { modelId: 'm' }, volumes: { models: '/x' } }, /no "models" volume/);
    rejects(triton, {}, /needs a modelRepository volume/);
    rejects(findPreset('torchserve')!, { hostPorts: { management: 8080 } }, /both use host port 8080/);
    rejects(vllm, { params: { modelId: 'm' }, shmSize: 'lots' }, /Size "lots"/);
  });

  it('allows token-count flags that merely contain the word', () => {
    assert.doesNotThrow(() =>
      resolveLaunch(vllm, { params: { modelId: 'm' }, extraArgs: ['--max-num-batched-tokens', '8192'] }, ctx),
    );
  });

  it('parses Docker sizes with binary units', () => {
    assert.equal(parseSize('1g'), 1073741824);
    assert.equal(parseSize('512m'), 536870912);
    assert.equal(parseSize('64k'), 65536);
    assert.equal(parseSize('100'), 100);
    assert.equal(parseSize('1.5GB'), 1610612736);
  });
});
