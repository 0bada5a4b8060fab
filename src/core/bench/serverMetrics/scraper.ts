/**
 * Reads the server's Prometheus endpoint, the GPU (DCGM exporter, else
 * nvidia-smi here or in the server's container) and the container's Docker
 * stats every `intervalMs` while a benchmark runs, and turns the readings
 * into the result's series.
 *
 * Off the hot path by construction: one timer, its own undici Pool (one
 * connection, not the engine's pools), nothing done per request. A tick that
 * is still running when the next one is due makes that one skip, so a slow
 * endpoint never piles up work. Times are taken from the engine's clock and
 * stored relative to the run's origin, like the records' `t`; a scrape is
 * stamped at the middle of its exchange.
 */
import fs from 'node:fs';
import { Pool } from 'undici';
import { safeUrl } from '../../http/errors';
import { parsePrometheusText, type Sample } from '../../metrics/prometheus';
import type { Logger } from '../../util/logger';
import { now } from '../engine/clock';
import {
  containerRules,
  findServerContainer,
  localPort,
  readStats,
  statsSamples,
  type ContainerRef,
  type ListedContainer,
  type StatsReading,
} from './container';
import { indexSamples, SeriesBuilder, type PointValue, type SampleIndex } from './derive';
import { nvidiaSmiArgs, nvidiaSmiRules, parseNvidiaSmi, runNvidiaSmi } from './gpu';
import { RawSeriesWriter } from './rawSeries';
import type { GpuSource, ServerMetricsInfo, ServerMetricsPoint, ServerMetricsResult } from './types';
import { dcgmRules, serverRules } from './vocabulary';

export interface ServerMetricsSettings {
  enabled: boolean;
  /** The Prometheus endpoint; undefined when the server has none (then `unavailableReason`). */
  url?: string;
  unavailableReason?: string;
  intervalMs: number;
  dcgmUrl?: string;
  /** Container id or name of the server, when not found automatically. */
  container?: string;
}

/** What the scraper needs from Docker (the DockerodeService, or a test double). */
export interface DockerAccess {
  list(): Promise<ListedContainer[]>;
  stats(id: string): Promise<Record<string, unknown>>;
  exec(id: string, cmd: string[]): Promise<string>;
}

export interface ScraperOptions {
  settings: ServerMetricsSettings;
  apiKey?: string;
  /** The URL benchmarked (finds the server's container by its published port). */
  serverUrl: string;
  rawPath?: string;
  emit?: (p: ServerMetricsPoint | ServerMetricsInfo) => void;
  logger?: Logger;
  /** nvidia-smi on this machine (default: run it); Docker (default: the local engine, loaded lazily). */
  nvidiaSmi?: () => Promise<string>;
  docker?: () => Promise<DockerAccess | undefined>;
}

interface PromSource {
  pool: Pool;
  path: string;
  headers: Record<string, string>;
}

function promSource(url: string, apiKey?: string): PromSource {
  const u = new URL(url);
  const headers: Record<string, string> = { accept: 'text/plain;version=0.0.4, */*;q=0.5' };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  return {
    pool: new Pool(u.origin, { connections: 1, pipelining: 1, keepAliveTimeout: 30_000 }),
    path: `${u.pathname}${u.search}`,
    headers,
  };
}

async function defaultDocker(): Promise<DockerAccess | undefined> {
  // No engine socket and no DOCKER_HOST: nothing to ask, and dockerode is not even loaded (it would delay the run's start).
  const { resolveConnection } = await import('../../docker/engine/connection.js');
  const conn = resolveConnection();
  if (conn.source === 'default' && conn.options.socketPath && !fs.existsSync(conn.options.socketPath))
    throw new Error(`no Docker engine at ${conn.endpoint}`);
  const { createDockerService } = await import('../../docker/engine/dockerodeService.js');
  const svc = createDockerService();
  const opt = { timeoutMs: 3000 };
  return {
    list: async () =>
      (await svc.list({ scope: 'all', timeoutMs: 3000 })).map((c) => ({
        id: c.id,
        name: c.name,
        managed: c.managed,
        running: c.state === 'running',
        publicPorts: c.ports.map((p) => p.hostPort).filter((p): p is number => p !== undefined),
      })),
    stats: (id) => svc.stats(id, opt),
    exec: (id, cmd) => svc.exec(id, cmd, { timeoutMs: 5000 }),
  };
}

