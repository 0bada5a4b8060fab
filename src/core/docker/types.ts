/**
 * Our view of the Docker engine: small, validated shapes built from the
 * engine's JSON (see engineSchemas.ts), independent of dockerode's typings.
 */

/** Every service call takes these: cancellation, and a limit of its own. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the call's default time limit (ms). */
  timeoutMs?: number;
}

/** GPU support as the engine reports it. */
export interface GpuSupport {
  /** True when `--gpus` can work: an NVIDIA runtime is registered, or CDI GPU devices are discovered. */
  available: boolean;
  /** Runtime names that can drive GPUs (e.g. `nvidia`). */
  runtimes: string[];
  /** CDI device names the engine discovered (e.g. `nvidia.com/gpu=0`). */
  cdiDevices: string[];
  /** The host's GPUs where the engine lists them (CDI devices or swarm generic resources). */
  gpus: { id: string; source: 'cdi' | 'generic-resource' }[];
  /** One sentence on how this was decided, for the log and the UI. */
  evidence: string;
}

export interface EngineInfo {
  serverVersion: string;
  apiVersion?: string;
  operatingSystem: string;
  os: string;
  architecture: string;
  cpus: number;
  memoryBytes: number;
  defaultRuntime: string;
  runtimes: string[];
  gpu: GpuSupport;
  /** Where we talk to it, safe to show. */
  endpoint: string;
}

export interface PortMapping {
  containerPort: number;
  protocol: 'tcp' | 'udp' | 'sctp';
  hostIp?: string;
  hostPort?: number;
}

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface ContainerSummary {
  id: string;
  name: string;
  image: string;
  state: ContainerState;
  /** Engine's human text ("Up 3 minutes", "Exited (1) 2 hours ago"). */
  status: string;
  created: Date;
  labels: Record<string, string>;
  ports: PortMapping[];
  /** Launched by Inference Lab (carries our labels). */
  managed: boolean;
  /** Preset id from our label, when managed. */
  presetId?: string;
  /** Server kind from our label, or guessed from a known image. */
  serverKind?: string;
  /** GPU assignment from our label: "all", "0,1", or "none"; undefined if unknown. */
  gpus?: string;
}

export interface ContainerDetails extends ContainerSummary {
  running: boolean;
  exitCode?: number;
  /** The engine's error for the last start, if any. */
  error?: string;
  startedAt?: Date;
  finishedAt?: Date;
  restartCount: number;
  tty: boolean;
  command: string[];
  /** Environment names only: values can hold secrets and are never returned. */
  envNames: string[];
  /** From HostConfig.DeviceRequests: "all", a list of ids, or "none". */
  gpuRequest: 'all' | 'none' | string[];
  /** Health status when the image defines a HEALTHCHECK. */
  health?: string;
}

export interface LogLine {
  stream: 'stdout' | 'stderr';
  /** Engine timestamp (RFC 3339 with ns) when asked for timestamps. */
  time?: string;
  text: string;
}

export interface LogOptions extends CallOptions {
  follow?: boolean;
  timestamps?: boolean;
  /** Only the last N lines ("all" by default). */
  tail?: number;
  /** Unix seconds. */
  since?: number;
}

export interface PullProgress {
  /** 0–100, aggregated over layers, never going backwards. */
  percent: number;
  downloadedBytes: number;
  /** Sum of the layer sizes known so far (grows as layers announce themselves). */
  totalBytes: number;
  layersDone: number;
  layersTotal: number;
  /** Last status line from the engine ("Downloading", "Pull complete", …). */
  status: string;
}

export interface ContainerEvent {
  /** `create`, `start`, `die`, `stop`, `destroy`, `health_status: healthy`, … */
  action: string;
  id: string;
  name?: string;
  image?: string;
  labels: Record<string, string>;
  exitCode?: number;
  time: Date;
}

export interface EventOptions extends CallOptions {
  /** Reconnect this many times in a row before giving up (default 5). */
  maxReconnects?: number;
  /** Only containers carrying this label (`key` or `key=value`). */
  label?: string;
  /** Called before each reconnect, with the attempt number and the error. */
  onReconnect?: (attempt: number, error: Error) => void;
}
