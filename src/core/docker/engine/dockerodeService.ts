/**
 * ContainerService over dockerode. Each call runs under `withTimeout`, passes
 * the signal to dockerode (which aborts the HTTP request), validates the JSON
 * it depends on and maps every failure to a ContainerError.
 */
import Dockerode from 'dockerode';
import { withTimeout } from '../../util/abort';
import { nullLogger, type Logger } from '../../util/logger';
import { resolveConnection, type DockerConnectionSetting, type ResolvedConnection } from './connection';
import type { ContainerService, ListOptions, PullOptions, RemoveOptions, StopOptions } from './containerService';
import { describeCreate, type CreateContainerBody } from '../launch/createBody';
import { parseContainerList, parseEventLine, parseInfo, parseInspect } from './engineParse';
import { toContainerError, type ErrorContext } from './errorMapping';
import { ContainerError } from '../errors';
import { reconnectingEvents } from './eventStream';
import { decodeLogBuffer, logLines } from './logFrames';
import { pullImage } from './pullImage';
import type {
  CallOptions,
  ContainerDetails,
  ContainerEvent,
  ContainerSummary,
  EngineInfo,
  EventOptions,
  LogLine,
  LogOptions,
} from '../types';

/** Default limits (ms). Start gets longer: GPU device setup can take a while. */
const limits = {
  ping: 3_000,
  info: 10_000,
  list: 10_000,
  inspect: 10_000,
  create: 30_000,
  start: 60_000,
  remove: 30_000,
  logsOpen: 10_000,
};

// dockerode 5 accepts `abortSignal` in every call's options, but its v4 typings omit it on some.
function signalOpts<T extends object>(o: T, signal: AbortSignal): T {
  return { ...o, abortSignal: signal } as T;
}

// dockerode's callback/promise overloads defeat inference with option objects; this picks the promise form.
function promiseForm(target: object, method: string): (opts: object) => Promise<unknown> {
  const fn = (target as Record<string, (opts: object) => Promise<unknown>>)[method];
  return (opts) => fn.call(target, opts);
}

const statusOf = (e: unknown) => (e as { statusCode?: number } | undefined)?.statusCode;

export class DockerodeService implements ContainerService {
  readonly endpoint: string;
  readonly advertisedHost: string;
  readonly isLocal: boolean;
  private readonly docker: Dockerode;

  constructor(
    connection: ResolvedConnection,
    private readonly log: Logger = nullLogger,
  ) {
    this.endpoint = connection.endpoint;
    this.advertisedHost = connection.advertisedHost;
    this.isLocal = connection.isLocal;
    this.docker = newDockerode(connection);
  }

  private async call<T>(
    op: string,
    limitMs: number,
    o: CallOptions | undefined,
    ctx: Partial<ErrorContext>,
    fn: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const t = withTimeout(o?.signal, o?.timeoutMs ?? limitMs, `Docker ${op}`);
    try {
      return await fn(t.signal);
    } catch (e) {
      const err = toContainerError(e, {
        op,
        endpoint: this.endpoint,
        abortReason: t.signal.aborted ? t.signal.reason : undefined,
        ...ctx,
      });
      this.log.debug(`docker ${op} failed: ${err.kind}: ${err.message}`);
      throw err;
    } finally {
      t.dispose();
    }
  }

  async ping(o?: CallOptions): Promise<void> {
    await this.call('ping', limits.ping, o, {}, (signal) => promiseForm(this.docker, 'ping')(signalOpts({}, signal)));
  }

  info(o?: CallOptions): Promise<EngineInfo> {
    return this.call('info', limits.info, o, {}, async (signal) =>
      parseInfo(await promiseForm(this.docker, 'info')(signalOpts({}, signal)), this.endpoint),
    );
  }

  list(o: ListOptions = {}): Promise<ContainerSummary[]> {
    return this.call('list containers', limits.list, o, {}, async (signal) => {
      const all = parseContainerList(await this.docker.listContainers(signalOpts({ all: o.all ?? true }, signal)));
      const scope = o.scope ?? 'relevant';
      return scope === 'all'
        ? all
        : all.filter((c) => c.managed || (scope === 'relevant' && c.serverKind !== undefined));
    });
  }

  inspect(id: string, o?: CallOptions): Promise<ContainerDetails> {
    return this.call('inspect', limits.inspect, o, { containerId: id }, async (signal) =>
      parseInspect(await this.docker.getContainer(id).inspect(signalOpts({}, signal))),
    );
  }

