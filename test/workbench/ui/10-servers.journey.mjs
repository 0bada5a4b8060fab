// The Servers view as a user meets it: the embedded server starts with the
// view and shows every personality; the user adds a server by URL from the
// palette (the embedded vLLM personality), confirms the detected kind, sees its
// status and models; adds a dead address, reads the error by hovering; removes
// both from the context menu. The API key typed must never reach settings.json.
import fs from 'node:fs';
import path from 'node:path';
import { expandRow as expand, sidebar, sidebarRow as row } from '../../e2e/harness.mjs';

const API_KEY = 'sk-journey-0123456789';
const state = { vllmUrl: '', liveName: '', deadName: '' };

/** Drags the sidebar's right edge by `dx` pixels so descriptions fit; returns how far it moved. */
async function dragSidebarEdge(page, dx) {
  const box = await sidebar(page).boundingBox();
  const x = box.x + box.width;
  const y = box.y + box.height / 2;
  await page.mouse.move(x - 1, y);
  await page.mouse.down();
  await page.mouse.move(x - 1 + dx, y, { steps: 8 });
  await page.mouse.up();
  const after = await sidebar(page).boundingBox();
  return after.x + after.width - x;
}

/** Folds the container's other expanded views (other features' panes); returns their headers to unfold. */
async function foldOtherViews(page) {
  const headers = sidebar(page)
    .locator('.pane-header[aria-expanded="true"]')
    .filter({ hasNotText: /servers/i });
  const folded = [];
  for (let i = await headers.count(); i > 0; i--) {
    const h = headers.first();
    const label = (await h.textContent()) ?? '';
    await h.click();
    folded.push(
      sidebar(page)
        .locator('.pane-header', { hasText: label.trim().split('\n')[0] })
        .first(),
    );
  }
  return folded;
}

/** The quick input is showing an input box or a list with `text`. */
async function quickInput(page) {
  const qi = page.locator('.quick-input-widget');
  await qi.waitFor({ state: 'visible', timeout: 30000 });
  return qi;
}

/** Runs Add Server through its four steps; `kindRow` is the text of the quick-pick item to confirm. */
export async function addServer(page, H, url, kindRow, apiKey = '') {
  await H.runCommand(page, 'Inference Lab: Add Server');
  let qi = await quickInput(page);
  await qi.locator('.quick-input-title', { hasText: 'Add Server (1/4)' }).waitFor({ timeout: 10000 });
  await qi.locator('input').fill(url);
  await page.keyboard.press('Enter');
  qi = await quickInput(page);
  await qi.locator('.quick-input-title', { hasText: 'Add Server (2/4)' }).waitFor({ timeout: 30000 });
  const first = qi.locator('.monaco-list-row').first();
  await first.filter({ hasText: kindRow }).waitFor({ timeout: 10000 });
  await page.keyboard.press('Enter');
  await qi.locator('.quick-input-title', { hasText: 'Add Server (3/4)' }).waitFor({ timeout: 10000 });
  const name = await qi.locator('input').inputValue();
  await page.keyboard.press('Enter');
  await qi.locator('.quick-input-title', { hasText: 'Add Server (4/4)' }).waitFor({ timeout: 10000 });
  if (apiKey) await page.keyboard.type(apiKey);
  await page.keyboard.press('Enter');
  return name;
}

/** Hovers a row until its tooltip shows `text` (a re-render of the row can dismiss a hover). */
async function hoverText(page, r, text) {
  const hover = page.locator('.monaco-hover').filter({ hasText: text }).first();
  for (let attempt = 0; ; attempt++) {
    await page.mouse.move(900, 500);
    await r.locator('.label-name').hover();
    try {
      await hover.waitFor({ state: 'visible', timeout: 5000 });
      return (await hover.textContent()) ?? '';
    } catch (e) {
      if (attempt === 2) throw e;
    }
  }
}

async function removeByContextMenu(page, label) {
  await row(page, label).click({ button: 'right' });
  const item = page.locator('.context-view .action-label', { hasText: 'Remove Server' });
  // VS Code's menu ignores a click that comes right after it opened (it would be the right-click's own mouseup).
  await item.hover();
  await page.waitForTimeout(400);
  await item.click();
  await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Remove' }).click();
  await row(page, label).waitFor({ state: 'detached', timeout: 15000 });
}

/**
 * Add Server reveals and expands the new node once probed. Wait for that
 * rather than clicking the twistie, which can race it and fold the node again.
 */
async function expandedByAddServer(page, r) {
  await page.waitForFunction((el) => el.getAttribute('aria-expanded') === 'true', await r.elementHandle(), {
    timeout: 15000,
  });
}

