/**
 * Docker-host workers on the real engine: the CLI image is built from the
 * repository's Dockerfile (FROM scratch, no registry) and 3 worker
 * containers run one benchmark against the embedded server (its own process
 * on this machine; the workers use the host network). The merged result must
 * equal, record for record, the same schedule run in one process; a cancel
 * keeps what arrived and removes every container.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { after, before, describe, it } from 'node:test';
import { runBenchmark } from '../../src/core/bench/runBenchmark';
import { runScaledOut, type WorkerProgress } from '../../src/core/bench/scale/coordinator';
import { dockerLauncher, workerLabel } from '../../src/core/bench/scale/dockerWorkers';
import type { BenchSpec } from '../../src/core/bench/spec';
import { startEmbeddedProcess } from '../unit/bench/embeddedProcess';
import { assertSameRun, recordsOf } from '../unit/scale/sameRun';
import { testLabels } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scale-docker-'));
const latency = {
  jitter: 0,
  prefillBaseMs: 10,
  prefillPerTokenMs: 0.02,
  decodePerTokenMs: 2,
  batchSlowdown: 0,
  maxBatch: 128,
};
const engine = new Dockerode({ socketPath: '/var/run/docker.sock' });

async function workerContainers(): Promise<number> {
  return (await engine.listContainers({ all: true, filters: { label: [workerLabel] } })).length;
}

describe('Docker-host workers (3 containers of the CLI image on the local engine)', () => {
  let server: { proc: ChildProcess; endpoints: Record<string, string> };
  let image: string;
  before(async () => {
    server = await startEmbeddedProcess(dir, {
      portBase: 0,
      models: [
        { name: 'tiny-llm', kind: 'text-generation', latency },
        { name: 'mini-embed', kind: 'embedding' },
        { name: 'resnet50', kind: 'image-classification' },
      ],
    });
    const { buildCliImage } = await import('../../scripts/docker/cli-image.mjs');
    image = await buildCliImage(engine, { tag: `inference-lab-test/cli:${process.pid}`, labels: testLabels });
  });
  after(() => server?.proc.kill('SIGTERM'));

  const spec = (): BenchSpec => ({
    url: server.endpoints.vllm,
    group: 'text-generation',
    api: 'openai-completions',
    load: { concurrency: [6] },
    requests: 45,
    warmup: 3,
    seed: 5,
    text: { inputTokens: { mean: 16, std: 5, min: 4 }, outputTokens: { mean: 8, std: 3, min: 2, max: 16 } },
  });

  it('the image is built FROM scratch by the Dockerfile and runs the CLI as nobody', async () => {
    const info = await engine.getImage(image).inspect();
    assert.equal(info.Config.User, '65534:65534');
    assert.deepEqual(info.Config.Entrypoint, ['/usr/bin/node', '/app/cli.js']);
    assert.equal(info.Config.Labels?.['inference-lab.test'], '1');
  });

  it('3 workers: the merged result equals the one-process run record for record', async () => {
    const s = spec();
    const singleFile = path.join(dir, 'single.jsonl');
    const single = await runBenchmark(s, { recordsPath: singleFile });
    const mergedFile = path.join(dir, 'merged.jsonl');
    const workers: WorkerProgress[] = [];
    const merged = await runScaledOut(
      s,
      dockerLauncher({ hosts: ['default', 'default', 'default'], image, labels: testLabels }),
      { workers: 3, recordsPath: mergedFile, onWorker: (w) => workers.push(w) },
    );
    assert.equal(merged.incomplete, false, merged.incompleteReason);
    assertSameRun(single, await recordsOf(singleFile), merged, await recordsOf(mergedFile));
    assert.equal(merged.workers?.length, 3);
    for (const w of merged.workers!) {
      assert.match(w.where, /^docker default: [0-9a-f]{12}$/);
      assert.equal(w.clock.method, 'round-trip');
      assert.ok(
        w.clock.roundTripMs! < 200 && Math.abs(w.clock.offsetStartMs!) <= w.clock.roundTripMs! / 2 + 1,
        `same kernel clock, within half the round trip: ${JSON.stringify(w.clock)}`,
      );
      assert.equal(w.sent, 15);
    }
    assert.deepEqual(
      workers
        .filter((w) => w.state === 'done')
        .map((w) => w.shard)
        .sort(),
      ['1/3', '2/3', '3/3'],
    );
    assert.equal(await workerContainers(), 0, 'every worker container is removed');
  });

  it('cancel stops the containers and keeps what arrived', async () => {
    const s = { ...spec(), requests: 3000, load: { concurrency: [3] } };
    const ctrl = new AbortController();
    const mergedFile = path.join(dir, 'cancelled.jsonl');
    let snapshots = 0;
    const merged = await runScaledOut(
      s,
      dockerLauncher({ hosts: ['default', 'default', 'default'], image, labels: testLabels }),
      {
        workers: 3,
        recordsPath: mergedFile,
        progressIntervalMs: 200,
        onProgress: (e) => {
          if (e.type === 'snapshot' && e.completed > 30 && ++snapshots === 1) ctrl.abort();
        },
        signal: ctrl.signal,
      },
    );
    assert.equal(merged.incomplete, true);
    const recs = await recordsOf(mergedFile);
    const measured = recs.filter((r) => !r.w);
    assert.ok(measured.length > 30 && measured.length < 3000, `kept ${measured.length} records`);
    assert.equal(
      merged.steps[0].summary.counts.total,
      measured.length,
      'the summary covers exactly the records that arrived',
    );
    assert.equal(await workerContainers(), 0, 'every worker container is removed');
  });
});
