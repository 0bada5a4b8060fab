/**
 * The CLI's scale-out paths against the embedded server (its own process):
 * `bench --shard i/N` by hand + `merge` gives the one-process run record for
 * record; `bench --workers 2` lists its workers; merging the same shard
 * twice or shards of different runs is refused with exit 2.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readResultFile } from '../../../src/core/bench/resultFile';
import { startEmbeddedProcess } from '../bench/embeddedProcess';
import { assertSameRun, recordsOf } from './sameRun';

const root = path.resolve(__dirname, '..', '..', '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scale-cli-'));
const latency = {
  jitter: 0,
  prefillBaseMs: 10,
  prefillPerTokenMs: 0.02,
  decodePerTokenMs: 2,
  batchSlowdown: 0,
  maxBatch: 128,
};

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d));
    p.stderr.on('data', (d: Buffer) => (stderr += d));
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('inference-lab bench --shard / merge / --workers', () => {
  let server: { proc: ChildProcess; endpoints: Record<string, string> };
  let run: string[];
  before(async () => {
    server = await startEmbeddedProcess(dir, {
      portBase: 0,
      models: [
        { name: 'tiny-llm', kind: 'text-generation', latency },
        { name: 'mini-embed', kind: 'embedding' },
        { name: 'resnet50', kind: 'image-classification' },
      ],
    });
    run = [
      'bench',
      '--url',
      server.endpoints.vllm,
      '--group',
      'text-generation',
      '--api',
      'openai-completions',
      '--rate',
      '40',
      '--requests',
      '30',
      '--warmup',
      '2',
      '--seed',
      '3',
      '--output-tokens',
      '6:2',
      '--quiet',
    ];
  });
  after(() => server?.proc.kill('SIGTERM'));

  it('two shards launched by hand, then merge: the one-process run, record for record', async () => {
    const single = await cli([...run, '--out', path.join(dir, 'single.json')]);
    assert.equal(single.code, 0, single.stderr);
    // Lead time for two tsx processes to start and run their pre-flight on a busy 2-core machine.
    const startAt = new Date(Date.now() + 15_000).toISOString();
    const [a, b] = await Promise.all(
      [1, 2].map((i) =>
        cli([...run, '--shard', `${i}/2`, '--start-at', startAt, '--out', path.join(dir, `shard-${i}.json`)]),
      ),
    );
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const m = await cli([
      'merge',
      path.join(dir, 'shard-1.json'),
      path.join(dir, 'shard-2.json'),
      '--out',
      path.join(dir, 'merged.json'),
    ]);
    assert.equal(m.code, 0, m.stderr);
    assert.match(m.stdout, /2 shards merged/);
    const merged = readResultFile(path.join(dir, 'merged.json'));
    const one = readResultFile(path.join(dir, 'single.json'));
    assertSameRun(one, await recordsOf(one.recordsPath), merged, await recordsOf(merged.recordsPath));
    assert.deepEqual(
      merged.workers?.map((w) => [w.shard, w.clock.method, w.sent]),
      [
        ['1/2', 'wall-clock', 15],
        ['2/2', 'wall-clock', 15],
      ],
    );
    // Both shards waited for the common start: their runs began within a few ms of each other on the wall clock.
    const origins = [1, 2].map((i) => readResultFile(path.join(dir, `shard-${i}.json`)).shard!.originWallMs);
    assert.ok(
      Math.abs(origins[0] - origins[1]) < 50,
      `shard starts ${origins.map((o) => new Date(o).toISOString()).join(' and ')}`,
    );
    assert.ok(Math.abs(origins[0] - Date.parse(startAt)) < 100, 'at the common start');
  });

  it('merge refuses the same shard twice and shards of different runs (exit 2)', async () => {
    const twice = await cli([
      'merge',
      path.join(dir, 'shard-1.json'),
      path.join(dir, 'shard-1.json'),
      '--out',
      path.join(dir, 'x.json'),
    ]);
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /Shard 1\/2 is given twice/);
    const other = await cli([
      ...run.map((x) => (x === '30' ? '20' : x)),
      '--shard',
      '2/2',
      '--out',
      path.join(dir, 'other-2.json'),
    ]);
    assert.equal(other.code, 0, other.stderr);
    const mixed = await cli([
      'merge',
      path.join(dir, 'shard-1.json'),
      path.join(dir, 'other-2.json'),
      '--out',
      path.join(dir, 'x.json'),
    ]);
    assert.equal(mixed.code, 2);
    assert.match(mixed.stderr, /ran a different benchmark/);
    const notShard = await cli(['merge', path.join(dir, 'single.json'), '--out', path.join(dir, 'x.json')]);
    assert.equal(notShard.code, 2);
    assert.match(notShard.stderr, /not a shard result/);
    assert.ok(!fs.existsSync(path.join(dir, 'x.json')), 'nothing written');
  });

  it('--workers 2: one result with its two worker threads', async () => {
    const r = await cli([...run, '--workers', '2', '--out', path.join(dir, 'threads.json')]);
    assert.equal(r.code, 0, r.stderr);
    const res = readResultFile(path.join(dir, 'threads.json'));
    assert.deepEqual(
      res.workers?.map((w) => [w.shard, w.where, w.clock.method]),
      [
        ['1/2', 'thread 1', 'round-trip'],
        ['2/2', 'thread 2', 'round-trip'],
      ],
    );
    assert.equal(res.steps[0].summary.counts.completed, 30);
    assert.equal(res.steps[0].openLoop?.targetRate, 40);
  });

  it('--shard with a bad value, or with a sweep, exits 2', async () => {
    const bad = await cli([...run, '--shard', '3/2']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--shard: "3\/2": i must be from 1 to N/);
    const sweep = await cli([
      'bench',
      '--url',
      server.endpoints.vllm,
      '--group',
      'text-generation',
      '--sweep',
      '--workers',
      '2',
    ]);
    assert.equal(sweep.code, 2);
    assert.match(sweep.stderr, /A sweep cannot be split over workers/);
  });
});
