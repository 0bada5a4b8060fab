#!/usr/bin/env node
// Workbench tier: the extension inside the real VS Code workbench (code-server
// 4.100.3 = VS Code 1.100.3) driven by headless Debian Chromium.
//   1. build (extension, webviews, CLI, extension-host suites) and package the .vsix;
//      check the .vsix holds only what ships
//   2. extension-host suites (mocha inside the extension host, loaded from source)
//   3. UI journeys that click like a user on the installed .vsix, with screenshots
// usage: node test/workbench/run.mjs [--only ext|ui|package] [--journey substr] [--suites a,b]
// Env: SKIP_E2E_INSTALL=1 skips test/e2e/install.sh; SCREENSHOT_DIR (default test-results/screenshots).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as H from '../e2e/harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const opt = (n) => {
  const i = args.indexOf(n);
  return i >= 0 ? args[i + 1] : undefined;
};
const only = opt('--only');
const journeyFilter = opt('--journey');
const shotDir = path.resolve(root, process.env.SCREENSHOT_DIR || 'test-results/screenshots');
fs.mkdirSync(shotDir, { recursive: true });

const sh = (cmd, cmdArgs, extra = {}) => {
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', ...extra });
  if (r.status !== 0) throw new Error(`${cmd} ${cmdArgs.join(' ')} failed with exit ${r.status}`);
};

let passed = 0;
let failed = 0;
const skipped = [];
const results = [];
const record = (name, ok, detail = '') => {
  if (ok) passed++;
  else failed++;
  results.push({ name, ok, detail });
  H.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
};
// Under CI=true nothing is skipped silently: a skipped journey step fails the tier, named with its reason.
const ci = process.env.CI === 'true';

if (process.env.SKIP_E2E_INSTALL !== '1') sh('bash', ['test/e2e/install.sh']);
sh(process.execPath, ['esbuild.mjs', '--tests']);

// 1. Package and check the .vsix contents.
const vsix = path.join(root, 'dist-vsix', 'inference-lab.vsix');
if (!only || only === 'package' || only === 'ui') {
  const { checkVsix } = await import('./packageCheck.mjs');
  try {
    // The README's own command, from a state like a fresh clone's (no dist-vsix/): it must create what it writes into.
    fs.rmSync(path.dirname(vsix), { recursive: true, force: true });
    sh('npm', ['run', '--silent', 'package'], { stdio: ['ignore', 'inherit', 'inherit'] });
    const problems = checkVsix(vsix);
    record(
      'package: .vsix holds only dist/, media/, snippets/ and the manifest files',
      problems.length === 0,
      problems.join('; '),
    );
  } catch (e) {
    record('package: vsce package', false, String(e.message || e));
  }
  // The dev build (with source maps) is what the extension-host suites load.
  sh(process.execPath, ['esbuild.mjs', '--tests']);
}

// What the suites and journeys need is started before any of them runs: the Docker engine for
// "GPU containers" (the docker tier, run before this one, stops the dockerd it started).
let stopEngine;
if (!only || only === 'ext' || only === 'ui') {
  const { ensureEngine } = await import('../docker/setup.mjs');
  try {
    stopEngine = await ensureEngine();
    H.log(stopEngine ? 'started dockerd for the suites and journeys' : 'a Docker engine is already running');
  } catch (e) {
    // The suites and journeys that need it say so (and fail under CI=true).
    H.log(`no Docker engine: ${String(e.message || e).split('\n')[0]}`);
  }
}

// 2. Extension-host suites.
if (!only || only === 'ext') {
  const code = await H.runExtensionTests({
    devPath: root,
    testsPath: path.join(root, 'out', 'test', 'workbench', 'suite', 'index.js'),
    shot: path.join(shotDir, 'ext-host-suites.png'),
    env: opt('--suites') ? { INFERENCE_LAB_SUITES: opt('--suites') } : {},
  });
  record('extension-host suites (see their own counts above)', code === 0, code === 0 ? '' : `exit code ${code}`);
}

// 3. UI journeys on the installed .vsix, one workbench for all of them, in file order.
if ((!only || only === 'ui') && fs.existsSync(vsix)) {
  const dir = path.join(root, 'test', 'workbench', 'ui');
  const journeys = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.journey.mjs'))
    .filter((f) => !journeyFilter || f.includes(journeyFilter))
    .sort();
  const run = H.makeRunDir('ui-', { 'inferenceLab.discovery.enabled': false });
  let server;
  let context;
  const pageErrors = [];
  let uiFailed = false;
  try {
    H.installVsix(run, vsix);
    server = await H.startCodeServer(run);
    let page;
    ({ context, page } = await H.launchBrowser(run));
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !H.isKnownNoise(m.text())) pageErrors.push(m.text());
    });
    await page.goto(H.workbenchUrl(server, run));
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 90000 });
    const shot = async (name) => {
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(shotDir, `${name}.png`) });
    };
    for (const f of journeys) {
      const mod = await import(path.join(dir, f));
      for (const step of mod.steps) {
        const t = Date.now();
        const name = `ui ${f.replace('.journey.mjs', '')}: ${step.name}`;
        let skipReason;
        const skip = (reason) => void (skipReason = reason);
        try {
          await step.run({ page, server, run, shot, H, root, skip });
          if (skipReason !== undefined) {
            skipped.push(`${name} (${skipReason})`);
            if (ci) record(name, false, `skipped under CI=true: ${skipReason}`);
            else H.log(`skip ${name} — ${skipReason}`);
          } else record(name, true, `${Date.now() - t} ms`);
        } catch (e) {
          uiFailed = true;
          record(`ui ${f.replace('.journey.mjs', '')}: ${step.name}`, false, String(e.message || e).split('\n')[0]);
          await page
            .screenshot({ path: path.join(shotDir, `failure-${f.replace('.journey.mjs', '')}.png`) })
            .catch(() => {});
          await page.keyboard.press('Escape').catch(() => {});
          break; // later steps of the same journey depend on this one
        }
      }
    }
  } catch (e) {
    uiFailed = true;
    record('ui: workbench start', false, String(e.message || e).split('\n')[0]);
  } finally {
    if (context) await context.close().catch(() => {});
    if (server) await server.stop();
    if (uiFailed && fs.existsSync(run.serverLog))
      console.error(fs.readFileSync(run.serverLog, 'utf8').split('\n').slice(-30).join('\n'));
    H.cleanupRun(run, uiFailed);
  }
  if (pageErrors.length)
    H.log(`browser console errors (not failures): ${pageErrors.length}; first: ${pageErrors[0].slice(0, 300)}`);
  H.log(
    `screenshots in ${path.relative(root, shotDir)}: ${fs
      .readdirSync(shotDir)
      .filter((f) => f.endsWith('.png'))
      .sort()
      .join(', ')}`,
  );
}

await stopEngine?.();
console.log(
  `workbench: ${passed} passed, ${failed} failed, ${skipped.length} skipped${skipped.length ? `: ${skipped.join('; ')}` : ''}`,
);
process.exit(failed ? 1 : 0);
