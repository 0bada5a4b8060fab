/**
 * Where a benchmark's load comes from: this machine (one engine thread),
 * N worker threads, containers on Docker hosts, or an Indexed Job in a
 * Kubernetes namespace. The extension's "Run Benchmark on…" and the CLI's
 * scale-out flags both end here.
 */
import type { WorkerLauncher } from './coordinator';

export type Placement =
  | { kind: 'local' }
  | { kind: 'threads'; workers: number }
  | { kind: 'docker'; hosts: string[]; image?: string; network?: string; labels?: Record<string, string> }
  | {
      kind: 'kubernetes';
      context?: string;
      namespace: string;
      image: string;
      workers: number;
      apiKeySecret?: string;
      kubeconfig?: string;
      startDelayMs?: number;
    };

export function workersOf(p: Placement): number {
  return p.kind === 'local' ? 1 : p.kind === 'docker' ? p.hosts.length : p.workers;
}

export function describePlacement(p: Placement): string {
  switch (p.kind) {
    case 'local':
      return 'this machine';
    case 'threads':
      return `${p.workers} worker thread${p.workers > 1 ? 's' : ''}`;
    case 'docker':
      return `${p.hosts.length} container${p.hosts.length > 1 ? 's' : ''} on Docker ${[...new Set(p.hosts)].join(', ')}`;
    case 'kubernetes':
      return `${p.workers} pod${p.workers > 1 ? 's' : ''} in Kubernetes ${p.context ?? '(current context)'}/${p.namespace}`;
  }
}

/** The launcher of a scaled-out placement (modules load on first use). */
export async function launcherFor(p: Exclude<Placement, { kind: 'local' }>, apiKey?: string): Promise<WorkerLauncher> {
  if (p.kind === 'threads') return (await import('./threads.js')).threadLauncher({ apiKey });
  if (p.kind === 'docker')
    return (await import('./dockerWorkers.js')).dockerLauncher({
      hosts: p.hosts,
      image: p.image,
      network: p.network,
      apiKey,
      labels: p.labels,
    });
  if (apiKey && !p.apiKeySecret)
    throw new Error(
      'The server needs an API key: pods cannot be handed it by the coordinator. Put it in a Secret of the namespace (key "api-key") and name the Secret for the Kubernetes workers.',
    );
  return (await import('./kubernetes.js')).kubernetesLauncher(p);
}
