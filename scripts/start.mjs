#!/usr/bin/env node
// Serves the real VS Code workbench (code-server) with the freshly packaged
// extension installed, in a profile kept between runs ($E2E_HOME/start), and
// prints the URL. Stops on Ctrl-C.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as H from '../test/e2e/harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sh = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
sh(process.execPath, ['esbuild.mjs', '--production']);
const vsix = path.join(root, 'dist-vsix', 'inference-lab.vsix');
fs.mkdirSync(path.dirname(vsix), { recursive: true });
sh(path.join(root, 'node_modules', '.bin', 'vsce'), [
  'package',
  '--no-dependencies',
  '--no-rewrite-relative-links',
  '-o',
  vsix,
]);

const dir = path.join(H.E2E_HOME, 'start');
const run = {
  dir,
  userData: path.join(dir, 'user-data'),
  extensions: path.join(dir, 'extensions'),
  workspace: process.env.INFERENCE_LAB_FOLDER || root,
  config: path.join(dir, 'config.yaml'),
  xdgConfig: path.join(dir, 'xdg-config'),
  xdgData: path.join(dir, 'xdg-data'),
  serverLog: path.join(dir, 'code-server.log'),
};
fs.mkdirSync(path.join(run.userData, 'User'), { recursive: true });
fs.mkdirSync(run.extensions, { recursive: true });
const settingsFile = path.join(run.userData, 'User', 'settings.json');
if (!fs.existsSync(settingsFile))
  fs.writeFileSync(
    settingsFile,
    JSON.stringify({ ...H.DEFAULT_SETTINGS, 'security.workspace.trust.enabled': true }, null, 2),
  );
fs.writeFileSync(run.config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
H.installVsix(run, vsix);
const port = Number(process.env.PORT || 8080);
const server = await H.startCodeServer(run, { port });
const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(run.workspace)}`;
console.log(
  `\nInference Lab is running in VS Code (code-server 4.100.3) at:\n\n  ${url}\n\nOpen it in a browser on this machine; the Inference Lab icon is in the activity bar.\nLog: ${run.serverLog}. Press Ctrl-C to stop.`,
);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.child.on('exit', (code) => {
  console.error(`code-server exited (${code}); see ${run.serverLog}`);
  process.exit(1);
});
