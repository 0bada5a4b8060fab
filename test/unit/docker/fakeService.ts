/**
 * An in-memory ContainerService for the launch orchestration tests: records
 * the calls, and lets each test decide what the "engine" does. The real
 * engine is exercised by the docker tier (test/docker).
 */
import type { ContainerService, ListOptions, PullOptions } from '../../../src/core/docker/engine/containerService';
import type { CreateContainerBody } from '../../../src/core/docker/launch/createBody';
import type {
  ContainerDetails,
  ContainerEvent,
  ContainerSummary,
  EngineInfo,
  LogLine,
  LogOptions,
} from '../../../src/core/docker/types';

export class FakeService implements ContainerService {
  readonly endpoint = 'unix:///fake.sock';
  readonly advertisedHost = '127.0.0.1';
  readonly isLocal = true;
  calls: string[] = [];
  gpu = false;
  images = new Set<string>();
  containers: ContainerSummary[] = [];
  created: CreateContainerBody[] = [];
  running = true;
  exitCode = 0;
  logLines: LogLine[] = [];
  startError: Error | undefined;

  async ping(): Promise<void> {
    this.calls.push('ping');
  }
  async info(): Promise<EngineInfo> {
    this.calls.push('info');
    const gpus = this.gpu ? [{ id: '0', source: 'cdi' as const }] : [];
    return {
      serverVersion: 'fake',
      operatingSystem: '',
      os: 'linux',
      architecture: 'x86_64',
      cpus: 2,
      memoryBytes: 0,
      defaultRuntime: 'runc',
      runtimes: ['runc'],
      endpoint: this.endpoint,
      gpu: {
        available: this.gpu,
        runtimes: [],
        cdiDevices: [],
        gpus,
        evidence: this.gpu ? 'CDI devices nvidia.com/gpu=0' : 'no NVIDIA runtime',
      },
    };
  }
  async list(_o?: ListOptions): Promise<ContainerSummary[]> {
    this.calls.push('list');
    return this.containers;
  }
  async inspect(id: string): Promise<ContainerDetails> {
    this.calls.push('inspect');
    return {
      id,
      name: 'c',
      image: 'i',
      state: this.running ? 'running' : 'exited',
      status: '',
      created: new Date(),
      labels: {},
      ports: [],
      managed: true,
      running: this.running,
      exitCode: this.exitCode,
      restartCount: 0,
      tty: false,
      command: [],
      envNames: [],
      gpuRequest: 'none',
    };
  }
  async imageExists(image: string): Promise<boolean> {
    this.calls.push('imageExists');
    return this.images.has(image);
  }
  async pull(image: string, o?: PullOptions): Promise<void> {
    this.calls.push('pull');
    o?.onProgress?.({
      percent: 50,
      downloadedBytes: 5,
      totalBytes: 10,
      layersDone: 0,
      layersTotal: 1,
      status: 'Downloading',
    });
    o?.onProgress?.({
      percent: 100,
      downloadedBytes: 10,
      totalBytes: 10,
      layersDone: 1,
      layersTotal: 1,
      status: 'Pull complete',
    });
    this.images.add(image);
  }
  async create(body: CreateContainerBody): Promise<string> {
    this.calls.push('create');
    this.created.push(body);
    return 'c1';
  }
  async start(): Promise<void> {
    this.calls.push('start');
    if (this.startError) throw this.startError;
  }
  async stop(): Promise<void> {
    this.calls.push('stop');
  }
  async restart(): Promise<void> {
    this.calls.push('restart');
  }
  async remove(): Promise<void> {
    this.calls.push('remove');
  }
  async *logs(_id: string, o?: LogOptions): AsyncGenerator<LogLine> {
    this.calls.push(o?.follow ? 'logs-follow' : 'logs');
    yield* this.logLines;
  }
  async *events(): AsyncGenerator<ContainerEvent> {
    yield* [];
  }
}
