import { kindLabels } from './registry';
import { discoverLocalServers, DiscoveryThrottle, localPortsOf } from './view/discovery';
import { discoveredServer, type TreeServer } from './view/identities';
import type { Logger } from '../util/logger';

/**
 * The "Discovered" part of the tree: well-known local ports probed at most
 * once per `inferenceLab.discovery.intervalSeconds`, however often the tree
 * refreshes; the last result is kept in between.
 */
export class LocalDiscovery {
  private found: TreeServer[] = [];
  private readonly throttle = new DiscoveryThrottle(60_000);

  constructor(private readonly log: Logger) {}

  get servers(): TreeServer[] {
    return this.found;
  }

  /** Runs a discovery round when one is due; resolves true when the list changed. */
  async maybeRun(
    opts: { intervalMs: number; ports: number[] },
    shown: TreeServer[],
    signal: AbortSignal,
  ): Promise<boolean> {
    this.throttle.setInterval(opts.intervalMs);
    if (!this.throttle.take(Date.now())) return false;
    // Servers already in the tree (configured, embedded) are not discovered again.
    const skip = localPortsOf(shown.filter((s) => s.identity.origin !== 'discovered').map((s) => s.config.url));
    const t0 = Date.now();
    const found = await discoverLocalServers({ ports: opts.ports, skip, signal });
    this.log.debug(`discovery: ${found.length} server(s) on ports ${opts.ports.join(', ')} in ${Date.now() - t0} ms`);
    const next = found.map((d) => discoveredServer(d.port, d.url, d.detect.kind, kindLabels[d.detect.kind]));
    const changed =
      next.map((s) => `${s.identity.key}:${s.identity.kind}`).join() !==
      this.found.map((s) => `${s.identity.key}:${s.identity.kind}`).join();
    this.found = next;
    return changed;
  }

  /** The next refresh discovers again (settings changed). */
  reset(): void {
    this.throttle.reset();
  }
}
