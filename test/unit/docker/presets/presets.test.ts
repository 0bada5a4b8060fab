import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkPreset } from '../../../../src/core/docker/launch/launchChecks';
import { resolveLaunch } from '../../../../src/core/docker/launch/launchSpec';
import { labelKeys } from '../../../../src/core/docker/launch/labels';
import {
  builtinPresets,
  findPreset,
  imageRepository,
  serverKindForImage,
} from '../../../../src/core/docker/presets/presets';

const ctx = { homeDir: '/home/u' };
const sample: Record<string, Record<string, string>> = {
  triton: {},
  vllm: { modelId: 'Qwen/Qwen2.5-0.5B-Instruct' },
  tgi: { modelId: 'Qwen/Qwen2.5-0.5B-Instruct' },
  ollama: {},
  torchserve: {},
  tfserving: { modelName: 'resnet' },
  tei: { modelId: 'BAAI/bge-small-en-v1.5' },
};
const volumes: Record<string, Record<string, string>> = {
  triton: { modelRepository: '/srv/models' },
  tfserving: { modelRepository: '/srv/resnet' },
};

describe('built-in presets', () => {
  it('covers the seven servers, each consistent', () => {
    assert.deepEqual(builtinPresets.map((p) => p.id).sort(), [
      'ollama',
      'tei',
      'tfserving',
      'tgi',
      'torchserve',
      'triton',
      'vllm',
    ]);
    for (const p of builtinPresets) assert.doesNotThrow(() => checkPreset(p), p.id);
  });

  for (const p of builtinPresets) {
    it(`${p.id}: resolves with labels, health URL parts and GPU default`, () => {
      const spec = resolveLaunch(p, { params: sample[p.id], volumes: volumes[p.id] }, ctx);
      assert.equal(spec.labels[labelKeys.preset], p.id);
      assert.equal(spec.labels[labelKeys.serverKind], p.serverKind);
      assert.equal(spec.labels[labelKeys.managed], 'true');
      assert.equal(spec.gpus, 'all');
      assert.ok(spec.health.path.startsWith('/') && !spec.health.path.includes('{'), spec.health.path);
      assert.ok(
        spec.ports.every((x) => x.hostIp === '127.0.0.1'),
        'published on loopback by default',
      );
      assert.ok(spec.image.startsWith(`${p.image}:`));
      assert.ok(!spec.cmd.some((a) => a.includes('{')), `unfilled placeholder in ${spec.cmd.join(' ')}`);
    });
  }

  it('vLLM: model id, optional max length and tensor parallel size, HF cache and token', () => {
    const vllm = findPreset('vllm')!;
    const plain = resolveLaunch(vllm, { params: { modelId: 'm/x' } }, ctx);
    assert.deepEqual(plain.cmd, ['--model', 'm/x']);
    const full = resolveLaunch(vllm, { params: { modelId: 'm/x', maxModelLen: 4096, tensorParallelSize: 2 } }, ctx);
    assert.deepEqual(full.cmd, ['--model', 'm/x', '--max-model-len', '4096', '--tensor-parallel-size', '2']);
    assert.deepEqual(full.mounts, [
      { source: '/home/u/.cache/huggingface', target: '/root/.cache/huggingface', readOnly: false, kind: 'bind' },
    ]);
    assert.deepEqual(full.env, [{ name: 'HF_TOKEN', secret: true }]);
    assert.equal(full.ipcHost, true);
  });

  it('TF Serving fills the model name into env, volume target and health path', () => {
    const spec = resolveLaunch(
      findPreset('tfserving')!,
      { params: { modelName: 'resnet' }, volumes: { modelRepository: '/srv/resnet' } },
      ctx,
    );
    assert.deepEqual(spec.env, [{ name: 'MODEL_NAME', value: 'resnet', secret: false }]);
    assert.equal(spec.mounts[0].target, '/models/resnet');
    assert.equal(spec.health.path, '/v1/models/resnet');
    assert.equal(spec.health.bodyIncludes, 'AVAILABLE');
  });

  it('uses the CPU tag without GPUs', () => {
    assert.equal(
      resolveLaunch(findPreset('tei')!, { params: sample.tei, gpus: 'none' }, ctx).image,
      'ghcr.io/huggingface/text-embeddings-inference:cpu-1.9',
    );
    assert.equal(
      resolveLaunch(findPreset('tei')!, { params: sample.tei }, ctx).image,
      'ghcr.io/huggingface/text-embeddings-inference:cuda-1.9',
    );
    assert.equal(
      resolveLaunch(findPreset('tei')!, { params: sample.tei, gpus: 'none', tag: 'cpu-1.8' }, ctx).image,
      'ghcr.io/huggingface/text-embeddings-inference:cpu-1.8',
    );
    assert.equal(resolveLaunch(findPreset('ollama')!, { gpus: 'none' }, ctx).image, 'ollama/ollama:latest');
  });

  it('maps known images to server kinds', () => {
    assert.equal(serverKindForImage('docker.io/vllm/vllm-openai:v0.10.1'), 'vllm');
    assert.equal(serverKindForImage('nvcr.io/nvidia/tritonserver:24.08-py3'), 'triton');
    assert.equal(serverKindForImage('ollama/ollama@sha256:abcd'), 'ollama');
    assert.equal(serverKindForImage('localhost:5000/ollama/ollama:latest'), undefined);
    assert.equal(serverKindForImage('postgres:16'), undefined);
    assert.equal(imageRepository('docker.io/library/redis:7'), 'redis');
    assert.equal(imageRepository('127.0.0.1:5000/a/b:1'), '127.0.0.1:5000/a/b');
  });
});
