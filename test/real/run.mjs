#!/usr/bin/env node
// Real-servers tier (`npm run test:real`): node's test runner over test/real/real.test.ts, which sets up,
// starts and checks each real server of test/real/registry.ts and its embedded twin. Prints the wall time,
// installs included. usage: node test/real/run.mjs [server ...]   (or REAL_SERVERS=vllm,…)
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const only = process.argv.slice(2);
const t0 = Date.now();
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', 'test/real/real.test.ts'],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_OPTIONS: '', ...(only.length ? { REAL_SERVERS: only.join(',') } : {}) },
  },
);
console.log(
  `real-servers tier: ${((Date.now() - t0) / 1000).toFixed(0)} s wall time (installs included), exit ${r.status}`,
);
process.exit(r.status ?? 1);
