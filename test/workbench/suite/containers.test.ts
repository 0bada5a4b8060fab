/**
 * GPU containers inside the real extension host, against this machine's
 * Docker engine: the local test image (Node + our CLI, built by the docker
 * tier's builder, no registry) launched from a workspace preset, shown ready
 * under Containers with its models, used from the request panel, its logs
 * followed, its docker run copied, restarted, stopped and removed; a GPU
 * request on this GPU-less engine and a port conflict give their clear
 * failures. Every container started here carries a run label and is removed
 * at the end, whatever happened. Skipped, with the reason, without an engine.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { serializePresetFile } from '../../../src/core/docker/presets/presetFile';
import type { ViewNode } from '../../../src/core/servers/view/viewNode';
import type { LaunchOutcome } from '../../../src/host/containers/launch/launchCommand';
import type { LogTerminal } from '../../../src/host/containers/logTerminal';
import type { ServersApi } from '../../../src/host/servers/registerServers';
import { embeddedPreset } from '../../docker/helpers';
import { activateExtension, skipBecause, waitFor } from './util';

const run = promisify(execFile);
const root = path.resolve(__dirname, '..', '..', '..', '..');
const runLabel = `workbench-${process.pid}-${Date.now()}`;
const labels = { 'inference-lab.test': '1', 'inference-lab.test.run': runLabel };
const presetId = 'workbench-embedded';

async function engineAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(
      { socketPath: '/var/run/docker.sock', path: '/_ping', timeout: 3000 },
      (res) => (res.resume(), resolve(res.statusCode === 200)),
    );
    req.on('error', () => resolve(false));
    req.on('timeout', () => (req.destroy(), resolve(false)));
  });
}

/** The docker tier's image builder, run in plain Node (it bundles the CLI with esbuild and `docker import`s it). */
async function buildImage(): Promise<string> {
  const setup = pathToFileURL(path.join(root, 'test', 'docker', 'setup.mjs')).href;
  const script = `const { buildTestImage } = await import(${JSON.stringify(setup)}); process.stdout.write(JSON.stringify(await buildTestImage(${JSON.stringify(root)})));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    timeout: 300_000,
    maxBuffer: 1 << 24,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  const built = JSON.parse(stdout) as { image: string; serveAvailable: boolean };
  assert.ok(built.serveAvailable, 'the CLI in the test image has the serve command');
  return built.image;
}

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function ourContainers(): Promise<string[]> {
  const { stdout } = await run('docker', ['ps', '-aq', '--filter', `label=inference-lab.test.run=${runLabel}`]);
  return stdout.split('\n').filter(Boolean);
}

const launch = (options: object) =>
  vscode.commands.executeCommand<LaunchOutcome>('inferenceLab.containers.launch', {
    preset: presetId,
    options: { pull: 'never', ...options },
  });

describe('GPU containers', function () {
  this.timeout(300_000);
  let servers: ServersApi;
  let presetFile: string;
  let name = '';
  let port = 0;

  const node = async (id: string): Promise<ViewNode | undefined> =>
    (await (await servers.service()).tree())
      .find((n) => n.id === 'group:containers')
      ?.children?.find((c) => c.id === id);

  before(async function () {
    // test/workbench/run.mjs starts the engine before the suites; without one this suite says why it is skipped.
    if (!(await engineAnswers()))
      skipBecause(
        this,
        'no Docker engine answers on /var/run/docker.sock (test/workbench/run.mjs starts dockerd before the suites; did that fail?)',
      );
    const image = await buildImage();
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    presetFile = path.join(folder, '.inference-lab', 'presets', `${presetId}.json`);
    fs.mkdirSync(path.dirname(presetFile), { recursive: true });
    fs.writeFileSync(
      presetFile,
      serializePresetFile(
        { ...embeddedPreset(image), id: presetId, label: 'Embedded server (workbench test image)' },
        { labels },
      ),
    );
    ({
      api: { servers },
    } = await activateExtension<{ servers: ServersApi }>());
    const cfg = vscode.workspace.getConfiguration('inferenceLab');
    await cfg.update('discovery.enabled', false, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('inferenceLab.views.servers.focus');
  });

  after(async () => {
    const ids = await ourContainers().catch(() => []);
    if (ids.length)
      await run('docker', ['rm', '-f', '-v', ...ids]).catch((e: Error) => console.log(`cleanup: ${e.message}`));
    if (presetFile) fs.rmSync(presetFile, { force: true });
    await vscode.workspace
      .getConfiguration('inferenceLab')
      .update('discovery.enabled', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('launches the test image from a workspace preset: no pull, health waited for, ready under Containers with its models', async () => {
    port = await freePort();
    const outcome = await launch({ gpus: 'none', hostPorts: { http: port } });
    assert.equal(outcome?.status, 'ready', JSON.stringify(outcome));
    if (outcome?.status !== 'ready') return;
    name = outcome.server.containerName;
    assert.equal(outcome.server.pulled, false);
    assert.equal(outcome.server.baseUrl, `http://127.0.0.1:${port}`);
    const n = await waitFor(
      async () => {
        const x = await node(`ctr:${name}`);
        return x?.contextValue === 'container.ours.running.vllm.ready' ? x : undefined;
      },
      'the container to show ready in the tree',
      60_000,
    );
    assert.match(
      n.description!,
      new RegExp(`^ready · inference-lab-test/embedded:\\w+ · 127\\.0\\.0\\.1:${port} · CPU$`),
    );
    assert.ok(
      n.children!.some((c) => c.role === 'model'),
      JSON.stringify(n.children!.map((c) => c.id)),
    );
    const choice = (await servers.directory.list()).find((c) => c.id === `container.${name}`);
    assert.equal(choice?.status, 'ready');
    assert.ok(choice!.models.length > 0);
  });

  it('opens the request panel on the container server and follows its logs in a terminal', async () => {
    assert.ok(name, 'launched');
    const panel = await vscode.commands.executeCommand<{ state: { target: { baseUrl: string } } }>(
      'inferenceLab.containers.openRequest',
      name,
    );
    assert.equal(panel?.state.target.baseUrl, `http://127.0.0.1:${port}`);
    const pty = await vscode.commands.executeCommand<LogTerminal>('inferenceLab.containers.showLogs', `ctr:${name}`);
    await waitFor(() => pty.lines > 0, 'log lines in the terminal', 30_000);
    assert.ok(
      pty.recent.some((l) => /listening/.test(l)),
      pty.recent.join('\n'),
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('copies the launch as docker run and as a compose service, with no secret value', async () => {
    const text = await vscode.commands.executeCommand<string>('inferenceLab.containers.copyDockerRun', name);
    assert.match(text, new RegExp(`^docker run -d --name ${name}`));
    assert.match(text, new RegExp(`-p 127\\.0\\.0\\.1:${port}:18000`));
    assert.match(text, /-e HF_TOKEN \\/);
    assert.equal(await vscode.env.clipboard.readText(), text);
    const compose = await vscode.commands.executeCommand<string>('inferenceLab.containers.copyCompose', name);
    assert.match(compose, new RegExp(`container_name: ${name}`));
    assert.match(compose, /HF_TOKEN: \$\{HF_TOKEN\}/);
  });

  it('refuses a GPU request on this GPU-less engine with the clear message and the CPU retry, leaving nothing behind', async function () {
    const { stdout } = await run('docker', ['info', '--format', '{{json .Runtimes}}']);
    if (/nvidia/i.test(stdout))
      skipBecause(this, 'this engine has the NVIDIA runtime: the refusal of a GPU request cannot happen here');
    const before = await ourContainers();
    const outcome = await launch({ gpus: 'all', hostPorts: { http: await freePort() } });
    assert.equal(outcome?.status, 'failed');
    if (outcome?.status !== 'failed') return;
    assert.equal(outcome.kind, 'no-gpu-runtime');
    assert.equal(outcome.canRetryOnCpu, true);
    assert.match(outcome.message, /no GPU runtime.*Install the NVIDIA Container Toolkit.*or launch on CPU/);
    assert.deepEqual(await ourContainers(), before);
  });

  it('catches a host port that is already in use before anything is created', async () => {
    const busy = http.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    try {
      const taken = (busy.address() as AddressInfo).port;
      const outcome = await launch({ gpus: 'none', hostPorts: { http: taken } });
      assert.equal(outcome?.status, 'failed');
      assert.equal(outcome?.status === 'failed' && outcome.kind, 'port-in-use');
      assert.match(
        outcome?.status === 'failed' ? outcome.message : '',
        new RegExp(`${taken}.*already in use.*Choose another host port`),
      );
    } finally {
      busy.close();
    }
  });

  it('restarts, stops and removes the container; the tree follows the Docker event stream', async () => {
    assert.equal(await vscode.commands.executeCommand('inferenceLab.containers.restart', name), true);
    await waitFor(
      async () => (await node(`ctr:${name}`))?.contextValue === 'container.ours.running.vllm.ready',
      'ready again after the restart',
      60_000,
    );
    assert.equal(await vscode.commands.executeCommand('inferenceLab.containers.stop', name), true);
    await waitFor(
      async () => /^container\.ours\.exited\.vllm\.none$/.test((await node(`ctr:${name}`))?.contextValue ?? ''),
      'the stopped state',
      30_000,
    );
    assert.ok(
      !(await servers.directory.list()).some((c) => c.id === `container.${name}`),
      'a stopped container serves nothing',
    );
    assert.equal(
      await vscode.commands.executeCommand('inferenceLab.containers.remove', name, { confirm: false }),
      true,
    );
    await waitFor(async () => !(await node(`ctr:${name}`)), 'the node to go', 30_000);
    assert.deepEqual(await ourContainers(), []);
  });
});