export class ServerMetricsScraper {
  private readonly server = new SeriesBuilder(serverRules);
  private readonly gpu: SeriesBuilder;
  private readonly containerSeries = new SeriesBuilder(containerRules);
  private readonly scrapes = { ok: 0, failed: 0, lastError: undefined as string | undefined };
  private readonly raw?: RawSeriesWriter;
  private readonly prom?: PromSource;
  private readonly dcgm?: PromSource;
  private timer: NodeJS.Timeout | undefined;
  private tick: Promise<void> | undefined;
  private ticks = 0;
  private startedAt = 0;
  private origin = 0;
  private stopped = false;
  private paused = false;
  private lastStats: StatsReading | undefined;
  /** Server indexes at the first and last successful scrape (cross-checks). */
  firstIndex: SampleIndex | undefined;
  lastIndex: SampleIndex | undefined;
  firstTime: number | undefined;
  lastTime: number | undefined;

  private constructor(
    private readonly o: ScraperOptions,
    private readonly gpuSource: GpuSource,
    private readonly gpuDetail: string,
    private readonly container: ContainerRef | undefined,
    private readonly docker: DockerAccess | undefined,
  ) {
    const s = o.settings;
    this.gpu = new SeriesBuilder(gpuSource === 'dcgm' ? dcgmRules : nvidiaSmiRules);
    if (s.url) this.prom = promSource(s.url, o.apiKey);
    if (gpuSource === 'dcgm' && s.dcgmUrl) this.dcgm = promSource(s.dcgmUrl);
    if (o.rawPath)
      this.raw = new RawSeriesWriter(o.rawPath, {
        url: s.url && safeUrl(s.url),
        intervalMs: s.intervalMs,
        gpu: gpuSource,
        container: container?.name,
      });
  }

  /** Finds the GPU source and the container (before the run starts: this may take a few seconds). */
  static async prepare(o: ScraperOptions): Promise<ServerMetricsScraper> {
    const s = o.settings;
    const nvidiaSmi = o.nvidiaSmi ?? (() => runNvidiaSmi());
    let docker: DockerAccess | undefined;
    let container: ContainerRef | undefined;
    let containerNote = '';
    if (s.container || localPort(o.serverUrl) !== undefined) {
      try {
        docker = await (o.docker ?? defaultDocker)();
        if (docker) container = findServerContainer(o.serverUrl, await docker.list(), s.container);
        if (!container)
          containerNote = s.container
            ? `no container "${s.container}" was found`
            : 'no container launched by Inference Lab publishes this port';
      } catch (e) {
        containerNote = `Docker is not reachable (${(e as Error).message.slice(0, 120)})`;
        docker = undefined;
      }
    } else containerNote = 'the server is not on this machine';
    let gpuSource: GpuSource = 'none';
    let gpuDetail: string;
    if (s.dcgmUrl) {
      gpuSource = 'dcgm';
      gpuDetail = `DCGM exporter at ${safeUrl(s.dcgmUrl)}`;
    } else {
      const why: string[] = ['no DCGM exporter URL was given (--dcgm-url)'];
      try {
        parseNvidiaSmi(await nvidiaSmi());
        gpuSource = 'nvidia-smi';
        gpuDetail = `nvidia-smi ${nvidiaSmiArgs.join(' ')} on this machine`;
      } catch (e) {
        why.push((e as Error).message);
        if (container && docker) {
          try {
            parseNvidiaSmi(await docker.exec(container.id, ['nvidia-smi', ...nvidiaSmiArgs]));
            gpuSource = 'nvidia-smi in container';
            gpuDetail = `nvidia-smi inside container ${container.name}`;
          } catch (err) {
            why.push(`nvidia-smi inside container ${container.name} failed (${(err as Error).message.slice(0, 120)})`);
          }
        } else why.push(`no container to run it in: ${containerNote}`);
      }
      gpuDetail ??= `No GPU telemetry available: ${why.join('; ')}.`;
    }
    const scraper = new ServerMetricsScraper(o, gpuSource, gpuDetail!, container, docker);
    if (gpuSource === 'nvidia-smi') scraper.readGpuText = nvidiaSmi;
    else if (gpuSource === 'nvidia-smi in container')
      scraper.readGpuText = () => docker!.exec(container!.id, ['nvidia-smi', ...nvidiaSmiArgs]);
    return scraper;
  }

