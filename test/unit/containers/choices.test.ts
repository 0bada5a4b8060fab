import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findPreset } from '../../../src/core/docker/presets/presets';
import type { GpuSupport } from '../../../src/core/docker/types';
import {
  formatArgs,
  formatEnv,
  gpuChoices,
  launchBlockedReason,
  launchSummary,
  parseArgsText,
  parseDeviceIds,
  parseEnvText,
  suggestPresetId,
} from '../../../src/core/containers/launch/choices';

const noGpu: GpuSupport = {
  available: false,
  runtimes: [],
  cdiDevices: [],
  gpus: [],
  evidence: "no NVIDIA runtime among the engine's runtimes (runc) and no CDI GPU devices",
};
const cdi: GpuSupport = {
  available: true,
  runtimes: [],
  cdiDevices: ['nvidia.com/gpu=0', 'nvidia.com/gpu=1'],
  gpus: [
    { id: '0', source: 'cdi' },
    { id: '1', source: 'cdi' },
  ],
  evidence: 'CDI devices',
};
const runtimeOnly: GpuSupport = {
  available: true,
  runtimes: ['nvidia'],
  cdiDevices: [],
  gpus: [],
  evidence: 'runtime "nvidia" registered',
};

describe('launch quick-pick choices', () => {
  it('offers CPU first on an engine without a GPU runtime, and still lets GPUs be asked for', () => {
    const c = gpuChoices(noGpu, findPreset('tei')!);
    assert.deepEqual(
      c.map((x) => x.value),
      ['none', 'all', 'ask'],
    );
    assert.match(c[0].description ?? '', /cpu-1\.9/);
    assert.match(c[1].description ?? '', /no GPU runtime detected/);
  });

  it('lists the GPUs the engine reports, and no CPU choice for servers that need a GPU', () => {
    assert.deepEqual(
      gpuChoices(cdi, findPreset('vllm')!).map((x) => x.label),
      ['All GPUs', 'GPU 0', 'GPU 1'],
    );
    assert.deepEqual(
      gpuChoices(runtimeOnly, findPreset('triton')!).map((x) => x.value),
      ['all', 'ask', 'none'],
    );
  });

  it('parses device ids and rejects junk', () => {
    assert.deepEqual(parseDeviceIds('0, 1 GPU-3f2a'), ['0', '1', 'GPU-3f2a']);
    assert.match(parseDeviceIds('') as string, /at least one/);
    assert.match(parseDeviceIds('0;rm') as string, /not a device/);
  });

  it('blocks workspace presets in an untrusted workspace only, and says built-ins still work', () => {
    assert.equal(launchBlockedReason('builtin', false, 'vLLM'), undefined);
    assert.equal(launchBlockedReason('workspace', true, 'Mine'), undefined);
    assert.match(
      launchBlockedReason('workspace', false, 'Mine')!,
      /not trusted.*Built-in presets can still be launched/,
    );
  });

  it('reads and writes env and argument text', () => {
    assert.deepEqual(parseEnvText('A=1, B = two words\nC='), { A: '1', B: 'two words', C: '' });
    assert.match(parseEnvText('oops') as string, /NAME=value/);
    assert.equal(formatEnv({ A: '1', B: 'x' }), 'A=1, B=x');
    assert.deepEqual(parseArgsText(`--max-num-seqs 8 --chat-template "a b" --x='c d'  "q\\"x"`), [
      '--max-num-seqs',
      '8',
      '--chat-template',
      'a b',
      '--x=c d',
      'q"x',
    ]);
    assert.match(parseArgsText('--a "open') as string, /Unbalanced/);
    const args = ['--a', 'two words', 'q"x'];
    assert.deepEqual(parseArgsText(formatArgs(args)), args, 'format and parse round-trip');
  });

  it('summarises the launch with the CPU tag when on CPU, and suggests a preset id from the model', () => {
    assert.equal(
      launchSummary(findPreset('tei')!, { gpus: 'none' }, 'http://127.0.0.1:8080'),
      'ghcr.io/huggingface/text-embeddings-inference:cpu-1.9 · CPU · http://127.0.0.1:8080',
    );
    assert.equal(
      suggestPresetId(findPreset('vllm')!, { params: { modelId: 'Qwen/Qwen2.5-0.5B-Instruct' } }),
      'vllm-qwen2-5-0-5b-instruct',
    );
    assert.equal(suggestPresetId({ ...findPreset('vllm')!, id: 'team-llm' }, {}), 'team-llm');
  });
});
