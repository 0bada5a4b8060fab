// GPU containers as a user meets them: a workspace preset points at the local
// test image (Node + our CLI, built by the docker tier's builder, no registry);
// "Launch Inference Server…" from the palette, asking for all GPUs on this
// GPU-less engine, gives the clear message with its "Launch on CPU" button;
// one click launches on CPU and the server shows ready under Containers. The
// logs follow in a terminal, and Remove (confirmed) takes the container away.
// Every container started here carries a run label and is removed at exit,
// whatever happened. Skipped, with the reason printed, when no engine answers.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildTestImage, ensureEngine } from '../../docker/setup.mjs';
import { expandRow as expand, sidebarRow as row } from '../../e2e/harness.mjs';

const presetId = 'journey-embedded';
const state = { skip: '', port: 0, name: '', runLabel: `journey-${process.pid}-${Date.now()}`, stopEngine: undefined };

function removeOurs() {
  const r = spawnSync('docker', ['ps', '-aq', '--filter', `label=inference-lab.test.run=${state.runLabel}`], {
    encoding: 'utf8',
  });
  const ids = (r.stdout || '').split('\n').filter(Boolean);
  if (ids.length) spawnSync('docker', ['rm', '-f', '-v', ...ids], { stdio: 'ignore' });
  return ids.length;
}
// run.mjs ends with process.exit: only synchronous work runs then, which is what this is.
process.once('exit', () => {
  removeOurs();
  void state.stopEngine?.();
});

/**
 * The preset file as the extension saves it (`.inference-lab/presets/<id>.json`), written by the
 * core's serializer from the docker tier's preset for the test image (the embedded server's vLLM
 * personality on 18000), so the journey and the docker tier launch the same thing.
 */
function writePresetFile(root, dir, image, id, label, overrides = {}) {
  const options = { pull: 'never', labels: { 'inference-lab.test': '1', 'inference-lab.test.run': state.runLabel } };
  const script = [
    "const { embeddedPreset } = require('./test/docker/helpers.ts');",
    "const { serializePresetFile } = require('./src/core/docker/presets/presetFile.ts');",
    'const [image, id, label, overrides, options] = process.argv.slice(1);',
    'process.stdout.write(serializePresetFile({ ...embeddedPreset(image, JSON.parse(overrides)), id, label }, JSON.parse(options)));',
  ].join('\n');
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '-e', script, image, id, label, JSON.stringify(overrides), JSON.stringify(options)],
    { cwd: root, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`writing the preset file failed: ${r.stderr}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${id}.json`), r.stdout);
}

async function quickInput(page, title) {
  const qi = page.locator('.quick-input-widget');
  await qi.locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 30000 });
  return qi;
}

/** "Launch Inference Server…" from the palette: preset, GPU choice and host port typed, then Launch on the review step. */
async function launchFromPalette(page, H, preset, gpus, port) {
  await H.runCommand(page, 'Inference Lab: Launch Inference Server');
  let qi = await quickInput(page, 'Launch Inference Server: server');
  await page.keyboard.type(preset);
  await qi.locator('.monaco-list-row', { hasText: preset }).first().waitFor({ timeout: 30000 });
  await page.keyboard.press('Enter');
  qi = await quickInput(page, ': GPUs');
  await qi.locator('.monaco-list-row', { hasText: 'none (CPU)' }).first().waitFor({ timeout: 30000 });
  await page.keyboard.type(gpus);
  await page.keyboard.press('Enter');
  qi = await quickInput(page, ': host port');
  await qi.locator('input').fill(String(port));
  await page.keyboard.press('Enter');
  qi = await quickInput(page, ': review');
  await qi.locator('.monaco-list-row', { hasText: 'Launch' }).first().waitFor({ timeout: 10000 });
  await page.keyboard.press('Enter');
}

/** Runs a context-menu item of a tree row; a click that lands while the menu is still opening is ignored by it, so it is repeated. */
async function contextMenu(page, rowText, item) {
  await row(page, rowText).click({ button: 'right' });
  const action = page.locator('.context-view .action-label', { hasText: item });
  await action.waitFor({ timeout: 10000 });
  await page.waitForTimeout(300);
  for (let attempt = 0; attempt < 3; attempt++) {
    await action.click();
    try {
      await action.waitFor({ state: 'hidden', timeout: 2000 });
      return;
    } catch {
      // still open: click again
    }
  }
  throw new Error(`the context menu did not run "${item}"`);
}

