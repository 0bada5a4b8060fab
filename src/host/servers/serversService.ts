import { setMaxListeners } from 'node:events';
import * as vscode from 'vscode';
import type { ServerChoice } from '../../shared/servers';
import type { MetricsSnapshot } from '../../core/metrics/gauges';
import { ServerMonitor } from '../../core/servers/monitor';
import { createAdapter } from '../../core/servers/registry';
import type { ModelMetadata, ServerConfig } from '../../core/servers/types';
import type { ContainerServerSource } from '../../core/servers/view/containerNodes';
import { configuredServer, embeddedServer, type TreeServer } from '../../core/servers/view/identities';
import { localPortsOf } from '../../core/servers/view/discovery';
import { messageNode, metadataNodes } from '../../core/servers/view/serverNodes';
import { buildTree, type TreeInput } from '../../core/servers/view/treeModel';
import type { ViewNode } from '../../core/servers/view/viewNode';
import { fromSnapshot, probingState, type ServerViewState } from '../../core/servers/view/viewState';
import type { Logger } from '../../core/util/logger';
import type { EmbeddedController } from '../embedded/embeddedController';
import type { ApiKeyStore } from './apiKeys';
import { LocalDiscovery } from '../../core/servers/localDiscovery';
import type { ServerSettings } from './serverSettings';
import { personalityLoaders } from '../../core/embedded/personalityList';

/** Fixed order of the embedded personalities under "Embedded". */
/** Embedded personalities in the embedded server's own order. */
const personalityOrder = Object.keys(personalityLoaders);

export interface ServersServiceDeps {
  apiKeys: ApiKeyStore;
  embedded: EmbeddedController;
  log: Logger;
  settings: () => ServerSettings;
  /** Servers of Docker containers (attached by the containers feature once it is registered). */
  containers?: () => ContainerServerSource | undefined;
}

/**
 * Everything the Servers tree shows, and the probing behind it: which servers
 * exist (settings, embedded personalities, discovered), their last probe, and
 * on-demand model metadata and raw metrics. Loaded with `import()` on first
 * use, so the adapters and the prober stay out of activation.
 */
