/**
 * Shared pieces of the docker tier. run.mjs builds the test image and passes
 * its name (and the local registry, when there is one) in the environment.
 */
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import type { ContainerService } from '../../src/core/docker/engine/containerService';
import { createDockerService } from '../../src/core/docker/engine/dockerodeService';
import type { ServerPreset } from '../../src/core/docker/presets/presetTypes';

export const testLabel = 'inference-lab.test';
/** Every container the tests create carries this, so run.mjs can remove them whatever happens. */
export const testLabels = { [testLabel]: '1' };

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the docker tier with \`npm run test:docker\``);
  return v;
}

export const testImage = () => required('INFERENCE_LAB_TEST_IMAGE');
export const registry = () => process.env.INFERENCE_LAB_TEST_REGISTRY || undefined;
export const registrySkip = () => process.env.INFERENCE_LAB_TEST_REGISTRY_SKIP || undefined;

export function service(): ContainerService {
  return createDockerService({ host: 'unix:///var/run/docker.sock' });
}

/** A preset for the embedded server in the test image: its vLLM personality on container port 18000. */
export function embeddedPreset(image = testImage(), overrides: Partial<ServerPreset> = {}): ServerPreset {
  const colon = image.lastIndexOf(':');
  return {
    id: 'embedded-test',
    label: 'Embedded server (test image)',
    description: 'The embedded inference server, run from the local test image.',
    serverKind: 'vllm',
    image: image.slice(0, colon),
    tag: image.slice(colon + 1),
    supportsCpu: true,
    ports: [{ name: 'http', container: 18000, protocol: 'http', role: 'inference', defaultHostPort: 18000 }],
    volumes: [],
    env: [{ name: 'HF_TOKEN', secret: true }],
    args: [
      { value: '/usr/bin/node' },
      { value: '/app/cli.js' },
      { value: 'serve' },
      { flag: '--host', value: '0.0.0.0' },
    ],
    params: [],
    health: { port: 'http', path: '/health', expectStatus: 200, timeoutMs: 60_000 },
    ...overrides,
  };
}

/** A port that is free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export function docker(args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', timeout: 120_000 }).trim();
}

/** Ids of the containers (any state) whose name starts with `prefix`. */
export async function containersNamed(svc: ContainerService, prefix: string): Promise<string[]> {
  return (await svc.list({ scope: 'all' })).filter((c) => c.name.startsWith(prefix)).map((c) => c.id);
}

export async function removeNamed(svc: ContainerService, prefix: string): Promise<void> {
  for (const id of await containersNamed(svc, prefix)) await svc.remove(id, { force: true });
}
