/**
 * Kubernetes workers against a real control plane (controlPlane.ts: etcd,
 * kube-apiserver, kube-controller-manager built from source; no kubelet, so
 * pods stay Pending). Proven here:
 *  - API side, as the least-privileged "bench" user (only the Role the docs
 *    state): the launcher creates the Indexed Job, the Job controller makes
 *    one pod per shard (completion indices 0..N−1), the launcher watches
 *    their state, and Cancel deletes the Job (its pods go too);
 *  - worker side: each pod's container (image, args, and the completion
 *    index the kubelet would hand it) runs in Docker from the CLI image; the
 *    records in their logs, merged, equal the one-process run record for record.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { PassThrough } from 'node:stream';
import Dockerode from 'dockerode';
import { after, before, describe, it } from 'node:test';
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { runBenchmark } from '../../src/core/bench/runBenchmark';
import { runScaledOut } from '../../src/core/bench/scale/coordinator';
import { jobLabel, kubernetesLauncher } from '../../src/core/bench/scale/kubernetes';
import { mergeShards, type ShardOutput } from '../../src/core/bench/scale/merge';
import { classifyLine } from '../../src/core/bench/scale/protocol';
import type { BenchSpec } from '../../src/core/bench/spec';
import { startEmbeddedProcess } from '../unit/bench/embeddedProcess';
import { assertSameRun, recordsOf } from '../unit/scale/sameRun';
import { benchRules, startControlPlane, type ControlPlane } from './controlPlane';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scale-k8s-'));
const image = process.env.INFERENCE_LAB_TEST_CLI_IMAGE ?? '';
const binDir = process.env.INFERENCE_LAB_K8S_BIN ?? '';
const latency = {
  jitter: 0,
  prefillBaseMs: 10,
  prefillPerTokenMs: 0.02,
  decodePerTokenMs: 2,
  batchSlowdown: 0,
  maxBatch: 128,
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Kubernetes workers (real control plane)', () => {
  let cp: ControlPlane;
  let k8s: typeof K8s;
  let admin: { core: K8s.CoreV1Api; batch: K8s.BatchV1Api; rbac: K8s.RbacAuthorizationV1Api };
  let server: { proc: ChildProcess; endpoints: Record<string, string> };
  let jobPods: K8s.V1Pod[] = [];
  let jobName = '';

  before(async () => {
    assert.ok(image && binDir, 'run through `npm run test:k8s` (it builds the CLI image and the control plane)');
    k8s = await import('@kubernetes/client-node');
    cp = await startControlPlane(binDir, path.join(dir, 'cp'));
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(cp.adminKubeconfig);
    admin = {
      core: kc.makeApiClient(k8s.CoreV1Api),
      batch: kc.makeApiClient(k8s.BatchV1Api),
      rbac: kc.makeApiClient(k8s.RbacAuthorizationV1Api),
    };
    await admin.core.createNamespace({ body: { metadata: { name: cp.namespace } } });
    await admin.rbac.createNamespacedRole({
      namespace: cp.namespace,
      body: { metadata: { name: 'inference-lab-bench' }, rules: benchRules },
    });
    await admin.rbac.createNamespacedRoleBinding({
      namespace: cp.namespace,
      body: {
        metadata: { name: 'inference-lab-bench' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'inference-lab-bench' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'bench' }],
      },
    });
    // Pods are admitted once the namespace's default ServiceAccount exists (the controller manager makes it).
    for (let i = 0; i < 60; i++) {
      const sas = await admin.core.listNamespacedServiceAccount({ namespace: cp.namespace });
      if (sas.items.some((s) => s.metadata?.name === 'default')) break;
      await sleep(1000);
    }
    server = await startEmbeddedProcess(dir, {
      portBase: 0,
      models: [
        { name: 'tiny-llm', kind: 'text-generation', latency },
        { name: 'mini-embed', kind: 'embedding' },
        { name: 'resnet50', kind: 'image-classification' },
      ],
    });
  });
  after(async () => {
    server?.proc.kill('SIGTERM');
    await cp?.stop();
  });

  const spec = (): BenchSpec => ({
    url: server.endpoints.vllm,
    group: 'text-generation',
    api: 'openai-completions',
    load: { concurrency: [6] },
    requests: 45,
    warmup: 3,
    seed: 9,
    text: { inputTokens: { mean: 16, std: 5, min: 4 }, outputTokens: { mean: 8, std: 3, min: 2, max: 16 } },
  });

  it('API side as the "bench" user: Indexed Job created, one pod per shard watched, Cancel deletes the Job', async () => {
    const ctrl = new AbortController();
    const logs: string[] = [];
    const launcher = await kubernetesLauncher({
      kubeconfig: cp.benchKubeconfig,
      namespace: cp.namespace,
      image,
      workers: 3,
      startDelayMs: 5000,
    });
    const run = runScaledOut(spec(), launcher, {
      workers: 3,
      recordsPath: path.join(dir, 'api.jsonl'),
      signal: ctrl.signal,
      logger: {
        debug() {},
        info: (m: string) => logs.push(m),
        warn: (m: string) => logs.push(m),
        error: (m: string | Error) => logs.push(String(m)),
      },
    });
    const settled = run.then(
      () => 'resolved',
      (e: Error) => e.message,
    );
    for (let i = 0; i < 120 && jobPods.length < 3; i++) {
      const jobs = await admin.batch.listNamespacedJob({ namespace: cp.namespace, labelSelector: jobLabel });
      jobName = jobs.items[0]?.metadata?.name ?? '';
      if (jobName)
        jobPods = (
          await admin.core.listNamespacedPod({ namespace: cp.namespace, labelSelector: `${jobLabel}=${jobName}` })
        ).items;
      if (jobPods.length < 3) await sleep(500);
    }
    const job = await admin.batch.readNamespacedJob({ name: jobName, namespace: cp.namespace });
    assert.equal(job.spec?.completionMode, 'Indexed');
    assert.equal(job.spec?.completions, 3);
    assert.equal(job.spec?.parallelism, 3);
    const args = job.spec!.template.spec!.containers[0].args!;
    assert.deepEqual(args.slice(args.indexOf('--shard'), args.indexOf('--shard') + 2), [
      '--shard',
      '@JOB_COMPLETION_INDEX/3',
    ]);
    assert.equal(job.spec!.template.spec!.containers[0].image, image);
    assert.deepEqual(
      jobPods.map((p) => p.metadata?.labels?.['batch.kubernetes.io/job-completion-index']).sort(),
      ['0', '1', '2'],
      'the Job controller made one pod per shard',
    );
    assert.ok(
      jobPods.every((p) => p.status?.phase === 'Pending'),
      'no kubelet here: the pods wait for a node',
    );
    await sleep(1500);
    assert.ok(
      logs.some((l) => /pod .*: Pending/.test(l)),
      `the launcher followed the pods' state: ${logs.join(' | ')}`,
    );
    ctrl.abort();
    assert.match(await settled, /No worker finished/, 'nothing arrived from pods that never ran, and the run says so');
    let gone = false;
    for (let i = 0; i < 30 && !gone; i++) {
      gone = await admin.batch.readNamespacedJob({ name: jobName, namespace: cp.namespace }).then(
        () => false,
        (e: { code?: number }) => e.code === 404,
      );
      if (!gone) await sleep(500);
    }
    assert.ok(gone, 'Cancel deleted the Job');
  });

  it("worker side: the pods' containers (same image, args, completion index) run in Docker; their logs merge into the one-process run", async () => {
    assert.equal(jobPods.length, 3, 'the pods of the API test');
    const engine = new Dockerode({ socketPath: '/var/run/docker.sock' });
    const s = spec();
    const singleFile = path.join(dir, 'single.jsonl');
    const single = await runBenchmark(s, { recordsPath: singleFile });
    const outputs = await Promise.all(
      jobPods.map(async (pod) => {
        const c = pod.spec!.containers[0];
        const index = pod.metadata!.labels!['batch.kubernetes.io/job-completion-index'];
        // What the kubelet would do: the pod's env, with JOB_COMPLETION_INDEX from the pod's annotation.
        const env = (c.env ?? []).map((e) => `${e.name}=${e.valueFrom?.fieldRef ? index : (e.value ?? '')}`);
        if (!env.some((e) => e.startsWith('JOB_COMPLETION_INDEX='))) env.push(`JOB_COMPLETION_INDEX=${index}`);
        const container = await engine.createContainer({
          Image: c.image,
          Cmd: c.args,
          Env: env,
          Labels: { 'inference-lab.test': '1' },
          HostConfig: { NetworkMode: 'host' },
        });
        const recordsPath = path.join(dir, `pod-${index}.jsonl`);
        const sink = fs.openSync(recordsPath, 'w');
        let done: ShardOutput | undefined;
        try {
          const stream = (await container.attach({
            stream: true,
            stdout: true,
            stderr: true,
          })) as NodeJS.ReadableStream;
          const out = new PassThrough();
          engine.modem.demuxStream(stream, out, new PassThrough());
          stream.on('end', () => out.end());
          const lines = readline.createInterface({ input: out });
          lines.on('line', (line) => {
            const x = classifyLine(line);
            if (x.kind === 'record') fs.writeSync(sink, `${x.line}\n`);
            else if (x.kind === 'message' && x.message.type === 'done')
              done = {
                result: x.message.result,
                recordsPath,
                where: `docker (pod ${pod.metadata!.name})`,
                clock: x.message.clock,
              };
          });
          await container.start();
          await container.wait();
          await new Promise((r) => (out.readableEnded ? r(undefined) : out.once('end', r)));
        } finally {
          fs.closeSync(sink);
          await container.remove({ force: true });
        }
        assert.ok(done, `pod ${index}'s container sent its result`);
        return done!;
      }),
    );
    const mergedFile = path.join(dir, 'merged.jsonl');
    const merged = await mergeShards(outputs, mergedFile);
    assert.deepEqual(
      merged.workers?.map((w) => [w.shard, w.clock.method]),
      [
        ['1/3', 'wall-clock'],
        ['2/3', 'wall-clock'],
        ['3/3', 'wall-clock'],
      ],
    );
    assertSameRun(single, await recordsOf(singleFile), merged, await recordsOf(mergedFile));
  });
});
