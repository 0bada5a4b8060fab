import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { seededUniform } from '../../../src/core/stats/random';
import { BenchSpecError } from '../../../src/core/bench/specNormalize';
import { datasetPrompts, sampleLength, syntheticPrompt, syntheticPrompts } from '../../../src/core/bench/workload/textWorkload';
import { countTokens } from '../../../src/core/bench/workload/tokens';
import { elementCount, itemBytes, syntheticPng } from '../../../src/core/bench/workload/imageWorkload';
import { nest } from '../../../src/core/bench/protocols/imageApis';

const text = { inputTokens: { mean: 64 }, outputTokens: { mean: 16, std: 4, min: 8, max: 20 }, ignoreEos: true };

describe('workloads', () => {
  it('synthetic prompts have exactly the asked number of tokens, reproducibly', () => {
    const r = seededUniform(1);
    for (const n of [1, 7, 100, 1000]) assert.equal(countTokens(syntheticPrompt(n, r)), n);
    const a = syntheticPrompts(text, 3, 50);
    assert.deepEqual(a, syntheticPrompts(text, 3, 50));
    assert.notDeepEqual(a.map((x) => x.prompt), syntheticPrompts(text, 4, 50).map((x) => x.prompt));
    assert.ok(a.every((x) => x.inputTokens === 64 && countTokens(x.prompt) === 64));
    assert.ok(a.every((x) => x.outputTokens >= 8 && x.outputTokens <= 20));
    assert.ok(new Set(a.map((x) => x.outputTokens)).size > 3, 'normal lengths vary');
  });
  it('fixed lengths never vary and never go below 1', () => {
    const r = seededUniform(2);
    assert.equal(sampleLength({ mean: 5 }, r), 5);
    for (let i = 0; i < 200; i++) assert.ok(sampleLength({ mean: 2, std: 10 }, r) >= 1);
  });
  it('reads JSONL datasets of prompts or chat messages, and names the bad line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ds-'));
    const ok = path.join(dir, 'ok.jsonl');
    fs.writeFileSync(ok, '{"prompt":"Hello there","output_tokens":5}\n\n{"messages":[{"role":"user","content":"Hi"}]}\n');
    const items = datasetPrompts(ok, text, 0);
    assert.equal(items.length, 2);
    assert.deepEqual([items[0].outputTokens, items[0].inputTokens], [5, 2]);
    assert.deepEqual(items[1].messages, [{ role: 'user', content: 'Hi' }]);
    const bad = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(bad, '{"prompt":"a"}\n{"prompt": 3}\n');
    assert.throws(() => datasetPrompts(bad, text, 0), (e: unknown) => e instanceof BenchSpecError && /bad\.jsonl:2/.test(e.message));
    assert.throws(() => datasetPrompts(path.join(dir, 'missing.jsonl'), text, 0), /Cannot read the dataset/);
  });
  it('builds tensors of the declared shape and valid PNG files', () => {
    const input = { name: 'x', datatype: 'FP32', itemShape: [3, 8, 8] };
    assert.equal(itemBytes(input, 1).length, elementCount(input.itemShape) * 4);
    assert.equal(itemBytes({ ...input, datatype: 'INT64' }, 1).length, 192 * 8);
    const png = syntheticPng(16, 16, 1);
    assert.deepEqual([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
    assert.equal(png.readUInt32BE(16), 16, 'IHDR width');
    assert.equal(nest(['1', '2', '3', '4', '5', '6'], [2, 3]), '[[1,2,3],[4,5,6]]');
  });
});
