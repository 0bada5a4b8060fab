import * as vscode from 'vscode';
import type { ContainerService } from '../../core/docker/engine/containerService';
import type { ServerPreset } from '../../core/docker/presets/presetTypes';
import type { ContainerSummary } from '../../core/docker/types';
import type { ContainerServerSource, ContainersView } from '../../core/servers/view/containerNodes';
import type { TreeServer } from '../../core/servers/view/identities';
import type { ServerViewState } from '../../core/servers/view/viewState';
import type { Logger } from '../../core/util/logger';
import { gpuLabel, isStateEvent, mapContainer, type MappedContainer } from '../../core/containers/containerServers';
import type { ContainerSettings } from './containerSettings';
import type { DockerAccess } from '../../core/docker/engine/dockerAccess';

export interface WatcherDeps {
  access: DockerAccess;
  settings: () => ContainerSettings;
  /** Workspace presets (a container's preset label may name one). */
  presets: () => readonly ServerPreset[];
  log: Logger;
}

/** Engine unreachable, or the event stream lost: try again at most this often. */
const retryMs = 30_000;
/** Events come in bursts (create, start, health): one list per burst. */
const debounceMs = 200;

/**
 * The engine's inference-server containers, kept current by the Docker event
 * stream (with the core's bounded reconnects), not by polling. It starts on
 * the first question the Servers view asks, so an engine is only contacted
 * once the view is shown; an engine that is not there just hides the group.
 */
export class ContainerWatcher implements ContainerServerSource, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string[]>();
  /** Fires with the keys of container servers that are new or changed (to be probed). */
  readonly onDidChange = this.changed.event;
  private mapped: MappedContainer[] = [];
  private signature = '';
  private endpoint = '';
  private problem: string | undefined;
  private connected = false;
  private starting: Promise<void> | undefined;
  private lastAttempt = 0;
  private abort = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly gpuCache = new Map<string, string>();
  /** Names of containers a launch is still waiting for: shown as starting, not probed. */
  private readonly launching = new Set<string>();

  constructor(private readonly deps: WatcherDeps) {}

  servers(): TreeServer[] {
    this.ensureStarted();
    return this.mapped.flatMap((m) => (m.server && !this.launching.has(m.facts.name) ? [m.server] : []));
  }

  view(stateOf: (s: TreeServer) => ServerViewState): ContainersView | undefined {
    if (!this.connected && !this.problem) return undefined;
    return {
      endpoint: this.endpoint,
      problem: this.problem,
      containers: this.mapped.map((m) =>
        this.launching.has(m.facts.name)
          ? { facts: { ...m.facts, launching: true } }
          : { facts: m.facts, server: m.server && stateOf(m.server) },
      ),
    };
  }

  /** The containers shown now. */
  get containers(): readonly MappedContainer[] {
    return this.mapped;
  }

  find(nameOrId: string): MappedContainer | undefined {
    return this.mapped.find(
      (m) => m.facts.name === nameOrId || m.facts.id === nameOrId || m.server?.identity.key === nameOrId,
    );
  }

  /** A launch waits for this container (`active`), or no longer does. */
  setLaunching(name: string, active: boolean): void {
    if (active === this.launching.has(name)) return;
    if (active) this.launching.add(name);
    else this.launching.delete(name);
    this.changed.fire([]);
  }

  /** Lists again now (after a launch or an action), connecting first if needed. */
  async refreshNow(): Promise<void> {
    if (!this.connected) {
      this.lastAttempt = 0;
      this.ensureStarted();
      await this.starting;
      return;
    }
    await this.relist(await this.deps.access.service());
  }

  /** Settings changed: drop the connection; the next question connects again. */
  reset(): void {
    this.abort.abort();
    this.abort = new AbortController();
    this.connected = false;
    this.problem = undefined;
    this.lastAttempt = 0;
    this.mapped = [];
    this.signature = '';
    this.changed.fire([]);
  }

  private ensureStarted(): void {
    if (this.connected || this.starting || Date.now() - this.lastAttempt < retryMs) return;
    this.lastAttempt = Date.now();
    this.starting = this.start(this.abort.signal).finally(() => (this.starting = undefined));
  }

  private async start(signal: AbortSignal): Promise<void> {
    try {
      const service = await this.deps.access.service();
      this.endpoint = service.endpoint;
      await service.ping({ signal });
      await this.relist(service);
      if (signal.aborted) return;
      this.connected = true;
      this.problem = undefined;
      this.changed.fire([]);
      void this.follow(service, signal);
    } catch (e) {
      if (signal.aborted) return;
      // No engine is a normal situation (Docker not installed): no group, a debug line, a later retry.
      this.deps.log.debug(`containers: engine not available: ${(e as Error).message}`);
    }
  }

  private async follow(service: ContainerService, signal: AbortSignal): Promise<void> {
    try {
      const events = service.events({
        signal,
        onReconnect: (n, e) => this.deps.log.warn(`containers: event stream reconnect ${n}: ${e.message}`),
      });
      for await (const ev of events) if (isStateEvent(ev.action)) this.schedule(service);
    } catch (e) {
      if (signal.aborted) return;
      this.connected = false;
      this.problem = `${(e as Error).message} The list may be out of date; it is read again on the next refresh.`;
      this.deps.log.error(`containers: ${this.problem}`);
      this.changed.fire([]);
    }
  }

  private schedule(service: ContainerService): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.relist(service).catch((e: Error) => this.deps.log.warn(`containers: list failed: ${e.message}`));
    }, debounceMs);
  }

  private async relist(service: ContainerService): Promise<void> {
    const s = this.deps.settings();
    const list = await service.list({ scope: s.showOthers ? 'relevant' : 'ours', signal: this.abort.signal });
    const mapped = await Promise.all(
      list.map(async (c) =>
        mapContainer(c, {
          isLocal: service.isLocal,
          advertisedHost: service.advertisedHost,
          presets: this.deps.presets(),
          gpus: await this.gpusOf(service, c),
        }),
      ),
    );
    const signature = JSON.stringify(mapped);
    if (signature === this.signature) return;
    // A server whose container changed (new, restarted, re-published) is probed again at once.
    const before = new Map(this.mapped.map((m) => [m.facts.name, JSON.stringify(m)]));
    this.mapped = mapped;
    this.signature = signature;
    const fresh = mapped
      .filter((m) => m.server && before.get(m.facts.name) !== JSON.stringify(m))
      .map((m) => m.server!.identity.key);
    this.changed.fire(fresh);
  }

  /** Containers started elsewhere have no GPU label: `inspect` tells, once per container. */
  private async gpusOf(service: ContainerService, c: ContainerSummary): Promise<string | undefined> {
    if (c.gpus !== undefined) return undefined;
    let g = this.gpuCache.get(c.id);
    if (g === undefined) {
      g = await service.inspect(c.id, { signal: this.abort.signal }).then(
        (d) => gpuLabel(d.gpuRequest),
        () => undefined,
      );
      if (g !== undefined) this.gpuCache.set(c.id, g);
    }
    return g;
  }

  dispose(): void {
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
    this.changed.dispose();
  }
}
