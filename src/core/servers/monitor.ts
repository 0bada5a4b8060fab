/**
 * The prober the extension keeps for its Servers tree: probes many servers at
 * once under a concurrency cap, remembers each server's detected kind (so a
 * refresh costs one health call plus models and metrics, not a full
 * detection), and joins a probe already in flight instead of starting another.
 */
import { mapLimit } from './mapLimit';
import { probeServer } from './probeServer';
import type { ServerSnapshot } from './snapshot';
import type { ServerConfig, ServerKind } from './types';

export interface ServerMonitorOptions {
  /** Probes in flight at once (default 16). */
  concurrency?: number;
  /** Per-request limit for servers without their own `timeoutMs` (default 3000 ms). */
  timeoutMs?: number;
  includeMetrics?: boolean;
}

export class ServerMonitor {
  private readonly known = new Map<string, { kind: ServerKind; version?: string }>();
  private readonly inFlight = new Map<string, Promise<ServerSnapshot>>();
  private readonly snapshots = new Map<string, ServerSnapshot>();

  constructor(private readonly opts: ServerMonitorOptions = {}) {}

  /** A server is re-detected when its URL or credentials change. */
  private key(c: ServerConfig): string {
    return `${c.id}\n${c.url}\n${c.kind ?? 'auto'}\n${c.apiKey ? 'key' : ''}`;
  }

  probe(config: ServerConfig, signal?: AbortSignal): Promise<ServerSnapshot> {
    const key = this.key(config);
    const running = this.inFlight.get(key);
    if (running) return running;
    const p = probeServer(config, {
      signal,
      timeoutMs: this.opts.timeoutMs,
      known: this.known.get(key),
      includeMetrics: this.opts.includeMetrics,
    })
      .then((snap) => {
        this.remember(key, config, snap);
        return snap;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
    return p;
  }

  private remember(key: string, config: ServerConfig, snap: ServerSnapshot): void {
    this.snapshots.set(config.id, snap);
    const auto = !config.kind || config.kind === 'auto';
    // Keep a detected kind while the server is merely down; forget it when the
    // server answers but not as that kind (it was replaced by another).
    if (auto && snap.kind && snap.status !== 'unrecognized')
      this.known.set(key, { kind: snap.kind, version: snap.version });
    else if (snap.status === 'unrecognized') this.known.delete(key);
  }

  /** Probes every server, `onSnapshot` as each finishes; results in input order. */
  probeAll(
    configs: readonly ServerConfig[],
    signal?: AbortSignal,
    onSnapshot?: (s: ServerSnapshot) => void,
  ): Promise<ServerSnapshot[]> {
    return mapLimit(configs, this.opts.concurrency ?? 16, async (c) => {
      const s = await this.probe(c, signal);
      onSnapshot?.(s);
      return s;
    });
  }

  /** The last snapshot of a server, if it was probed. */
  last(id: string): ServerSnapshot | undefined {
    return this.snapshots.get(id);
  }

  /** Drops what is remembered about servers no longer configured. */
  retain(ids: Iterable<string>): void {
    const keep = new Set(ids);
    for (const id of [...this.snapshots.keys()]) if (!keep.has(id)) this.snapshots.delete(id);
    for (const key of [...this.known.keys()]) if (!keep.has(key.split('\n')[0])) this.known.delete(key);
  }
}
