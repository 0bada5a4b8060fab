/**
 * Workers as a Kubernetes Indexed Job (one pod per shard), from the user's
 * kubeconfig and context, through @kubernetes/client-node. The pods run the
 * CLI image with `bench --shard @JOB_COMPLETION_INDEX/N --shard-stream`:
 * each streams its raw records and messages in its log, which the
 * coordinator follows (no service in the cluster, no volume). Pods cannot
 * reach the coordinator, so their times are put on one time line by the
 * nodes' wall clocks (NTP-synchronised in any cluster); the result says so.
 *
 * Cancel deletes the Job: its pods get SIGTERM, send what they measured and
 * their result in their log before they stop, and what arrived is kept.
 *
 * RBAC, in the namespace only: jobs (batch) create, get, delete; pods list,
 * watch; pods/log get.
 */
import { PassThrough } from 'node:stream';
import readline from 'node:readline';
// An ES module: loaded with import() when a Kubernetes run starts (types only here).
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type { WorkerControl, WorkerEvents, WorkerLauncher } from './coordinator';
import { classifyLine, specJson, type ShardJob } from './protocol';

export interface KubernetesWorkersOptions {
  /** kubeconfig context (default: the current context). */
  context?: string;
  namespace: string;
  /** The CLI image (see the Dockerfile), as the cluster's nodes can pull it. */
  image: string;
  workers: number;
  /** A Secret in the namespace holding the server's API key under key "api-key" (when the spec names apiKeyEnv). */
  apiKeySecret?: string;
  /** A kubeconfig file instead of the default ($KUBECONFIG or ~/.kube/config). */
  kubeconfig?: string;
  /** Extra labels on the Job and its pods. */
  labels?: Record<string, string>;
  /** Lead time before the common start (ms); default 60 s (pods are scheduled and pull the image). */
  startDelayMs?: number;
}

export const jobLabel = 'inference-lab.bench-run';

const rand = () => Math.random().toString(36).slice(2, 8);

/** The Indexed Job of a run (exported for the tests, which check it against the API server's copy). */
export function jobManifest(o: KubernetesWorkersOptions, job: ShardJob, name: string): K8s.V1Job {
  const n = job.shard.count;
  if (job.spec.apiKeyEnv && !o.apiKeySecret)
    throw new Error(
      `The spec reads the API key from ${job.spec.apiKeyEnv}: give the pods a Secret with the key under "api-key" (--k8s-api-key-secret NAME).`,
    );
  const spec = job.spec;
  const args = [
    'bench',
    '--spec-json',
    specJson(spec),
    '--shard',
    `@JOB_COMPLETION_INDEX/${n}`,
    '--shard-stream',
    '--quiet',
  ];
  if (job.startAtWallMs !== undefined) args.push('--start-at', String(job.startAtWallMs));
  const labels = { [jobLabel]: name, ...o.labels };
  const env: K8s.V1EnvVar[] = [];
  if (job.spec.apiKeyEnv && o.apiKeySecret)
    env.push({ name: job.spec.apiKeyEnv, valueFrom: { secretKeyRef: { name: o.apiKeySecret, key: 'api-key' } } });
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, labels },
    spec: {
      completionMode: 'Indexed',
      completions: n,
      parallelism: n,
      backoffLimit: 0,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'worker',
              image: o.image,
              imagePullPolicy: 'IfNotPresent',
              args,
              env,
              securityContext: { runAsNonRoot: true, runAsUser: 65534, allowPrivilegeEscalation: false },
            },
          ],
        },
      },
    },
  };
}

const indexOf = (pod: K8s.V1Pod) =>
  Number(
    pod.metadata?.labels?.['batch.kubernetes.io/job-completion-index'] ??
      pod.metadata?.annotations?.['batch.kubernetes.io/job-completion-index'] ??
      -1,
  );