  /** Takes the first reading (the baseline counters are measured from) and starts the timer; `origin` is the run's start on the engine's clock. */
  async begin(origin: number): Promise<void> {
    this.origin = origin;
    const s = this.o.settings;
    const info: ServerMetricsInfo = { type: 'server-metrics-info', intervalMs: s.intervalMs, gpu: this.gpuDetail };
    if (s.url) info.url = safeUrl(s.url);
    else info.unavailableReason = s.unavailableReason ?? 'This server exposes no Prometheus metrics.';
    this.o.emit?.(info);
    this.startedAt = now();
    this.tick = this.runTick();
    await this.tick;
    this.tick = undefined;
    this.schedule();
  }

  /** Where GPU figures come from, in words (also when there are none). */
  get gpuNote(): string {
    return this.gpuDetail;
  }

  private readGpuText: (() => Promise<string>) | undefined;

  /** Ticks on a fixed schedule from the start; a tick still running makes the next one skip. */
  private schedule(): void {
    if (this.stopped) return;
    this.ticks++;
    const due = this.startedAt + this.ticks * this.o.settings.intervalMs;
    this.timer = setTimeout(
      () => {
        if (!this.tick && !this.paused) this.tick = this.runTick().finally(() => (this.tick = undefined));
        this.schedule();
      },
      Math.max(0, due - now()),
    );
  }

  /**
   * Paused, the timer keeps its schedule but its ticks read nothing; resumed, the next tick due reads again (a
   * reading under way finishes either way). Runs never pause: bench:engine switches scraping off and on in short
   * alternating windows of one run to measure what it costs the engine (section 6).
   */
  setPaused(paused: boolean): Promise<void> {
    this.paused = paused;
    return Promise.resolve();
  }

  /**
   * One reading now, outside the schedule (server, GPU and container, parsed and stored as a tick does):
   * bench:engine times it to measure what scraping costs the engine's process.
   */
  readNow(): Promise<void> {
    return this.runTick();
  }

  private async runTick(): Promise<void> {
    await Promise.all([this.readServer(), this.readGpu(), this.readContainer()]);
  }

  private rel(t: number): number {
    return Math.round((t - this.origin) * 1000) / 1000;
  }

  private async scrape(src: PromSource): Promise<{ t: number; text: string }> {
    const sent = now();
    const res = await src.pool.request({
      path: src.path,
      method: 'GET',
      headers: src.headers,
      headersTimeout: 5000,
      bodyTimeout: 5000,
    });
    const text = await res.body.text();
    if (res.statusCode < 200 || res.statusCode >= 300)
      throw new Error(`HTTP ${res.statusCode}${text ? `: ${text.slice(0, 120).replace(/\s+/g, ' ')}` : ''}`);
    return { t: this.rel((sent + now()) / 2), text };
  }

