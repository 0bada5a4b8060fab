// Setup for the docker tier, shared by run.mjs: a running engine (installed and
// started here if the machine has none), a local test image built without any
// registry, an optional local registry for the pull-progress test, and a
// cleanup that removes everything labelled inference-lab.test.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stageRootfs } from '../../scripts/docker/cli-image.mjs';

export const testLabel = 'inference-lab.test';
const defaultSocket = '/var/run/docker.sock';

function log(msg) {
  console.log(`docker tier: ${msg}`);
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

export function docker(args, opts = {}) {
  return execFileSync('docker', args, {
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: 120_000,
    ...opts,
  }).trim();
}

function pingSocket(socketPath, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: '/_ping', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function aptInstall(pkg) {
  if (process.getuid?.() !== 0)
    throw new Error(`${pkg} is missing and installing it needs root (apt-get install ${pkg})`);
  log(`installing ${pkg} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', ['install', '-y', '-q', pkg], { stdio: 'inherit', env });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    r = spawnSync('apt-get', ['install', '-y', '-q', pkg], { stdio: 'inherit', env });
  }
  if (r.status !== 0) throw new Error(`apt-get install ${pkg} failed`);
}

/**
 * Makes sure an engine answers on the default socket. Returns a stop function
 * when this call started dockerd (so that the tier leaves the machine as it
 * found it), or undefined when an engine was already running.
 */
export async function ensureEngine({ socketPath = defaultSocket, dockerdArgs = [] } = {}) {
  if (process.env.DOCKER_HOST) log(`DOCKER_HOST=${process.env.DOCKER_HOST} is ignored: the tier uses the local engine`);
  if (await pingSocket(socketPath)) return undefined;
  if (!has('dockerd')) aptInstall('docker.io');
  if (!has('docker')) aptInstall('docker.io');
  if (await pingSocket(socketPath)) return undefined;
  const logFile = path.join(os.tmpdir(), 'inference-lab-dockerd.log');
  log(`starting dockerd (log: ${logFile})`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn('dockerd', dockerdArgs, { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    // dockerd stops its containers first; give it time, then make sure it is gone.
    const done = await Promise.race([exited.then(() => true), sleep(30_000).then(() => false)]);
    if (!done) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  for (let i = 0; i < 120; i++) {
    if (await pingSocket(socketPath)) {
      log('dockerd is up');
      return stop;
    }
    if (child.exitCode !== null || child.signalCode !== null) break;
    await sleep(500);
  }
  await stop();
  const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
  throw new Error(`dockerd did not come up within 60 s; last log lines:\n${tail}`);
}

/**
 * Builds the test image from scratch: the CLI image's root filesystem (node,
 * the libraries it links, our CLI bundle + protos; scripts/docker/cli-image.mjs)
 * imported with `docker import`. No registry is involved.
 */
export async function buildTestImage(repoRoot) {
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'inference-lab-image-'));
  const root = path.join(stage, 'rootfs');
  try {
    const hash = await stageRootfs(root, repoRoot);
    const image = `inference-lab-test/embedded:${hash}`;
    const tar = path.join(stage, 'rootfs.tar');
    execFileSync('tar', ['-C', root, '-cf', tar, '.']);
    docker([
      'import',
      '--change',
      `LABEL ${testLabel}=1`,
      '--change',
      'WORKDIR /app',
      '--change',
      'CMD ["/usr/bin/node", "/app/cli.js", "--help"]',
      tar,
      image,
    ]);
    const serve = spawnSync(fs.realpathSync(process.execPath), [path.join(root, 'app/cli.js'), 'serve', '--help'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    return { image, serveAvailable: serve.status === 0, serveHelp: serve.stdout };
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * A local registry (Debian's docker-registry) on 127.0.0.1, for the
 * pull-progress test. Returns { address, stop } or { skipReason }.
 */
export async function startRegistry() {
  if (!has('docker-registry')) {
    try {
      aptInstall('docker-registry');
    } catch (e) {
      return { skipReason: `no local registry: ${e.message}` };
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inference-lab-registry-'));
  const port = await freePort();
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(
    config,
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 40; i++) {
    const ok = await new Promise((resolve) => {
      http
        .get({ host: '127.0.0.1', port, path: '/v2/', timeout: 1000 }, (res) => {
          res.resume();
          resolve(res.statusCode === 200);
        })
        .on('error', () => resolve(false));
    });
    if (ok) return { address: `127.0.0.1:${port}`, stop };
    if (child.exitCode !== null) break;
    await sleep(250);
  }
  await stop();
  return { skipReason: `docker-registry did not start: ${stderr.trim().split('\n').slice(-3).join(' ')}` };
}

/** Removes every container and image labelled inference-lab.test (also those of earlier, interrupted runs). */
export function cleanup(extraImages = []) {
  const ids = docker(['ps', '-aq', '--filter', `label=${testLabel}`])
    .split('\n')
    .filter(Boolean);
  if (ids.length) spawnSync('docker', ['rm', '-f', '-v', ...ids], { stdio: 'ignore' });
  const images = docker(['images', '-q', '--filter', `label=${testLabel}`])
    .split('\n')
    .filter(Boolean);
  const all = [...new Set([...images, ...extraImages])];
  if (all.length) spawnSync('docker', ['rmi', '-f', ...all], { stdio: 'ignore' });
  return { containers: ids.length, images: all.length };
}