export async function kubernetesLauncher(o: KubernetesWorkersOptions): Promise<WorkerLauncher> {
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  if (o.kubeconfig) kc.loadFromFile(o.kubeconfig);
  else kc.loadFromDefault();
  if (o.context) {
    if (!kc.getContextObject(o.context))
      throw new Error(
        `There is no context "${o.context}" in the kubeconfig (contexts: ${
          kc
            .getContexts()
            .map((c) => c.name)
            .join(', ') || 'none'
        }).`,
      );
    kc.setCurrentContext(o.context);
  }
  const batch = kc.makeApiClient(k8s.BatchV1Api);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const name = `inference-lab-bench-${Date.now().toString(36)}-${rand()}`;
  let created: Promise<void> | undefined;
  let deleted: Promise<void> | undefined;
  /** Per shard: called with each new state of its pod. */
  const podWaiters = new Map<number, (pod: K8s.V1Pod) => void>();
  let watchAbort: AbortController | undefined;
  const deleteJob = () =>
    (deleted ??= batch.deleteNamespacedJob({ name, namespace: o.namespace, propagationPolicy: 'Background' }).then(
      () => undefined,
      (e: { code?: number }) => {
        if (e.code !== 404) throw e;
      },
    ));

  const ensureJob = (job: ShardJob) =>
    (created ??= (async () => {
      await batch.createNamespacedJob({ namespace: o.namespace, body: jobManifest(o, job, name) });
      watchAbort = await new k8s.Watch(kc).watch(
        `/api/v1/namespaces/${o.namespace}/pods`,
        { labelSelector: `${jobLabel}=${name}` },
        (_type: string, pod: K8s.V1Pod) => podWaiters.get(indexOf(pod))?.(pod),
        () => undefined,
      );
    })());

  const follow = (pod: string, events: WorkerEvents) =>
    new Promise<void>((resolve) => {
      const out = new PassThrough();
      readline.createInterface({ input: out }).on('line', (line) => {
        const c = classifyLine(line);
        if (c.kind === 'record') events.record(c.line);
        else if (c.kind === 'message') events.message(c.message);
        else if (line.trim()) events.log(line);
      });
      out.once('end', resolve);
      new k8s.Log(kc)
        .log(
          o.namespace,
          pod,
          'worker',
          out,
          (err: unknown) => {
            if (err) events.log(`log stream: ${(err as Error).message ?? String(err)}`);
            out.end();
          },
          { follow: true },
        )
        .catch((e: Error) => {
          events.log(`cannot follow the log of ${pod}: ${e.message}`);
          out.end();
        });
    });

  return {
    kind: 'Kubernetes',
    writesRecords: false,
    startDelayMs: () => o.startDelayMs ?? 60_000,
    async launch(job, _recordsPath, events): Promise<WorkerControl> {
      await ensureJob(job);
      const index = job.shard.index;
      let podName: string | undefined;
      let lastPhase = '';
      let following: Promise<void> | undefined;
      let settle!: () => void;
      const gone = new Promise<void>((r) => (settle = r));
      podWaiters.set(index, (pod) => {
        podName = pod.metadata?.name;
        const phase = pod.status?.phase ?? 'Pending';
        const waiting = pod.status?.containerStatuses?.[0]?.state?.waiting?.reason;
        const state = `${phase}${waiting ? ` (${waiting})` : ''}`;
        if (state !== lastPhase) events.log(`pod ${podName}: ${state}`);
        lastPhase = state;
        if (!following && podName && ['Running', 'Succeeded', 'Failed'].includes(phase))
          following = follow(podName, events).then(settle);
        if (pod.metadata?.deletionTimestamp && !following) settle();
      });
      // A pod that already existed before the watch (a restart of the coordinator is not supported, but the race is): list once.
      const list = await core.listNamespacedPod({ namespace: o.namespace, labelSelector: `${jobLabel}=${name}` });
      for (const p of list.items) if (indexOf(p) === index) podWaiters.get(index)?.(p);
      return {
        get where() {
          return `k8s ${kc.getCurrentContext()}/${o.namespace}: ${podName ?? `${name} #${index}`}`;
        },
        finished: gone.finally(() => podWaiters.delete(index)),
        cancel: () => {
          void deleteJob().catch((e: Error) => events.log(`deleting the Job ${name} failed: ${e.message}`));
          // Without a running pod there is nothing to wait for.
          if (!following) settle();
        },
      };
    },
    async dispose() {
      watchAbort?.abort();
      if (created) await deleteJob();
    },
  };
}
