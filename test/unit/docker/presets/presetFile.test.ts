import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ContainerError } from '../../../../src/core/docker/errors';
import {
  loadPresetFile,
  parsePresetFile,
  savePresetFile,
  serializePresetFile,
} from '../../../../src/core/docker/presets/presetFile';
import { findPreset } from '../../../../src/core/docker/presets/presets';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'il-preset-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const invalid = (pattern: RegExp) => (e: unknown) =>
  ContainerError.is(e, 'invalid-preset') && pattern.test((e as Error).message);

describe('workspace preset files', () => {
  it('saves and loads a preset with its launch options', async () => {
    const file = path.join(dir, '.vscode', 'inference-lab', 'my-vllm.preset.json');
    const preset = { ...findPreset('vllm')!, id: 'my-vllm', label: 'Team vLLM' };
    const options = {
      params: { modelId: 'Qwen/Qwen2.5-0.5B-Instruct', maxModelLen: 8192 },
      hostPorts: { http: 8100 },
      gpus: ['0'],
      secretEnv: ['VLLM_API_KEY'],
    };
    await savePresetFile(file, preset, options);
    const loaded = await loadPresetFile(file);
    assert.deepEqual(loaded.preset, preset);
    assert.deepEqual(loaded.options, options);
    assert.ok(fs.readFileSync(file, 'utf8').endsWith('}\n'));
  });

  it('keeps secrets out: a credential in plain env cannot be saved', () => {
    assert.throws(
      () => serializePresetFile(findPreset('vllm')!, { env: { HF_TOKEN: 'hf_abc' } }),
      invalid(/credential/),
    );
  });

  it('names the field that is wrong', () => {
    const good = JSON.parse(serializePresetFile(findPreset('tei')!, {})) as Record<string, Record<string, unknown>>;
    assert.throws(() => parsePresetFile({ ...good, kind: 'other' }, 'f.json'), invalid(/f\.json.*\/kind/));
    assert.throws(
      () => parsePresetFile({ ...good, preset: { ...good.preset, ports: [] } }),
      invalid(/\/preset\/ports/),
    );
    assert.throws(
      () => parsePresetFile({ ...good, preset: { ...good.preset, extra: 1 } }),
      invalid(/additional properties/),
    );
    assert.throws(() => parsePresetFile({ ...good, options: { gpus: 'some' } }), invalid(/\/options\/gpus/));
    assert.throws(
      () => parsePresetFile({ ...good, options: { hostPorts: { http: 0 } } }),
      invalid(/\/options\/hostPorts\/http/),
    );
    assert.throws(
      () =>
        parsePresetFile({
          ...good,
          preset: { ...good.preset, health: { port: 'nope', path: '/health', expectStatus: 200, timeoutMs: 1000 } },
        }),
      invalid(/health port "nope"/),
    );
  });

  it('accepts a template that leaves required params and volumes to the launch', () => {
    assert.doesNotThrow(() => parsePresetFile(JSON.parse(serializePresetFile(findPreset('triton')!, {}))));
  });

  it('reports unreadable and non-JSON files clearly', async () => {
    await assert.rejects(
      loadPresetFile(path.join(dir, 'missing.json')),
      invalid(/Cannot read .*missing\.json: ENOENT/),
    );
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{ nope');
    await assert.rejects(loadPresetFile(bad), invalid(/bad\.json is not valid JSON/));
  });
});
