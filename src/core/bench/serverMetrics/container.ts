/**
 * CPU and memory of the server's container from the Docker stats API, for
 * containers launched from the extension (found by their labels and the
 * published port the benchmark URL points at) or named explicitly. CPU % is
 * computed as the docker CLI does it, from two readings: Δcontainer CPU time
 * / Δsystem CPU time × online CPUs × 100; memory used leaves the page cache
 * out (cgroup v2 `inactive_file`, v1 `total_inactive_file` / `cache`).
 */
import type { Sample } from '../../metrics/prometheus';
import type { SeriesRule } from './vocabulary';

export interface StatsReading {
  cpuTotalNs: number;
  systemNs: number;
  onlineCpus: number;
  memoryUsedBytes: number;
  memoryLimitBytes: number;
}

const numAt = (o: unknown, ...path: string[]): number | undefined => {
  let v: unknown = o;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};

/** The figures of one `GET /containers/{id}/stats?stream=false` answer; undefined when the container is not running. */
export function readStats(json: Record<string, unknown>): StatsReading | undefined {
  const cpuTotalNs = numAt(json, 'cpu_stats', 'cpu_usage', 'total_usage');
  const systemNs = numAt(json, 'cpu_stats', 'system_cpu_usage');
  const usage = numAt(json, 'memory_stats', 'usage');
  if (cpuTotalNs === undefined || systemNs === undefined || usage === undefined) return undefined;
  const percpu = (json.cpu_stats as { cpu_usage?: { percpu_usage?: unknown[] } }).cpu_usage?.percpu_usage?.length;
  const onlineCpus = numAt(json, 'cpu_stats', 'online_cpus') ?? percpu ?? 1;
  const cache =
    numAt(json, 'memory_stats', 'stats', 'inactive_file') ??
    numAt(json, 'memory_stats', 'stats', 'total_inactive_file') ??
    numAt(json, 'memory_stats', 'stats', 'cache') ??
    0;
  return {
    cpuTotalNs,
    systemNs,
    onlineCpus,
    memoryUsedBytes: Math.max(0, usage - cache),
    memoryLimitBytes: numAt(json, 'memory_stats', 'limit') ?? 0,
  };
}

/** Samples for one reading; CPU % needs the previous reading. */
export function statsSamples(cur: StatsReading, prev: StatsReading | undefined): Sample[] {
  const out: Sample[] = [
    { name: 'container_memory_used_bytes', labels: {}, value: cur.memoryUsedBytes },
    { name: 'container_memory_limit_bytes', labels: {}, value: cur.memoryLimitBytes },
  ];
  if (prev) {
    const dSys = cur.systemNs - prev.systemNs;
    const dCpu = cur.cpuTotalNs - prev.cpuTotalNs;
    if (dSys > 0 && dCpu >= 0)
      out.push({ name: 'container_cpu_percent', labels: {}, value: (dCpu / dSys) * cur.onlineCpus * 100 });
  }
  return out;
}

const MiB = 1 / (1024 * 1024);

export const containerRules: SeriesRule[] = [
  {
    key: 'containerCpuPercent',
    label: 'Container CPU (100 % = one core)',
    unit: '%',
    group: 'container',
    how: 'gauge',
    names: ['container_cpu_percent'],
  },
  {
    key: 'containerMemoryUsedMiB',
    label: 'Container memory used',
    unit: 'MiB',
    group: 'container',
    how: 'gauge',
    names: ['container_memory_used_bytes'],
    scale: MiB,
  },
  {
    key: 'containerMemoryLimitMiB',
    label: 'Container memory limit',
    unit: 'MiB',
    group: 'container',
    how: 'gauge',
    names: ['container_memory_limit_bytes'],
    scale: MiB,
  },
];

export interface ContainerRef {
  id: string;
  name: string;
}

/** What the discovery needs of a container listing. */
export interface ListedContainer {
  id: string;
  name: string;
  managed: boolean;
  running: boolean;
  publicPorts: number[];
}

/**
 * The container serving `url`: the one named (id, id prefix or name), else
 * the running container launched by Inference Lab that publishes the URL's
 * port on this machine. Undefined when none matches.
 */
export function findServerContainer(
  url: string,
  listed: readonly ListedContainer[],
  named?: string,
): ContainerRef | undefined {
  if (named) {
    const c = listed.find(
      (x) => x.id === named || x.id.startsWith(named) || x.name.replace(/^\//, '') === named.replace(/^\//, ''),
    );
    return c && { id: c.id, name: c.name.replace(/^\//, '') };
  }
  const port = localPort(url);
  if (port === undefined) return undefined;
  const c = listed.find((x) => x.managed && x.running && x.publicPorts.includes(port));
  return c && { id: c.id, name: c.name.replace(/^\//, '') };
}

/** The port of a URL on this machine (loopback host), else undefined. */
export function localPort(url: string): number | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (!['127.0.0.1', 'localhost', '[::1]', '::1', '0.0.0.0'].includes(u.hostname)) return undefined;
  return Number(u.port || (u.protocol === 'https:' ? 443 : 80));
}
