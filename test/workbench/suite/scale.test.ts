/**
 * Run Benchmark on… in the extension host: a quick run with 2 worker threads
 * against the embedded vLLM personality lands in Benchmark Runs with its
 * workers listed, its per-worker progress was reported, and its summaries are
 * the profile's computation over the merged records; Cancel keeps what
 * arrived.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as vscode from 'vscode';
import type { BenchApi } from '../../../src/host/bench/registerBench';
import type { ServersApi } from '../../../src/host/servers/registerServers';
import { activateExtension, waitFor } from './util';

describe('Run Benchmark on… (worker threads)', function () {
  this.timeout(240_000);
  let bench: BenchApi;
  let vllm: string;

  before(async () => {
    const { api } = await activateExtension<{ bench: BenchApi; servers: ServersApi }>();
    bench = api.bench;
    vllm = (await api.servers.embedded.ensureEndpoint('vllm'))!;
  });

  it('2 worker threads: one result in Benchmark Runs, workers listed, summaries from the merged records', async () => {
    const seen = new Set<string>();
    const sub = bench.service.onDidLive(({ live }) => live.workers?.forEach((w) => seen.add(`${w.shard} ${w.state}`)));
    const id = await vscode.commands.executeCommand<string>('inferenceLab.bench.runOn', {
      url: vllm,
      group: 'text-generation',
      preset: 'quick',
      name: 'ext-host 2 threads',
      placement: { kind: 'threads', workers: 2 },
    });
    sub.dispose();
    assert.ok(id, 'a run id');
    const store = await bench.service.store();
    const meta = await store.meta(id);
    assert.equal(meta.status, 'complete', meta.incompleteReason);
    assert.deepEqual(meta.workers, ['1/2 thread 1', '2/2 thread 2']);
    const result = (await store.result(id))!;
    assert.deepEqual(
      result.workers?.map((w) => [w.shard, w.clock.method]),
      [
        ['1/2', 'round-trip'],
        ['2/2', 'round-trip'],
      ],
    );
    assert.equal(result.steps[0].summary.counts.completed, 20);
    assert.equal(
      result.workers!.reduce((a, w) => a + w.sent, 0),
      result.steps.reduce((a, s) => a + s.requests.sent, 0),
    );
    const records = fs
      .readFileSync(store.recordsPath(id), 'utf8')
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{"i":') && !l.includes('"w":1'));
    assert.equal(
      records.length,
      result.steps.reduce((a, s) => a + s.summary.counts.total, 0),
      'one merged records file with every measured request',
    );
    const { recomputeProfile } = await import('../../../src/core/bench/recompute.js');
    const again = await recomputeProfile(result, store.recordsPath(id), result.profile);
    assert.deepEqual(
      again.steps.map((s) => s.summary.counts),
      result.steps.map((s) => s.summary.counts),
    );
    assert.deepEqual(
      again.steps.map((s) => s.summary.metrics.e2el.percentiles),
      result.steps.map((s) => s.summary.metrics.e2el.percentiles),
    );
    assert.ok(seen.has('1/2 done') && seen.has('2/2 done'), `per-worker progress: ${[...seen].join(', ')}`);
    assert.ok((await bench.service.list()).some((r) => r.id === id && r.workers?.length === 2));
  });

  it('Cancel stops every worker and keeps what arrived', async () => {
    const started = vscode.commands.executeCommand<string>('inferenceLab.bench.runOn', {
      url: vllm,
      group: 'text-generation',
      preset: 'standard',
      name: 'ext-host threads cancelled',
      placement: { kind: 'threads', workers: 2 },
    });
    await waitFor(
      () => bench.service.running.size === 1 && [...bench.service.running.values()][0].live.completed > 5,
      'the run to make progress',
      90_000,
    );
    await vscode.commands.executeCommand('inferenceLab.bench.cancel');
    const id = await started;
    const store = await bench.service.store();
    const meta = await store.meta(id!);
    assert.equal(meta.status, 'incomplete');
    const result = (await store.result(id!))!;
    assert.ok(result.incomplete);
    assert.equal(result.workers?.length, 2);
    assert.ok(result.steps[0].summary.counts.completed > 5, 'what was measured is kept');
  });
});
