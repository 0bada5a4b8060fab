/**
 * One error type for everything that can go wrong with containers. `kind`
 * drives the UI (which message, which button); `fix` is the sentence that
 * tells the user what to do. Messages never carry secrets or stack traces.
 */
export type ContainerErrorKind =
  | 'engine-unavailable'
  | 'permission-denied'
  | 'image-not-found'
  | 'registry-unreachable'
  | 'no-gpu-runtime'
  | 'port-in-use'
  | 'name-in-use'
  | 'not-found'
  | 'exited-during-start'
  | 'health-timeout'
  | 'invalid-preset'
  | 'malformed'
  | 'timeout'
  | 'cancelled'
  | 'engine-error';

export interface ContainerErrorDetails {
  /** HTTP status the engine answered with, when it answered. */
  statusCode?: number;
  /** The engine's own message (`{"message": …}`), kept for the log. */
  engineMessage?: string;
  containerId?: string;
  image?: string;
  port?: number;
  exitCode?: number;
  /** Last lines the container printed (exited during start, health timeout). */
  lastLogLines?: string[];
  /** True when the same launch can be retried without GPUs (`no-gpu-runtime`). */
  canRetryOnCpu?: boolean;
  cause?: unknown;
}

export class ContainerError extends Error {
  override readonly name = 'ContainerError';
  constructor(
    readonly kind: ContainerErrorKind,
    message: string,
    readonly fix?: string,
    readonly details: ContainerErrorDetails = {},
  ) {
    super(message);
  }
  /** Message and fix in one line, for notifications and the CLI. */
  get userMessage(): string {
    return this.fix ? `${this.message} ${this.fix}` : this.message;
  }
  static is(e: unknown, kind?: ContainerErrorKind): e is ContainerError {
    return e instanceof ContainerError && (kind === undefined || e.kind === kind);
  }
}

/** The fixes, worded once so that service, launch and docs/containers.md agree. */
export const fixes = {
  engineDown:
    'Start Docker (e.g. `sudo systemctl start docker`, or open Docker Desktop), or point the inferenceLab.docker.host setting / DOCKER_HOST at a running engine.',
  permission:
    'Add your user to the docker group (`sudo usermod -aG docker $USER`, then log out and in again), or use rootless Docker.',
  imageNotFound: 'Check the image name and tag, or log in to the registry (`docker login`) if the image is private.',
  registry: 'Check the network or proxy, or pull/load the image on this engine first (`docker pull`, `docker load`).',
  noGpu:
    'Install the NVIDIA Container Toolkit (and run `nvidia-ctk runtime configure --runtime=docker`), or launch on CPU.',
  noGpuNoCpu:
    'Install the NVIDIA Container Toolkit (and run `nvidia-ctk runtime configure --runtime=docker`); this server needs a GPU.',
  portInUse: 'Choose another host port, or stop whatever is listening there.',
  nameInUse: 'Choose another container name, or remove the existing container.',
  healthTimeout: 'Large models can take minutes to download and load: raise the health timeout, or check the logs.',
} as const;
