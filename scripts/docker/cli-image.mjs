#!/usr/bin/env node
// The inference-lab CLI image (benchmark workers on Docker hosts and in
// Kubernetes), built with no registry and no base image: this script stages a
// root filesystem — the node binary, the shared libraries it links (ldd), the
// CLI bundle (+ the worker-thread bundle and .proto files) — next to the
// repository's Dockerfile, which builds FROM scratch. The engine API builds it
// (dockerode, the classic builder), so neither buildx nor a pull is needed.
//
// usage: node scripts/docker/cli-image.mjs [--tag inference-lab/cli:dev] [--label k=v …] [--host DOCKER_HOST]
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Shared libraries a binary needs, as `ldd` lists them (plus the loader). */
function librariesOf(binary) {
  const text = execFileSync('ldd', [binary], { encoding: 'utf8' });
  const libs = new Set();
  for (const line of text.split('\n')) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s*\(/.exec(line);
    if (m) libs.add(m[1]);
  }
  return [...libs];
}

function copyInto(root, file, target = file) {
  const dest = path.join(root, target);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(fs.realpathSync(file), dest);
  fs.chmodSync(dest, fs.statSync(fs.realpathSync(file)).mode);
}

/**
 * Stages the image's root filesystem in `root`: /usr/bin/node + its libraries,
 * /app/cli.js, /app/benchWorker.js, /app/scrapeWorker.js, /app/proto/*.proto, and a world-writable /tmp.
 * Returns a content hash (bundle + node binary) for tagging.
 */
export async function stageRootfs(root, repo = repoRoot) {
  const esbuild = await import('esbuild');
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'cpu-features', 'ssh2', './crypto/build/Release/sshcrypto.node'],
    mainFields: ['module', 'main'],
    logLevel: 'error',
    legalComments: 'none',
  };
  await esbuild.build({
    ...common,
    entryPoints: [path.join(repo, 'src/cli/main.ts')],
    outfile: path.join(root, 'app/cli.js'),
  });
  const worker = path.join(repo, 'src/core/bench/scale/threadWorker.ts');
  if (fs.existsSync(worker))
    await esbuild.build({ ...common, entryPoints: [worker], outfile: path.join(root, 'app/benchWorker.js') });
  const scrapeWorker = path.join(repo, 'src/core/bench/serverMetrics/scrapeWorker.ts');
  if (fs.existsSync(scrapeWorker))
    await esbuild.build({ ...common, entryPoints: [scrapeWorker], outfile: path.join(root, 'app/scrapeWorker.js') });
  const protoDir = path.join(repo, 'src/core/proto');
  if (fs.existsSync(protoDir))
    for (const f of fs.readdirSync(protoDir))
      if (f.endsWith('.proto')) copyInto(root, path.join(protoDir, f), `app/proto/${f}`);
  const node = fs.realpathSync(process.execPath);
  copyInto(root, node, 'usr/bin/node');
  for (const lib of librariesOf(node)) copyInto(root, lib);
  fs.mkdirSync(path.join(root, 'tmp'), { recursive: true });
  fs.chmodSync(path.join(root, 'tmp'), 0o1777);
  return crypto
    .createHash('sha256')
    .update(fs.readFileSync(path.join(root, 'app/cli.js')))
    .update(node)
    .digest('hex')
    .slice(0, 12);
}

/**
 * Builds the image from the repository's Dockerfile through the engine API.
 * `docker` is a dockerode instance; resolves with the tag.
 */
export async function buildCliImage(docker, { tag, labels = {} } = {}) {
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'inference-lab-cli-image-'));
  try {
    const hash = await stageRootfs(path.join(stage, 'rootfs'));
    fs.copyFileSync(path.join(repoRoot, 'Dockerfile'), path.join(stage, 'Dockerfile'));
    const image = tag ?? `inference-lab/cli:${hash}`;
    const tar = path.join(os.tmpdir(), `inference-lab-cli-context-${process.pid}.tar`);
    execFileSync('tar', ['-C', stage, '-cf', tar, 'Dockerfile', 'rootfs']);
    try {
      const stream = await docker.buildImage(fs.createReadStream(tar), {
        t: image,
        labels: JSON.stringify(labels),
        rm: true,
        forcerm: true,
      });
      await new Promise((resolve, reject) =>
        docker.modem.followProgress(stream, (err, out) => {
          const failed = err ?? out.find((o) => o.error)?.error;
          if (failed) reject(new Error(`docker build failed: ${failed.message ?? failed}`));
          else resolve();
        }),
      );
    } finally {
      fs.rmSync(tar, { force: true });
    }
    return image;
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const opt = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const labels = {};
  args.forEach((a, i) => {
    if (a === '--label') {
      const [k, ...v] = args[i + 1].split('=');
      labels[k] = v.join('=');
    }
  });
  const { default: Docker } = await import('dockerode');
  const host = opt('--host');
  const docker = host ? new Docker({ host: new URL(host).hostname, port: Number(new URL(host).port) }) : new Docker();
  const t0 = Date.now();
  const image = await buildCliImage(docker, { tag: opt('--tag'), labels });
  console.log(`built ${image} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
