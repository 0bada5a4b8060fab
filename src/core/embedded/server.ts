/**
 * The embedded inference server: starts every enabled personality on its own
 * port(s) over one shared set of simulated models, latency engine, metrics
 * and faults. Used in-process by the extension host and standalone by
 * `inference-lab serve`.
 */
import { CancelledError } from '../util/abort';
import { nullLogger, type Logger } from '../util/logger';
import pkg from '../../../package.json';
import { systemClock, type Clock } from './clock';
import { ConfigError, resolveConfig, type EmbeddedConfig, type EmbeddedConfigInput } from './config';
import { FaultInjector } from './faults';
import { LatencyEngine } from './latency/engine';
import { MetricsRegistry } from './metrics/registry';
import { createRegistry } from './models/factory';
import type { ModelRegistry } from './models/registry';
import type { EmbeddedContext, Personality, PersonalityHandle } from './personality';
import { personalityLoaders } from './personalityList';

export interface EmbeddedServerOptions {
  logger?: Logger;
  clock?: Clock;
  /** Personality loaders (default: every built-in one). */
  loaders?: Record<string, () => Promise<Personality>>;
}

export interface RunningPersonality {
  name: string;
  title: string;
  endpoints: Record<string, string>;
}

type SharedContext = Omit<EmbeddedContext, 'options'>;

export class EmbeddedServer {
  readonly config: EmbeddedConfig;
  readonly models: ModelRegistry;
  readonly engine: LatencyEngine;
  readonly metrics = new MetricsRegistry();
  readonly faults: FaultInjector;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly loaders: Record<string, () => Promise<Personality>>;
  private handles: Array<{ personality: Personality; handle: PersonalityHandle }> = [];
  private starting: Promise<Record<string, string>> | undefined;

  constructor(config: EmbeddedConfigInput = {}, opts: EmbeddedServerOptions = {}) {
    this.config = resolveConfig(config);
    this.logger = opts.logger ?? nullLogger;
    this.clock = opts.clock ?? systemClock;
    this.loaders = opts.loaders ?? personalityLoaders;
    for (const name of Object.keys(this.config.personalities)) {
      if (!this.loaders[name])
        throw new ConfigError(`Unknown personality "${name}" (known: ${Object.keys(this.loaders).join(', ')})`);
    }
    this.models = createRegistry(this.config.models, this.config.seed, this.clock.epochMs());
    this.engine = new LatencyEngine(this.clock);
    this.faults = new FaultInjector(this.config.faults, this.config.seed, this.clock);
    for (const m of this.models.list()) if (m.faults) this.faults.update(m.faults, m.name);
  }

  get running(): boolean {
    return this.handles.length > 0;
  }

  /** Endpoint name → address of every running personality. */
  get endpoints(): Record<string, string> {
    return Object.assign({}, ...this.handles.map((h) => h.handle.endpoints)) as Record<string, string>;
  }

  get personalities(): RunningPersonality[] {
    return this.handles.map(({ personality: p, handle: h }) => ({
      name: p.name,
      title: p.title,
      endpoints: h.endpoints,
    }));
  }

  /** Names of the personalities the config enables (all known ones unless disabled). */
  enabledNames(): string[] {
    return Object.keys(this.loaders).filter((n) => this.config.personalities[n]?.enabled !== false);
  }

  /** Starts every enabled personality; on any failure stops those already started and rejects. */
  start(signal?: AbortSignal): Promise<Record<string, string>> {
    if (this.running) return Promise.resolve(this.endpoints);
    this.starting ??= this.startAll(signal).finally(() => (this.starting = undefined));
    return this.starting;
  }

  /** Stops every personality (idempotent). */
  async stop(): Promise<void> {
    await this.starting?.catch(() => undefined);
    const handles = this.handles;
    this.handles = [];
    await Promise.allSettled(handles.map((h) => h.handle.close()));
    if (handles.length) this.logger.info('embedded server stopped');
  }

  private async startAll(signal?: AbortSignal): Promise<Record<string, string>> {
    this.faults.reset();
    const shared: SharedContext = {
      models: this.models,
      engine: this.engine,
      metrics: this.metrics,
      faults: this.faults,
      logger: this.logger,
      clock: this.clock,
      startedAtEpochMs: this.clock.epochMs(),
      version: pkg.version,
    };
    const started: Array<{ personality: Personality; handle: PersonalityHandle }> = [];
    const results = await Promise.allSettled(this.enabledNames().map((n) => this.startOne(n, shared, signal)));
    for (const r of results) if (r.status === 'fulfilled') started.push(r.value);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed || signal?.aborted) {
      await Promise.allSettled(started.map((s) => s.handle.close()));
      throw signal?.aborted ? new CancelledError() : failed?.reason;
    }
    this.handles = started;
    this.logger.info(`embedded server listening: ${JSON.stringify(this.endpoints)}`);
    return this.endpoints;
  }

  private async startOne(name: string, shared: SharedContext, signal?: AbortSignal) {
    const personality = await this.loaders[name]();
    const pc = this.config.personalities[name] ?? {};
    const { enabled: _e, port: explicitPort, host: explicitHost, ...options } = pc;
    const host = explicitHost ?? this.config.host;
    const port = explicitPort ?? (this.config.portBase === 0 ? 0 : this.config.portBase + personality.portOffset);
    try {
      const handle = await personality.start({ ...shared, options }, host, port, signal);
      return { personality, handle };
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new Error(`${personality.title}: ${why}`);
    }
  }
}
