// Workbench harness: an isolated code-server (real VS Code 1.100.3 workbench,
// Node extension host) on 127.0.0.1, driven by Debian's Chromium through
// playwright-core. Every run gets fresh user data, extensions, workspace and
// browser profile, and everything started is ended by process group.
//
// Env: E2E_HOME (install dir of install.sh), CODE_SERVER_BIN, CHROMIUM_PATH,
//      E2E_KEEP=1 keeps the run dir (failed runs keep it automatically).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { chromium } from 'playwright-core';

export const E2E_HOME = process.env.E2E_HOME || path.join(process.env.TMPDIR || os.tmpdir(), 'inference-lab-e2e');
export const CODE_SERVER_BIN =
  process.env.CODE_SERVER_BIN || path.join(E2E_HOME, 'code-server', 'node_modules', '.bin', 'code-server');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const EXTENSION_ID = 'inference-lab.inference-lab';

const T0 = Date.now();
export const log = (msg) => console.log(`[workbench +${((Date.now() - T0) / 1000).toFixed(1)}s] ${msg}`);

/** Settings that make a fresh profile quiet and deterministic. */
export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.commandCenter.enabled': false,
  'window.commandCenter': false,
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh directory tree for one run. `settings` are merged over the defaults. */
export function makeRunDir(prefix = 'run-', settings = {}) {
  const root = path.join(E2E_HOME, 'runs');
  fs.mkdirSync(root, { recursive: true });
  const dir = fs.mkdtempSync(path.join(root, prefix));
  const d = {
    dir,
    userData: path.join(dir, 'user-data'),
    extensions: path.join(dir, 'extensions'),
    workspace: path.join(dir, 'workspace'),
    browserProfile: path.join(dir, 'chromium-profile'),
    config: path.join(dir, 'config.yaml'),
    xdgConfig: path.join(dir, 'xdg-config'),
    xdgData: path.join(dir, 'xdg-data'),
    serverLog: path.join(dir, 'code-server.log'),
  };
  for (const k of ['userData', 'extensions', 'workspace', 'browserProfile']) fs.mkdirSync(d[k], { recursive: true });
  fs.mkdirSync(path.join(d.userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(d.userData, 'User', 'settings.json'),
    JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 2),
  );
  // An explicit config keeps code-server from writing ~/.config/code-server/config.yaml.
  fs.writeFileSync(d.config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  return d;
}

function csEnv(run) {
  // XDG dirs keep every file of a run inside the run dir; EXTENSIONS_GALLERY={}
  // disables the marketplace (unreachable here, it would log ENOTFOUND errors).
  return {
    ...process.env,
    XDG_CONFIG_HOME: run.xdgConfig,
    XDG_DATA_HOME: run.xdgData,
    XDG_CACHE_HOME: path.join(run.dir, 'xdg-cache'),
    EXTENSIONS_GALLERY: process.env.EXTENSIONS_GALLERY ?? '{}',
  };
}

export function installVsix(run, vsix) {
  if (!fs.existsSync(vsix)) throw new Error(`vsix not found: ${vsix}`);
  const r = spawnSync(
    CODE_SERVER_BIN,
    [
      '--config',
      run.config,
      '--user-data-dir',
      run.userData,
      '--extensions-dir',
      run.extensions,
      '--install-extension',
      path.resolve(vsix),
      '--force',
    ],
    {
      env: csEnv(run),
      encoding: 'utf8',
    },
  );
  if (r.status !== 0 || !/successfully installed/.test(r.stdout || '')) {
    process.stderr.write(`${r.stdout || ''}${r.stderr || ''}`);
    throw new Error(`code-server --install-extension failed (exit ${r.status})`);
  }
}

/** Starts code-server; resolves once /healthz answers. */
export async function startCodeServer(run, { timeoutMs = 60000, port: wanted } = {}) {
  if (!fs.existsSync(CODE_SERVER_BIN))
    throw new Error(`code-server not found at ${CODE_SERVER_BIN}; run test/e2e/install.sh`);
  const port = wanted ?? (await freePort());
  const out = fs.openSync(run.serverLog, 'a');
  const args = [
    '--config',
    run.config,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    run.userData,
    '--extensions-dir',
    run.extensions,
    run.workspace,
  ];
  // detached: own process group, so stop() ends code-server with its extension host and watchers.
  const child = spawn(CODE_SERVER_BIN, args, { env: csEnv(run), stdio: ['ignore', out, out], detached: true });
  fs.closeSync(out);
  let exited = null;
  child.on('exit', (code, sig) => {
    exited = { code, sig };
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`code-server exited early (${JSON.stringify(exited)}); see ${run.serverLog}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`code-server did not answer on ${base} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const groupAlive = () => {
    try {
      process.kill(-child.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const stop = async () => {
    if (!groupAlive()) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
    for (let i = 0; i < 50 && groupAlive(); i++) await new Promise((r) => setTimeout(r, 100));
    if (groupAlive()) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  };
  return { port, base, pid: child.pid, stop, child };
}

/** Headless Debian Chromium with a fresh profile. */
export async function launchBrowser(run, { width = 1440, height = 900 } = {}) {
  const context = await chromium.launchPersistentContext(run.browserProfile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    // Without the background-networking flags Chromium keeps dialling hosts this closed network refuses.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width, height },
    env: { ...process.env, XDG_CONFIG_HOME: run.xdgConfig, XDG_CACHE_HOME: path.join(run.dir, 'xdg-cache') },
  });
  const page = context.pages()[0] || (await context.newPage());
  return { context, page };
}

/** URL of the workbench with a folder and optional dev-extension/test payload. */
export function workbenchUrl(server, run, payload = []) {
  const q = `folder=${encodeURIComponent(run.workspace)}`;
  return payload.length
    ? `${server.base}/?${q}&payload=${encodeURIComponent(JSON.stringify(payload))}`
    : `${server.base}/?${q}`;
}

/**
 * Runs extension-host test suites: the workbench's `payload` query parameter
 * carries extensionDevelopmentPath/extensionTestsPath as vscode-remote:// URIs
 * (authority = the host:port the browser uses), the remote extension host
 * require()s the tests module and calls run(); the workbench reports the exit
 * code through window.codeAutomationExit and every log line (ext host console
 * included) through window.codeAutomationLog.
 */
export async function runExtensionTests({ devPath, testsPath, settings = {}, timeoutSec = 600, shot, env = {} }) {
  const run = makeRunDir('exttest-', settings);
  let server;
  let context;
  let code = 3;
  const saved = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  try {
    server = await startCodeServer(run);
    ({ context } = await launchBrowser(run));
    const page = context.pages()[0];
    let resolveExit;
    const exited = new Promise((r) => {
      resolveExit = r;
    });
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const parts = Array.isArray(args) ? args : [args];
      const text = util.format(...parts.map((a) => (a && typeof a === 'object' && 'stack' in a ? a.stack : a)));
      if (workbenchChatter.test(text)) return;
      if (type === 'info' || type === 'log') console.log(text);
      else if (!/vsda|Failed to load resource/.test(text)) console.log(`[${type}] ${text}`);
    });
    await page.exposeFunction('codeAutomationExit', (c) => resolveExit(c));
    const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    await page.goto(
      workbenchUrl(server, run, [
        ['extensionDevelopmentPath', remote(devPath)],
        ['extensionTestsPath', remote(testsPath)],
      ]),
    );
    const result = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), timeoutSec * 1000))]);
    if (shot) await page.screenshot({ path: shot }).catch(() => {});
    code = result === 'timeout' ? 3 : Number(result);
    if (result === 'timeout') log(`TIMEOUT: the extension tests did not finish within ${timeoutSec}s`);
  } finally {
    if (context) await context.close().catch(() => {});
    if (server) await server.stop();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    if (code !== 0 || process.env.E2E_KEEP === '1') log(`kept run dir ${run.dir}`);
    else fs.rmSync(run.dir, { recursive: true, force: true });
  }
  return code;
}

