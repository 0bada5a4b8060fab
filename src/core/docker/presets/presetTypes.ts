/**
 * A server preset is plain JSON (so that a workspace can keep its own) that
 * says how to run one inference server in a container. Strings in `args`,
 * env values, volume targets and the health path may hold `{param}`
 * placeholders, filled from the launch options' `params`.
 */

/** A container port the server listens on. `name` is how options and results refer to it. */
export interface PresetPort {
  name: string;
  container: number;
  /** Wire protocol on that port: tells the explorer which client to use. */
  protocol: 'http' | 'grpc';
  role: 'inference' | 'management' | 'metrics';
  /** Host port used when the launch options do not choose one. */
  defaultHostPort: number;
}

export interface PresetVolume {
  /** `modelRepository`, `hfCache`, `data`: the key of `LaunchOptions.volumes`. */
  role: string;
  containerPath: string;
  /** Host path (`~` allowed) or named volume used when the options give none. */
  defaultSource?: string;
  /** Launch refuses to start without it (e.g. Triton's model repository). */
  required?: boolean;
  readOnly?: boolean;
  description: string;
}

export interface PresetEnv {
  name: string;
  /** Plain value (placeholders allowed). Absent for secrets. */
  value?: string;
  /** The value is supplied at launch from secret storage and is never written anywhere. */
  secret?: boolean;
  description?: string;
}

/**
 * One command-line argument, optionally with its flag. The pair is dropped
 * when a placeholder in `value` has no value, so optional settings such as
 * `--max-model-len {maxModelLen}` appear only when set.
 */
export interface PresetArg {
  flag?: string;
  value?: string;
}

export interface PresetParam {
  name: string;
  label: string;
  required?: boolean;
  default?: string;
  description?: string;
}

export interface PresetHealth {
  /** Name of the port (in `ports`) the health endpoint is on. */
  port: string;
  path: string;
  expectStatus: number;
  /** Also require this text in the body (Ollama's banner, TF Serving's AVAILABLE). */
  bodyIncludes?: string;
  /** Default time to wait for readiness (ms); model downloads can take minutes. */
  timeoutMs: number;
}

export interface ServerPreset {
  /** Stable id: built-ins use the server kind; workspace presets any `[a-z0-9-]` id. */
  id: string;
  label: string;
  description: string;
  /** Kind the explorer uses to talk to it (same names as the server adapters). */
  serverKind: string;
  /** Repository without tag, e.g. `vllm/vllm-openai`. */
  image: string;
  tag: string;
  /** Tag to use when launched without GPUs (TEI `cpu-…`, TF Serving `latest`). */
  cpuTag?: string;
  /** False when the server cannot run without a GPU (vLLM, TGI). */
  supportsCpu: boolean;
  ports: PresetPort[];
  /** `--shm-size` (e.g. `1g`): PyTorch workers share tensors through /dev/shm. */
  shmSize?: string;
  /** `--ipc=host`, which vLLM recommends for tensor parallelism. */
  ipcHost?: boolean;
  ulimits?: { name: string; soft: number; hard: number }[];
  volumes: PresetVolume[];
  env: PresetEnv[];
  args: PresetArg[];
  params: PresetParam[];
  health: PresetHealth;
}

export type GpuSelection = 'all' | 'none' | string[];

/** What the user chose for one launch. Never holds secrets (those come at launch time). */
export interface LaunchOptions {
  /** Values for `{param}` placeholders: modelId, maxModelLen, tensorParallelSize, modelName, … */
  params?: Record<string, string | number>;
  /** All GPUs (default when the preset can use them), chosen device ids, or none. */
  gpus?: GpuSelection;
  /** Host port per preset port name; unset ports use their default. */
  hostPorts?: Record<string, number>;
  /** Host address ports are published on (default 127.0.0.1: not exposed to the network). */
  bindAddress?: string;
  /** Host path or named volume per volume role. */
  volumes?: Record<string, string>;
  /** Extra plain environment variables. Secrets go in the launch call's `secrets`. */
  env?: Record<string, string>;
  /** Names of extra secret variables (e.g. VLLM_API_KEY); their values come with the launch call. */
  secretEnv?: string[];
  extraArgs?: string[];
  /** Container name (default `inference-lab-<preset>-<port>`). */
  name?: string;
  /** Overrides the preset's tag (and its CPU tag). */
  tag?: string;
  /** Overrides the preset's image repository. */
  image?: string;
  shmSize?: string;
  /** `missing` (default): pull only when the engine does not have the image. */
  pull?: 'missing' | 'always' | 'never';
  healthTimeoutMs?: number;
  /** Extra labels (kept in addition to ours). */
  labels?: Record<string, string>;
}