export const steps = [
  {
    name: 'opening the view starts the embedded server: every personality is a ready server node',
    async run({ page, H, shot }) {
      const group = await H.openEmbeddedGroup(page);
      const personalities = sidebar(page).locator('.monaco-list-row[aria-level="2"]');
      const names = await personalities.locator('.label-name').allTextContents();
      if (names.length < 5) throw new Error(`only ${names.length} personalities under Embedded: ${names.join(', ')}`);
      // Every personality turns ready (green check) after its first probe.
      await sidebar(page)
        .locator('.monaco-list-row[aria-level="2"] .codicon-pass-filled')
        .nth(names.length - 1)
        .waitFor({ timeout: 60000 });
      // The vLLM personality's HTTP endpoint, read from the tree as a user would.
      const vllm = personalities.filter({ hasText: 'vLLM (' }).first();
      await expand(page, vllm);
      const endpointsRow = sidebar(page).locator('.monaco-list-row[aria-level="3"]', { hasText: 'Endpoints' }).first();
      await expand(page, endpointsRow);
      const http = sidebar(page).locator('.monaco-list-row[aria-level="4"]', { hasText: 'HTTP' }).first();
      state.vllmUrl = ((await http.locator('.label-description').textContent()) ?? '').trim();
      if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(state.vllmUrl))
        throw new Error(`unexpected vLLM endpoint "${state.vllmUrl}"`);
      await endpointsRow.locator('.monaco-tl-twistie').click();
      // Room for the whole tree: a tall window, a wider sidebar, the container's other views folded.
      await page.setViewportSize({ width: 1440, height: 1400 });
      const folded = await foldOtherViews(page);
      const widen = await dragSidebarEdge(page, 260);
      for (const name of names) {
        const r = personalities.filter({ hasText: name }).first();
        await r.scrollIntoViewIfNeeded();
        await expand(page, r);
      }
      await group.scrollIntoViewIfNeeded();
      await shot('10-servers-embedded-expanded');
      await group.locator('.monaco-tl-twistie').click();
      await dragSidebarEdge(page, -widen);
      for (const header of folded) await header.click();
      await page.setViewportSize({ width: 1440, height: 900 });
    },
  },
  {
    name: 'Add Server from the palette: URL typed, detected kind confirmed, the server shows ready with its models',
    async run({ page, H, shot, run }) {
      const name = (state.liveName = await addServer(page, H, state.vllmUrl, 'detected', API_KEY));
      if (!/^vLLM @ 127\.0\.0\.1:\d+$/.test(name)) throw new Error(`unexpected default name "${name}"`);
      const r = row(page, name);
      await r.locator('.codicon-pass-filled').waitFor({ timeout: 30000 });
      const description = (await r.locator('.label-description').textContent()) ?? '';
      if (!/^vLLM \S+/.test(description)) throw new Error(`description "${description}" lacks kind and version`);
      await expandedByAddServer(page, r);
      await sidebar(page).locator('.monaco-list-row', { hasText: 'tiny-llm' }).first().waitFor({ timeout: 10000 });
      await page
        .locator('.statusbar-item', { hasText: /\d+\/\d+ ready/ })
        .first()
        .waitFor({ timeout: 10000 });
      await shot('10-servers-added');
      const settings = fs.readFileSync(path.join(run.userData, 'User', 'settings.json'), 'utf8');
      if (!settings.includes(state.vllmUrl)) throw new Error('the server was not written to settings.json');
      if (settings.includes(API_KEY)) throw new Error('the API key leaked into settings.json');
      await r.locator('.monaco-tl-twistie').click();
    },
  },
  {
    name: 'an unreachable server shows its error in the tooltip',
    async run({ page, H, shot }) {
      // A port just released by the OS: nothing listens there.
      const name = (state.deadName = await addServer(
        page,
        H,
        `http://127.0.0.1:${await H.freePort()}`,
        'not reachable now',
      ));
      const r = row(page, name);
      await r.locator('.codicon-error').waitFor({ timeout: 30000 });
      // Let Add Server's own expansion settle before hovering.
      await expandedByAddServer(page, r);
      const text = await hoverText(page, r, 'Connection refused');
      if (/\bat \S+ \(.*:\d+:\d+\)/.test(text)) throw new Error(`stack trace in tooltip: ${text}`);
      if (!text.includes(name.split(':')[0])) throw new Error(`tooltip without the server address: ${text}`);
      await shot('10-servers-unreachable-tooltip');
      await page.mouse.move(900, 500);
    },
  },
  {
    name: 'both servers are removed from the context menu',
    async run({ page }) {
      await removeByContextMenu(page, state.deadName);
      await removeByContextMenu(page, state.liveName);
    },
  },
];
