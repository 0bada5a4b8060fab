import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cachedView } from '../../../src/core/results/viewCache';
import type { RunView } from '../../../src/shared/results';

const view = (name: string) =>
  ({
    id: 'r',
    name,
    group: 'embeddings',
    profile: 'vllm',
    server: { url: 'u' },
    startedAt: '',
    status: 'complete',
    clientBound: false,
    steps: [],
    distributions: [],
    timeline: { t: [], requestsPerSec: [], latencyP50Ms: [], latencyP99Ms: [] },
    recordsCount: 0,
    workload: {},
  }) as RunView;

describe('cachedView', () => {
  it('builds once, reuses the cache, and rebuilds when the result or records change', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'il-viewcache-'));
    const result = path.join(dir, 'result.json');
    const records = path.join(dir, 'records.jsonl');
    fs.writeFileSync(result, '{}');
    fs.writeFileSync(records, 'x\n');
    let builds = 0;
    const build = async () => view(`build ${++builds}`);
    assert.equal((await cachedView(dir, 'vllm', [result, records], build)).name, 'build 1');
    assert.equal((await cachedView(dir, 'vllm', [result, records], build)).name, 'build 1', 'served from the cache');
    assert.equal(
      (await cachedView(dir, 'genai-perf', [result, records], build)).name,
      'build 2',
      'one cache per profile',
    );
    fs.appendFileSync(records, 'y\n');
    assert.equal(
      (await cachedView(dir, 'vllm', [result, records], build)).name,
      'build 3',
      'stale after the records grew',
    );
    fs.writeFileSync(path.join(dir, 'view-vllm.json'), '{ broken');
    assert.equal(
      (await cachedView(dir, 'vllm', [result, records], build)).name,
      'build 4',
      'a damaged cache is rebuilt',
    );
  });
});
