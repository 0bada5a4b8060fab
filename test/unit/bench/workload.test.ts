import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededUniform } from '../../../src/core/stats/random';
import { sampleLength, syntheticPrompt, syntheticPrompts } from '../../../src/core/bench/workload/textWorkload';
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
    assert.notDeepEqual(
      a.map((x) => x.prompt),
      syntheticPrompts(text, 4, 50).map((x) => x.prompt),
    );
    assert.ok(a.every((x) => x.inputTokens === 64 && countTokens(x.prompt) === 64));
    assert.ok(a.every((x) => x.outputTokens >= 8 && x.outputTokens <= 20));
    assert.ok(new Set(a.map((x) => x.outputTokens)).size > 3, 'normal lengths vary');
  });
  it('fixed lengths never vary and never go below 1', () => {
    const r = seededUniform(2);
    assert.equal(sampleLength({ mean: 5 }, r), 5);
    for (let i = 0; i < 200; i++) assert.ok(sampleLength({ mean: 2, std: 10 }, r) >= 1);
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
