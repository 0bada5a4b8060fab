#!/usr/bin/env node
// Docker tier: node's test runner over test/docker/*.test.ts against the real
// engine. Starts (or installs) the engine if needed, builds the local test
// image, starts a local registry for the pull-progress test when one can be
// had, and removes every container/image it made, also on failure or Ctrl-C.
// usage: node test/docker/run.mjs [filter-substring ...]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTestImage, cleanup, ensureEngine, startRegistry } from './setup.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const filters = process.argv.slice(2);
const files = fs
  .readdirSync(path.join(root, 'test', 'docker'))
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => path.join('test', 'docker', f))
  .filter((f) => !filters.length || filters.some((x) => f.includes(x)))
  .sort();
if (!files.length) {
  console.error('docker tier: no test files matched');
  process.exit(1);
}

const t0 = Date.now();
let stopEngine;
let registry;
let child;
let finished = false;

async function teardown() {
  if (finished) return;
  finished = true;
  try {
    const removed = cleanup();
    console.log(`docker tier: cleanup removed ${removed.containers} container(s), ${removed.images} image(s)`);
  } catch (e) {
    console.error(`docker tier: cleanup failed: ${e.message}`);
  }
  await registry?.stop?.();
  await stopEngine?.();
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    child?.kill(sig);
    void teardown().then(() => process.exit(130));
  });
}

let code = 1;
try {
  stopEngine = await ensureEngine();
  cleanup(); // leftovers of an interrupted earlier run
  const built = await buildTestImage(root);
  console.log(
    `docker tier: test image ${built.image} (embedded server ${built.serveAvailable ? 'available' : 'not in the CLI yet'})`,
  );
  registry = await startRegistry();
  if (registry.skipReason) console.log(`docker tier: pull-progress test skipped: ${registry.skipReason}`);
  const env = {
    ...process.env,
    NODE_OPTIONS: '',
    DOCKER_HOST: '',
    INFERENCE_LAB_TEST_IMAGE: built.image,
    INFERENCE_LAB_TEST_SERVE: built.serveAvailable ? '1' : '',
    INFERENCE_LAB_TEST_REGISTRY: registry.address ?? '',
    INFERENCE_LAB_TEST_REGISTRY_SKIP: registry.skipReason ?? '',
  };
  child = spawn(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=240000', ...files],
    { cwd: root, stdio: 'inherit', env },
  );
  code = await new Promise((resolve) => child.on('exit', (c, sig) => resolve(c ?? (sig ? 1 : 1))));
} catch (e) {
  console.error(`docker tier: setup failed: ${e.message}`);
  code = 1;
} finally {
  await teardown();
  console.log(`docker tier: ${code === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - t0) / 1000)} s`);
}
process.exit(code);
