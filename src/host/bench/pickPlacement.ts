import os from 'node:os';
import * as vscode from 'vscode';
import type { Placement } from '../../core/bench/scale/placement';

const title = 'Run Benchmark on…';

async function askCount(prompt: string, value: number): Promise<number | undefined> {
  const v = await vscode.window.showInputBox({
    title,
    prompt,
    value: String(value),
    ignoreFocusOut: true,
    validateInput: (s) =>
      /^\d+$/.test(s.trim()) && Number(s) >= 1 && Number(s) <= 256 ? undefined : 'A whole number from 1 to 256',
  });
  return v === undefined ? undefined : Number(v);
}

async function askImage(): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title,
    prompt: 'The CLI image the workers run (build it with `npm run image:cli -- --tag NAME`; see the Dockerfile)',
    value: 'inference-lab/cli:latest',
    ignoreFocusOut: true,
    validateInput: (s) => (s.trim() ? undefined : 'An image name is required'),
  });
}

/**
 * Where the load comes from: this machine, N worker threads, Docker hosts
 * (contexts from the docker CLI's store) or a Kubernetes context and
 * namespace (from the kubeconfig). Undefined when the user backs out.
 */
export async function pickPlacement(): Promise<Placement | undefined> {
  const choice = await vscode.window.showQuickPick(
    [
      {
        label: '$(device-desktop) This machine',
        detail: 'One engine thread, as Run Benchmark does',
        where: 'local' as const,
      },
      {
        label: '$(server-process) Worker threads on this machine',
        detail: `Each thread has its own event loop and connection pools (this machine has ${os.cpus().length} CPUs)`,
        where: 'threads' as const,
      },
      {
        label: '$(vm) Docker hosts',
        detail: 'One worker container of the CLI image per host entry, on the local engine or remote Docker contexts',
        where: 'docker' as const,
      },
      {
        label: '$(cloud) Kubernetes',
        detail: 'An Indexed Job (one pod per shard) in a namespace of a kubeconfig context',
        where: 'kubernetes' as const,
      },
    ],
    {
      title,
      placeHolder:
        "Where should the load come from? (one merged result, exact percentiles from every worker's raw records)",
      ignoreFocusOut: true,
    },
  );
  if (!choice) return undefined;
  if (choice.where === 'local') return { kind: 'local' };
  if (choice.where === 'threads') {
    const workers = await askCount('Number of worker threads', Math.max(2, os.cpus().length));
    return workers === undefined ? undefined : { kind: 'threads', workers };
  }
  if (choice.where === 'docker') {
    const { listContexts } = await import('../../core/docker/engine/contexts.js');
    const picked = await vscode.window.showQuickPick(
      listContexts().map((name) => ({ label: name, picked: name === 'default' })),
      { title, placeHolder: 'Docker contexts to run workers on', canPickMany: true, ignoreFocusOut: true },
    );
    if (!picked?.length) return undefined;
    const per = await askCount('Workers per Docker host', 1);
    if (per === undefined) return undefined;
    const image = await askImage();
    if (!image) return undefined;
    return {
      kind: 'docker',
      hosts: picked.flatMap((p) => Array.from({ length: per }, () => p.label)),
      image: image.trim(),
    };
  }
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  try {
    kc.loadFromDefault();
  } catch (e) {
    void vscode.window.showErrorMessage(`Cannot read the kubeconfig: ${(e as Error).message}`);
    return undefined;
  }
  const contexts = kc.getContexts();
  if (!contexts.length) {
    void vscode.window.showErrorMessage('The kubeconfig has no contexts ($KUBECONFIG or ~/.kube/config).');
    return undefined;
  }
  const ctx = await vscode.window.showQuickPick(
    contexts.map((c) => ({
      label: c.name,
      description: c.name === kc.getCurrentContext() ? 'current' : undefined,
      detail: `cluster ${c.cluster}${c.namespace ? ` · namespace ${c.namespace}` : ''}`,
      namespace: c.namespace,
    })),
    { title, placeHolder: 'Kubernetes context', ignoreFocusOut: true },
  );
  if (!ctx) return undefined;
  const namespace = await vscode.window.showInputBox({
    title,
    prompt: 'Namespace (the Job needs: jobs create/get/delete, pods list/watch, pods/log get)',
    value: ctx.namespace ?? 'default',
    ignoreFocusOut: true,
  });
  if (!namespace) return undefined;
  const workers = await askCount('Number of pods (shards)', 2);
  if (workers === undefined) return undefined;
  const image = await askImage();
  if (!image) return undefined;
  return { kind: 'kubernetes', context: ctx.label, namespace: namespace.trim(), workers, image: image.trim() };
}