  private record(
    source: ServerMetricsPoint['source'],
    builder: SeriesBuilder,
    t: number,
    samples: Sample[],
  ): SampleIndex {
    const idx = indexSamples(samples);
    const values: PointValue[] = builder.add(t, idx);
    this.raw?.write(source, t, samples);
    this.o.emit?.({ type: 'server-metrics', source, tMs: t, values });
    return idx;
  }

  private async readServer(): Promise<void> {
    if (!this.prom) return;
    try {
      const { t, text } = await this.scrape(this.prom);
      const parsed = parsePrometheusText(text);
      if (!parsed.samples.length)
        throw new Error(
          parsed.errors.length
            ? `not Prometheus text (line ${parsed.errors[0].line}: ${parsed.errors[0].text.slice(0, 60)})`
            : 'no samples',
        );
      const idx = this.record('server', this.server, t, parsed.samples);
      this.scrapes.ok++;
      if (!this.firstIndex) {
        this.firstIndex = idx;
        this.firstTime = t;
      }
      this.lastIndex = idx;
      this.lastTime = t;
    } catch (e) {
      this.scrapes.failed++;
      this.scrapes.lastError = (e as Error).message;
      this.o.logger?.debug(`Server metrics scrape failed: ${(e as Error).message}`);
    }
  }

  private async readGpu(): Promise<void> {
    try {
      if (this.dcgm) {
        const { t, text } = await this.scrape(this.dcgm);
        this.record('gpu', this.gpu, t, parsePrometheusText(text).samples);
      } else if (this.readGpuText) {
        const sent = now();
        const text = await this.readGpuText();
        this.record('gpu', this.gpu, this.rel((sent + now()) / 2), parseNvidiaSmi(text));
      }
    } catch (e) {
      this.o.logger?.debug(`GPU reading failed: ${(e as Error).message}`);
    }
  }

  private async readContainer(): Promise<void> {
    if (!this.container || !this.docker) return;
    try {
      const sent = now();
      const reading = readStats(await this.docker.stats(this.container.id));
      if (!reading) return;
      this.record(
        'container',
        this.containerSeries,
        this.rel((sent + now()) / 2),
        statsSamples(reading, this.lastStats),
      );
      this.lastStats = reading;
    } catch (e) {
      this.o.logger?.debug(`Container stats failed: ${(e as Error).message}`);
    }
  }

  /** Stops the timer, takes a last reading (so counters cover the whole run) and returns the series. */
  async stop(): Promise<Omit<ServerMetricsResult, 'crossChecks'>> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.tick;
    // Servers update counters as requests end; a short settle lets the last ones land before the final reading.
    await new Promise((r) => setTimeout(r, Math.min(250, this.o.settings.intervalMs)));
    await this.runTick();
    await Promise.allSettled([this.prom?.pool.close(), this.dcgm?.pool.close()]);
    const s = this.o.settings;
    const out: Omit<ServerMetricsResult, 'crossChecks'> = {
      enabled: true,
      intervalMs: s.intervalMs,
      scrapes: { ok: this.scrapes.ok, failed: this.scrapes.failed },
      server: this.server.finish(),
      gpu: { source: this.gpuSource, detail: this.gpuDetail, ...this.gpu.finish() },
    };
    if (s.url) out.url = safeUrl(s.url);
    if (this.scrapes.lastError) out.scrapes.lastError = this.scrapes.lastError;
    if (!s.url) out.unavailableReason = s.unavailableReason ?? 'This server exposes no Prometheus metrics.';
    else if (!this.scrapes.ok)
      out.unavailableReason = `No scrape of ${safeUrl(s.url)} succeeded: ${this.scrapes.lastError ?? 'no answer'}`;
    if (this.container)
      out.container = { id: this.container.id, name: this.container.name, ...this.containerSeries.finish() };
    if (this.raw) {
      try {
        await this.raw.close();
        out.rawPath = this.raw.path;
      } catch (e) {
        this.o.logger?.warn(`Writing the raw server metrics failed: ${(e as Error).message}`);
      }
    }
    return out;
  }
}
