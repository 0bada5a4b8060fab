#!/usr/bin/env node
// Kubernetes tier (opt-in: `npm run test:k8s`; not part of `npm test`): the
// scale-out Kubernetes path against a real control plane. Builds (or finds in
// its cache) kube-apiserver and kube-controller-manager from source
// (scripts/k8s/build-control-plane.sh: the first build takes tens of minutes
// on 2 cores, later runs reuse $HOME/.cache/inference-lab/k8s/<version>/bin),
// installs Debian's etcd-server when missing, starts the local Docker engine,
// builds the CLI image from the Dockerfile, runs test/k8s/*.test.ts and
// removes what it made.
// usage: node test/k8s/run.mjs [filter-substring ...]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanup, ensureEngine } from '../docker/setup.mjs';
import { buildCliImage } from '../../scripts/docker/cli-image.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const version = process.env.K8S_VERSION ?? 'v1.37.2';
const binDir = path.join(
  process.env.INFERENCE_LAB_K8S_CACHE ?? path.join(os.homedir(), '.cache', 'inference-lab', 'k8s'),
  version,
  'bin',
);
const log = (m) => console.log(`k8s tier: ${m}`);
const t0 = Date.now();
let code = 1;
let stopEngine;
try {
  const built = spawnSync(
    'bash',
    [path.join(root, 'scripts/k8s/build-control-plane.sh'), version, 'kube-apiserver', 'kube-controller-manager'],
    { stdio: 'inherit' },
  );
  if (built.status !== 0) throw new Error('building the control plane failed');
  if (spawnSync('sh', ['-c', 'command -v etcd'], { stdio: 'ignore' }).status !== 0) {
    log('installing etcd-server with apt-get');
    const r = spawnSync('apt-get', ['install', '-y', '-q', 'etcd-server'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (r.status !== 0) throw new Error('apt-get install etcd-server failed');
  }
  stopEngine = await ensureEngine();
  cleanup();
  const { default: Docker } = await import('dockerode');
  const image = await buildCliImage(new Docker({ socketPath: '/var/run/docker.sock' }), {
    tag: `inference-lab-test/cli:k8s-${process.pid}`,
    labels: { 'inference-lab.test': '1' },
  });
  log(`CLI image ${image}; control plane ${binDir}`);
  const filters = process.argv.slice(2);
  const files = fs
    .readdirSync(path.join(root, 'test/k8s'))
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => path.join('test/k8s', f))
    .filter((f) => !filters.length || filters.some((x) => f.includes(x)));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=600000', ...files],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NODE_OPTIONS: '', INFERENCE_LAB_K8S_BIN: binDir, INFERENCE_LAB_TEST_CLI_IMAGE: image },
    },
  );
  code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
} catch (e) {
  console.error(`k8s tier: ${e.message}`);
} finally {
  try {
    const removed = cleanup();
    log(`cleanup removed ${removed.containers} container(s), ${removed.images} image(s)`);
  } catch (e) {
    console.error(`k8s tier: cleanup failed: ${e.message}`);
  }
  await stopEngine?.();
  log(`${code === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - t0) / 1000)} s`);
}
process.exit(code);
