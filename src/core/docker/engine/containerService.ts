/**
 * Everything the extension and the CLI need from a container engine. The
 * dockerode implementation lives in dockerodeService.ts; the interface
 * leaves room for another transport (e.g. the docker CLI) later.
 *
 * Every call takes an AbortSignal and has a default time limit (overridable
 * with `timeoutMs`); failures are ContainerErrors with a `kind` and a `fix`.
 */
import type { CreateContainerBody } from '../launch/createBody';
import type {
  CallOptions,
  ContainerDetails,
  ContainerEvent,
  ContainerSummary,
  EngineInfo,
  EventOptions,
  LogLine,
  LogOptions,
  PullProgress,
} from '../types';

export interface ListOptions extends CallOptions {
  /** `ours`: launched by Inference Lab; `relevant` (default): ours plus containers of known server images; `all`. */
  scope?: 'ours' | 'relevant' | 'all';
  /** Include stopped containers (default true). */
  all?: boolean;
}

export interface PullOptions extends CallOptions {
  onProgress?: (p: PullProgress) => void;
  /** Give up when the engine reports nothing for this long (default 5 min). `timeoutMs` is ignored: pulls take as long as they take. */
  idleTimeoutMs?: number;
}

export interface StopOptions extends CallOptions {
  /** Seconds the engine waits after SIGTERM before SIGKILL (default 10). */
  graceSeconds?: number;
}

export interface RemoveOptions extends CallOptions {
  /** Kill a running container first (default false). */
  force?: boolean;
  /** Also remove its anonymous volumes (default true). */
  removeVolumes?: boolean;
}

export interface ContainerService {
  /** Where the engine is, safe to show ("unix:///var/run/docker.sock"). */
  readonly endpoint: string;
  /** Host name on which published ports are reachable ("127.0.0.1" for a local engine). */
  readonly advertisedHost: string;
  /** Published ports can be checked by binding on this machine. */
  readonly isLocal: boolean;

  /** Resolves when the engine answers `/_ping` (default limit 3 s). */
  ping(o?: CallOptions): Promise<void>;
  info(o?: CallOptions): Promise<EngineInfo>;
  list(o?: ListOptions): Promise<ContainerSummary[]>;
  inspect(id: string, o?: CallOptions): Promise<ContainerDetails>;
  imageExists(image: string, o?: CallOptions): Promise<boolean>;
  pull(image: string, o?: PullOptions): Promise<void>;
  /** Creates the container and returns its id. */
  create(body: CreateContainerBody, o?: CallOptions): Promise<string>;
  /** Starting a running container is not an error. */
  start(id: string, o?: CallOptions): Promise<void>;
  /** Stopping a stopped container is not an error. */
  stop(id: string, o?: StopOptions): Promise<void>;
  restart(id: string, o?: StopOptions): Promise<void>;
  /** Removing a container that is already gone is not an error. */
  remove(id: string, o?: RemoveOptions): Promise<void>;
  /**
   * Log lines, demultiplexed. With `follow` the iteration runs until the
   * container stops or the signal aborts; `timeoutMs` bounds opening only.
   */
  logs(id: string, o?: LogOptions): AsyncIterable<LogLine>;
  /** Container events, reconnecting up to `maxReconnects` times in a row; ends when the signal aborts. */
  events(o?: EventOptions): AsyncIterable<ContainerEvent>;
}