export class ServersService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires (coalesced) when anything the tree shows may have changed. */
  readonly onDidChange = this.changed.event;
  private readonly states = new Map<string, { sig: string; state: ServerViewState }>();
  private readonly metadata = new Map<string, Promise<ModelMetadata>>();
  private readonly discovery: LocalDiscovery;
  private monitor: ServerMonitor;
  private monitorTimeoutMs: number;
  private readonly abort = new AbortController();
  private emitTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deps: ServersServiceDeps) {
    this.monitorTimeoutMs = deps.settings().refresh.timeoutMs;
    this.monitor = new ServerMonitor({ timeoutMs: this.monitorTimeoutMs });
    this.discovery = new LocalDiscovery(deps.log);
    // One signal cancels every probe on dispose; dozens of requests listen to it at once by design.
    setMaxListeners(0, this.abort.signal);
  }

  /** Every server of the tree, in tree order (configured, embedded, containers, discovered). */
  servers(): TreeServer[] {
    const s = this.deps.settings();
    const emb = this.deps.embedded.state;
    const embedded =
      emb.phase === 'running'
        ? [...emb.personalities]
            .sort((a, b) => rank(a.name) - rank(b.name))
            .map((p) => embeddedServer(p, emb.modelNames))
        : [];
    const containers = this.deps.containers?.()?.servers() ?? [];
    const shown = [
      ...s.servers.servers.map(configuredServer),
      ...embedded.filter((x): x is TreeServer => x !== undefined),
      ...containers,
    ];
    // A discovered server that has since been added (or is embedded) is shown once.
    const taken = localPortsOf(shown.map((x) => x.config.url));
    const discovered = s.discovery.enabled
      ? this.discovery.servers.filter((d) => !taken.has(Number(d.identity.id)))
      : [];
    return [...shown, ...discovered];
  }

  /** The tree's nodes as of now. */
  tree(): ViewNode[] {
    return buildTree(this.treeInput());
  }

  /** The children of an expanded model node: its tensors, or why they could not be read. */
  async modelChildren(modelNodeId: string, serverKey: string, model: string): Promise<ViewNode[]> {
    const server = this.find(serverKey);
    try {
      if (!server) throw new Error('This server is no longer in the tree.');
      return metadataNodes(modelNodeId, serverKey, await this.modelMetadata(server, model));
    } catch (e) {
      return [
        messageNode(
          `${modelNodeId}/metadata-error`,
          `Could not read the model's metadata: ${e instanceof Error ? e.message : String(e)}`,
          'error',
          'list.errorForeground',
          serverKey,
        ),
      ];
    }
  }

  find(key: string): TreeServer | undefined {
    return this.servers().find((s) => s.identity.key === key);
  }

  /** The state of a server as last probed (or "probing" when its config changed since). */
  state(server: TreeServer): ServerViewState {
    const known = this.states.get(server.identity.key);
    return known && known.sig === signature(server.config) ? known.state : probingState(server.identity);
  }

  treeInput(): TreeInput {
    const s = this.deps.settings();
    const emb = this.deps.embedded.state;
    const all = this.servers().map((x) => this.state(x));
    const containers = this.deps.containers?.()?.view((x) => this.state(x));
    // Container servers are probed as found on this machine, but shown under their container.
    const inContainers = new Set(containers?.containers.map((c) => c.facts.serverKey));
    return {
      configured: all.filter((x) => x.origin === 'configured'),
      problems: s.servers.problems,
      embedded: { phase: emb.phase, detail: emb.error, servers: all.filter((x) => x.origin === 'embedded') },
      discovered: all.filter((x) => x.origin === 'discovered' && !inContainers.has(x.key)),
      containers,
    };
  }

  /** For the status bar: ready servers over all, and those not probed yet. */
  counts(): { ready: number; total: number; probing: number } {
    const all = this.servers().map((x) => this.state(x));
    return {
      ready: all.filter((x) => x.status === 'ready').length,
      total: all.length,
      probing: all.filter((x) => x.status === 'probing').length,
    };
  }

  /** The next refresh looks for local servers again (discovery settings changed). */
  resetDiscovery(): void {
    this.discovery.reset();
  }

  /** Servers for pickers in other panels (no secrets). */
  choices(): ServerChoice[] {
    return this.servers().map((x) => {
      const st = this.state(x);
      return {
        id: x.config.id,
        name: st.name,
        url: st.url,
        kind: st.kind,
        origin: st.origin,
        status: st.status,
        models: st.models.map((m) => m.name),
      };
    });
  }

  /** The probe config of a server, with its API key from secret storage (configured servers only). */
  async configWithKey(server: TreeServer): Promise<ServerConfig> {
    if (server.identity.origin !== 'configured') return server.config;
    const apiKey = await this.deps.apiKeys.get(server.config.id);
    return apiKey ? { ...server.config, apiKey } : server.config;
  }

  /** One probe round over `only` (keys) or every server; discovery runs too when due. */
  async refresh(only?: readonly string[]): Promise<void> {
    const signal = this.abort.signal;
    const s = this.deps.settings();
    if (s.refresh.timeoutMs !== this.monitorTimeoutMs) {
      this.monitorTimeoutMs = s.refresh.timeoutMs;
      this.monitor = new ServerMonitor({ timeoutMs: this.monitorTimeoutMs });
    }
    if (!only) this.metadata.clear();
    else
      for (const k of [...this.metadata.keys()]) if (only.some((o) => k.startsWith(`${o}|`))) this.metadata.delete(k);
    const discovering =
      !only && s.discovery.enabled
        ? this.discovery.maybeRun(s.discovery, this.servers(), signal)
        : Promise.resolve(false);
    await this.probe(
      this.servers().filter((x) => !only || only.includes(x.identity.key)),
      signal,
    );
    // Newly discovered servers get their first full probe in the same round.
    if (await discovering) {
      this.emitSoon();
      await this.probe(
        this.servers().filter((x) => x.identity.origin === 'discovered' && !this.states.has(x.identity.key)),
        signal,
      );
    }
    if (!only) this.monitor.retain(this.servers().map((x) => x.config.id));
  }

  private async probe(targets: TreeServer[], signal: AbortSignal): Promise<void> {
    const configs = await Promise.all(targets.map((t) => this.configWithKey(t)));
    const byId = new Map(targets.map((t) => [t.config.id, t]));
    await this.monitor
      .probeAll(configs, signal, (snap) => {
        const t = byId.get(snap.id);
        if (!t) return;
        this.states.set(t.identity.key, { sig: signature(t.config), state: fromSnapshot(t.identity, snap) });
        this.emitSoon();
      })
      .catch((e: unknown) => {
        if (!signal.aborted) throw e;
      });
  }

  /** Settings, secrets or the embedded server changed: the tree re-renders now, probes follow. */
  invalidate(): void {
    this.emitSoon();
  }

  forget(key: string): void {
    this.states.delete(key);
    this.emitSoon();
  }

  /** Inputs, outputs and facts of one model (cached until the server is refreshed). */
  modelMetadata(server: TreeServer, model: string): Promise<ModelMetadata> {
    const cacheKey = `${server.identity.key}|${model}`;
    let p = this.metadata.get(cacheKey);
    if (!p) {
      p = this.adapterFor(server).then((a) => a.modelMetadata(model, this.abort.signal));
      p.catch(() => this.metadata.delete(cacheKey));
      this.metadata.set(cacheKey, p);
    }
    return p;
  }

  /** A fresh scrape of the server's Prometheus endpoint, raw text included. */
  async metrics(server: TreeServer, signal?: AbortSignal): Promise<MetricsSnapshot> {
    return (await this.adapterFor(server)).metrics(signal ?? this.abort.signal);
  }

  private async adapterFor(server: TreeServer) {
    const kind = this.state(server).kind ?? server.identity.kind;
    if (!kind) throw new Error(`The kind of "${server.identity.name}" is not known yet: it has not answered a probe.`);
    return createAdapter(kind, {
      ...(await this.configWithKey(server)),
      timeoutMs: server.config.timeoutMs ?? this.deps.settings().refresh.timeoutMs,
    });
  }

  private emitSoon(): void {
    // Snapshots arrive one by one; one repaint per burst is enough.
    if (this.emitTimer) return;
    this.emitTimer = setTimeout(() => {
      this.emitTimer = undefined;
      this.changed.fire();
    }, 30);
  }

  dispose(): void {
    this.abort.abort();
    if (this.emitTimer) clearTimeout(this.emitTimer);
    this.changed.dispose();
  }
}

function rank(name: string): number {
  const i = personalityOrder.indexOf(name);
  return i < 0 ? personalityOrder.length : i;
}

/** What makes two probes of a server comparable (the API key's presence, never its value). */
function signature(c: ServerConfig): string {
  const { apiKey: _k, ...rest } = c;
  return JSON.stringify(rest);
}