  /** One stats reading (`one-shot`: no second sample, so the CPU figure needs two readings). Raw engine JSON. */
  stats(id: string, o?: CallOptions): Promise<Record<string, unknown>> {
    return this.call(
      'container stats',
      limits.inspect,
      o,
      { containerId: id },
      async (signal) =>
        (await promiseForm(
          this.docker.getContainer(id),
          'stats',
        )(signalOpts({ stream: false, 'one-shot': true }, signal))) as Record<string, unknown>,
    );
  }

  /** Runs a command inside a running container; resolves with its stdout, rejects on a non-zero exit. */
  exec(id: string, cmd: string[], o?: CallOptions): Promise<string> {
    return this.call('exec', limits.inspect, o, { containerId: id }, async (signal) => {
      const exec = await this.docker
        .getContainer(id)
        .exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, Tty: false });
      const stream = (await exec.start({
        hijack: true,
        stdin: false,
        abortSignal: signal,
      } as Dockerode.ExecStartOptions)) as NodeJS.ReadableStream;
      const chunks: Buffer[] = [];
      for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
      const lines = decodeLogBuffer(Buffer.concat(chunks), false, false);
      const info = await exec.inspect();
      const out = lines
        .filter((l) => l.stream === 'stdout')
        .map((l) => l.text)
        .join('\n');
      if (info.ExitCode)
        throw new Error(
          `${cmd[0]} exited with ${info.ExitCode}: ${
            lines
              .filter((l) => l.stream === 'stderr')
              .map((l) => l.text)
              .join(' ')
              .slice(0, 200) || out.slice(0, 200)
          }`,
        );
      return out;
    });
  }

  imageExists(image: string, o?: CallOptions): Promise<boolean> {
    return this.call('inspect image', limits.inspect, o, { image }, async (signal) => {
      try {
        await promiseForm(this.docker.getImage(image), 'inspect')(signalOpts({}, signal));
        return true;
      } catch (e) {
        if (statusOf(e) === 404) return false;
        throw e;
      }
    });
  }

  async pull(image: string, o: PullOptions = {}): Promise<void> {
    this.log.info(`docker pull ${image}`);
    await pullImage((signal) => this.docker.pull(image, signalOpts({}, signal)), image, o, this.endpoint);
  }

  create(body: CreateContainerBody, o?: CallOptions): Promise<string> {
    this.log.info(`docker create ${describeCreate(body)}`);
    const { name, ...rest } = body;
    return this.call('create container', limits.create, o, { image: body.Image }, async (signal) => {
      // `_query`/`_body` keep the body (and its env values) out of the URL, where docker-modem would otherwise copy it.
      const c = (await promiseForm(
        this.docker,
        'createContainer',
      )(signalOpts({ _query: { name }, _body: rest }, signal))) as Dockerode.Container;
      return c.id;
    });
  }

  async start(id: string, o?: CallOptions): Promise<void> {
    await this.call('start container', limits.start, o, { containerId: id }, async (signal) => {
      try {
        await this.docker.getContainer(id).start(signalOpts({}, signal));
      } catch (e) {
        if (statusOf(e) !== 304) throw e; // already running
      }
    });
  }

  async stop(id: string, o: StopOptions = {}): Promise<void> {
    const grace = o.graceSeconds ?? 10;
    await this.call('stop container', (grace + 20) * 1000, o, { containerId: id }, async (signal) => {
      try {
        await this.docker.getContainer(id).stop(signalOpts({ t: grace }, signal));
      } catch (e) {
        if (statusOf(e) !== 304) throw e; // already stopped
      }
    });
  }

  async restart(id: string, o: StopOptions = {}): Promise<void> {
    const grace = o.graceSeconds ?? 10;
    await this.call('restart container', (grace + 60) * 1000, o, { containerId: id }, (signal) =>
      this.docker.getContainer(id).restart(signalOpts({ t: grace }, signal)),
    );
  }

  async remove(id: string, o: RemoveOptions = {}): Promise<void> {
    await this.call('remove container', limits.remove, o, { containerId: id }, async (signal) => {
      try {
        await this.docker
          .getContainer(id)
          .remove(signalOpts({ force: o.force ?? false, v: o.removeVolumes ?? true }, signal));
      } catch (e) {
        if (statusOf(e) !== 404) throw e; // already gone
      }
    });
  }

  /**
   * Opens a streaming call: the open limit and the caller's signal abort the
   * opening; afterwards only the caller's signal (or `close`) ends the stream.
   */
  private async openStream(
    op: string,
    o: CallOptions,
    ctx: Partial<ErrorContext>,
    open: (signal: AbortSignal) => Promise<unknown>,
  ) {
    const ctrl = new AbortController();
    const onAbort = () => ctrl.abort(o.signal?.reason);
    if (o.signal?.aborted) onAbort();
    else o.signal?.addEventListener('abort', onAbort, { once: true });
    const close = () => {
      o.signal?.removeEventListener('abort', onAbort);
      ctrl.abort();
    };
    try {
      const stream = await this.call(op, o.timeoutMs ?? limits.logsOpen, { signal: ctrl.signal }, ctx, (callSignal) => {
        callSignal.addEventListener('abort', () => ctrl.abort(callSignal.reason), { once: true });
        return open(ctrl.signal);
      });
      return { chunks: stream as AsyncIterable<Uint8Array>, signal: ctrl.signal, close };
    } catch (e) {
      close();
      throw e;
    }
  }

  async *logs(id: string, o: LogOptions = {}): AsyncGenerator<LogLine> {
    const { tty } = await this.inspect(id, o);
    const timestamps = o.timestamps ?? false;
    const query = { stdout: true, stderr: true, timestamps, tail: o.tail ?? 'all', since: o.since ?? 0 };
    if (!o.follow) {
      const data = await this.call('logs', limits.logsOpen, o, { containerId: id }, (signal) =>
        promiseForm(this.docker.getContainer(id), 'logs')(signalOpts({ ...query, follow: false }, signal)),
      );
      // docker-modem hands back parsed JSON when a TTY log happens to be one JSON document.
      const buf = Buffer.isBuffer(data) ? data : Buffer.from(typeof data === 'string' ? data : JSON.stringify(data));
      yield* decodeLogBuffer(buf, tty, timestamps);
      return;
    }
    const s = await this.openStream('logs', o, { containerId: id }, (signal) =>
      promiseForm(this.docker.getContainer(id), 'logs')(signalOpts({ ...query, follow: true }, signal)),
    );
    try {
      yield* logLines(s.chunks, tty, timestamps);
    } catch (e) {
      // Aborted by the caller: the stream simply ends.
      if (!s.signal.aborted) throw toContainerError(e, { op: 'logs', endpoint: this.endpoint, containerId: id });
    } finally {
      s.close();
    }
  }

  events(o: EventOptions = {}): AsyncIterable<ContainerEvent> {
    const filters: Record<string, string[]> = { type: ['container'] };
    if (o.label) filters.label = [o.label];
    const signal = o.signal ?? new AbortController().signal;
    const open = async (since: string | undefined, s: AbortSignal) => {
      const opened = await this.openStream('events', { signal: s, timeoutMs: o.timeoutMs }, {}, (sig) =>
        promiseForm(this.docker, 'getEvents')(signalOpts({ filters, ...(since ? { since } : {}) }, sig)),
      );
      async function* guarded(): AsyncGenerator<Uint8Array> {
        try {
          yield* opened.chunks;
        } finally {
          opened.close();
        }
      }
      return guarded();
    };
    return reconnectingEvents(open, parseEventLine, {
      signal,
      maxReconnects: o.maxReconnects ?? 5,
      onReconnect: o.onReconnect,
      endpoint: this.endpoint,
    });
  }
}

/** A dockerode client for a resolved connection (and nothing from DOCKER_HOST that the connection does not say). */
export function newDockerode(connection: ResolvedConnection): Dockerode {
  // docker-modem merges DOCKER_HOST defaults under our options: clear what we do not set.
  const cleared = {
    socketPath: undefined,
    host: undefined,
    port: undefined,
    protocol: undefined,
    ca: undefined,
    cert: undefined,
    key: undefined,
    username: undefined,
  };
  try {
    return new Dockerode({ ...cleared, ...connection.options } as Dockerode.DockerOptions);
  } catch (e) {
    throw new ContainerError(
      'engine-unavailable',
      `Cannot use the Docker host: ${(e as Error).message}`,
      'Check DOCKER_HOST or the inferenceLab.docker.host setting.',
    );
  }
}

/** The service for a connection setting (explicit setting → DOCKER_HOST → default socket). */
export function createDockerService(setting?: DockerConnectionSetting, log?: Logger): DockerodeService {
  return new DockerodeService(resolveConnection(setting), log);
}