// ---- UI helpers -------------------------------------------------------------------
/** Runs a palette entry by its visible "<Category>: <Title>" label. */
export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const qi = page.locator('.quick-input-widget');
  await qi.waitFor({ state: 'visible' });
  await page.keyboard.type(title);
  await qi.locator('.monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** The content frame of the visible webview of our extension (two nested iframes). */
export function webviewFrame(page) {
  return page
    .frameLocator(`iframe.webview.ready[src*="extensionId=${EXTENSION_ID}"] >> visible=true`)
    .frameLocator('iframe#active-frame');
}

/** Opens our activity-bar container and waits for the Servers view. */
export async function openInferenceLabView(page) {
  const icon = page.locator('.activitybar a[aria-label="Inference Lab"]');
  await icon.waitFor({ timeout: 90000 });
  // With one view the container shows "INFERENCE LAB: SERVERS" as its title; with several, pane headers.
  const header = page
    .locator('.part.sidebar .composite.title, .part.sidebar .pane-header', { hasText: /servers/i })
    .first();
  if (!(await header.isVisible().catch(() => false))) await icon.click();
  await header.waitFor({ timeout: 30000 });
}

/** The side bar (where our views show). */
export const sidebar = (page) => page.locator('.part.sidebar');

/** The first side-bar tree row whose text contains `text` (a string or RegExp). */
export const sidebarRow = (page, text) => sidebar(page).locator('.monaco-list-row', { hasText: text }).first();

/** Expands a collapsed tree row (a click on its twistie toggles it) and waits until it shows expanded. */
export async function expandRow(page, r) {
  if ((await r.getAttribute('aria-expanded')) === 'false') {
    await r.locator('.monaco-tl-twistie').click();
    await page.waitForFunction((el) => el.getAttribute('aria-expanded') === 'true', await r.elementHandle(), {
      timeout: 10000,
    });
  }
}

/** Opens the Servers view, waits until the Embedded group lists its personalities, expands it and returns its row. */
export async function openEmbeddedGroup(page) {
  await openInferenceLabView(page);
  const group = sidebarRow(page, 'Embedded');
  await group.filter({ hasText: 'personalities' }).waitFor({ timeout: 60000 });
  await expandRow(page, group);
  return group;
}

/** Workbench chatter that says nothing about the extension under test. */
const workbenchChatter =
  /^(Resolving connection token|Resolved connection token|Creating a socket|\[Service Worker\]|ChatSessionStore|Ignoring fetching additional builtin|Updating additional builtin|Started local extension host|Loading development extension)/;

export const isKnownNoise = (text) =>
  /vsda|Failed to load resource: the server responded with a status of 404|same-origin iframe/.test(text);

export function cleanupRun(run, failed) {
  if (failed || process.env.E2E_KEEP === '1') {
    log(`kept run dir ${run.dir}`);
    return;
  }
  fs.rmSync(run.dir, { recursive: true, force: true });
}