export const steps = [
  {
    name: 'the local test image is built and a workspace preset points at it',
    async run({ run, root, H, skip }) {
      try {
        state.stopEngine = await ensureEngine();
      } catch (e) {
        state.skip = `no Docker engine can be reached: ${e.message.split('\n')[0]}`;
        return skip(state.skip);
      }
      const built = await buildTestImage(root);
      if (!built.serveAvailable) throw new Error('the CLI in the test image has no serve command');
      const dir = path.join(run.workspace, '.inference-lab', 'presets');
      writePresetFile(root, dir, built.image, presetId, 'Embedded server (journey test image)');
      // A server whose health check never passes, to cancel while the launch waits for it.
      const health = { port: 'http', path: '/never-ready', expectStatus: 200, timeoutMs: 600000 };
      writePresetFile(root, dir, built.image, 'journey-never-ready', 'Never ready (journey test image)', { health });
      state.port = await H.freePort();
      state.name = `inference-lab-${presetId}-${state.port}`;
    },
  },
  {
    name: 'Launch Inference Server from the palette: all GPUs on this GPU-less engine gives the clear message, Launch on CPU brings the server up ready',
    async run({ page, H, shot, skip }) {
      if (state.skip) return skip(state.skip);
      await H.openInferenceLabView(page);
      await launchFromPalette(page, H, 'journey test image', 'All GPUs', state.port);
      const toast = page.locator('.notification-toast', { hasText: 'no GPU runtime' }).first();
      await toast.waitFor({ timeout: 60000 });
      const text = (await toast.textContent()) ?? '';
      if (!/NVIDIA Container Toolkit.*or launch on CPU/.test(text)) throw new Error(`unexpected message: ${text}`);
      await shot('40-containers-gpu-error');
      await toast.hover();
      await toast.locator('.monaco-button', { hasText: 'Launch on CPU' }).first().click();
      await page
        .locator('.notification-toast', { hasText: `${state.name} is ready at http://127.0.0.1:${state.port}` })
        .first()
        .waitFor({ timeout: 180000 });
      // Earlier journeys may leave the embedded server's personalities expanded; the tree only
      // renders rows in view, so fold that group to bring the container rows into it.
      const embedded = row(page, 'Embedded');
      if ((await embedded.getAttribute('aria-expanded')) === 'true')
        await embedded.locator('.monaco-tl-twistie').click();
      const group = row(page, 'Containers');
      await group.waitFor({ timeout: 30000 });
      await expand(page, group);
      const container = row(page, state.name);
      await container.scrollIntoViewIfNeeded();
      await container.locator('.codicon-pass-filled').waitFor({ timeout: 60000 });
      const description = (await container.locator('.label-description').textContent()) ?? '';
      if (!/^ready · inference-lab-test\/embedded:\w+ · 127\.0\.0\.1:\d+ · CPU$/.test(description.trim()))
        throw new Error(`unexpected description "${description}"`);
      await expand(page, container);
      await row(page, /Image\s*inference-lab-test/).waitFor({ timeout: 10000 });
      await shot('40-containers-launched');
    },
  },
  {
    name: 'Show Container Logs from the context menu follows the logs in a terminal',
    async run({ page, shot, H, skip }) {
      if (state.skip) return skip(state.skip);
      await contextMenu(page, state.name, 'Show Container Logs');
      // The terminal draws on a canvas: its title and screen are what the page can check; the
      // extension-host suite checks the lines themselves.
      await page
        .locator('.part.panel', { hasText: `Logs: ${state.name}` })
        .first()
        .waitFor({ timeout: 30000 });
      await page.locator('.part.panel .xterm-screen').first().waitFor({ timeout: 30000 });
      await page.waitForTimeout(1500);
      await shot('40-containers-logs');
      // Hide the panel again: with the terminal focused, tree context menus do not take clicks reliably.
      await H.runCommand(page, 'View: Hide Panel');
      await page.locator('.part.panel').waitFor({ state: 'hidden', timeout: 10000 });
    },
  },
  {
    name: 'Cancel on the progress notification while the launch waits for health stops it and leaves no container',
    async run({ page, H, shot, skip }) {
      if (state.skip) return skip(state.skip);
      await launchFromPalette(page, H, 'never ready', 'none (CPU)', await H.freePort());
      const toast = page.locator('.notification-toast', { hasText: 'Waiting for' }).first();
      await toast.waitFor({ timeout: 60000 });
      await shot('40-containers-health-wait');
      await toast.hover();
      await toast.locator('.monaco-button', { hasText: 'Cancel' }).first().click();
      await page
        .locator('.notification-toast', { hasText: 'was cancelled; nothing was left behind' })
        .first()
        .waitFor({ timeout: 60000 });
      const r = spawnSync('docker', ['ps', '-aq', '--filter', 'name=inference-lab-journey-never-ready'], {
        encoding: 'utf8',
      });
      if (r.stdout.trim()) throw new Error(`the cancelled launch left container(s) ${r.stdout.trim()}`);
    },
  },
  {
    name: 'Remove Container from the context menu, confirmed, takes the container off the tree and the engine',
    async run({ page, shot, skip }) {
      if (state.skip) return skip(state.skip);
      await contextMenu(page, state.name, 'Remove Container');
      await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Remove' }).click();
      await row(page, state.name).waitFor({ state: 'detached', timeout: 30000 });
      await shot('40-containers-removed');
      const left = removeOurs();
      if (left) throw new Error(`${left} container(s) of this journey were still there`);
      await state.stopEngine?.();
      state.stopEngine = undefined;
    },
  },
];
