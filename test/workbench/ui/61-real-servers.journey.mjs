// Real NVIDIA Triton (PyTriton 0.5 bundling tritonserver 2.51.0) and real TorchServe 0.12.0 met the way a user
// meets them: each is added by URL with Add Server, the tree's kind, version, models and health are compared with
// the server's own API, and one request from the request panel goes to each (a KServe v2 infer of Triton's BYTES
// model; a PNG file to TorchServe's image classifier, whose top-5 must equal the server's own JSON answer for the
// same bytes). Both servers are set up and started by the real-servers tier's registry (test/real/serve.ts: venvs
// cached outside the repository, readiness as the tier waits for it) and stopped at the end, also when a step fails.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expandRow as expand, sidebar, sidebarRow as row } from '../../e2e/harness.mjs';
import { addServer } from './10-servers.journey.mjs';
import { pickInFileDialog, pngBytes } from './20-request.journey.mjs';

/** name → { proc, info: { url, port, grpcAddress?, metricsUrl? }, row } */
const servers = {};

function stopAll() {
  for (const s of Object.values(servers))
    if (s.proc && s.proc.exitCode === null) {
      try {
        process.kill(-s.proc.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
    }
}
process.on('exit', stopAll);

/** Starts one server through the registry; resolves with what serve.ts printed once it is ready. */
function serve(root, name) {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join('test', 'real', 'serve.ts'), name], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  servers[name] = { proc };
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => (err = (err + d).slice(-4000)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready within 25 min: ${err}`)), 25 * 60_000);
    proc.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      const info = JSON.parse(line);
      if (info.error) reject(new Error(`${name} could not be set up or started: ${info.error}`));
      else resolve((servers[name].info = info));
    });
    proc.once('exit', (code) => reject(new Error(`${name}: serve.ts exited ${code}: ${err}`)));
  });
}

const getJson = async (url, init) => {
  const r = await fetch(url, init);
  if (!r.ok) throw new Error(`${init?.method ?? 'GET'} ${url} → ${r.status}`);
  return r.json();
};

const level2 = (page, text) => sidebar(page).locator('.monaco-list-row[aria-level="2"]', { hasText: text }).first();

async function description(r) {
  return ((await r.locator('.label-description').first().textContent()) ?? '').trim();
}

/** Adds the server by URL, waits for it to probe ready and checks the row's kind and version. */
async function addAndCheck(page, H, url, expected) {
  const name = await addServer(page, H, url, 'detected');
  const r = row(page, name);
  await r.locator('.codicon-pass-filled').waitFor({ timeout: 60000 });
  const desc = await description(r);
  if (desc !== expected) throw new Error(`server row says "${desc}", the server's own API says "${expected}"`);
  if ((await r.getAttribute('aria-expanded')) !== 'true') await expand(page, r);
  return name;
}

/** A server row's tooltip may still cover the rows below it. */
async function clearHover(page) {
  await page.mouse.move(900, 500);
  await page.locator('.monaco-hover').first().waitFor({ state: 'hidden', timeout: 5000 });
}

async function newRequestOn(page, modelRow, model) {
  await clearHover(page);
  await modelRow.hover();
  await modelRow.locator('.action-label[aria-label^="New Request"]').click();
  await page.locator('.tabs-container .tab', { hasText: `Request: ${model}` }).waitFor({ timeout: 30000 });
}

/** The Requests (total) gauge row equals Σ nv_inference_request_success + failure of the server's /metrics. */
async function requestsMatch(page, totalRow, metricsUrl, atLeast) {
  let shown = '';
  let sum = -1;
  for (let i = 0; i < 40; i++) {
    const text = await (await fetch(metricsUrl)).text();
    sum = [...text.matchAll(/^nv_inference_request_(?:success|failure)\{[^}]*\} (\S+)$/gm)].reduce(
      (a, m) => a + Number(m[1]),
      0,
    );
    shown = await description(totalRow);
    if (Number(shown.replace(/[^\d.]/g, '')) === sum && sum >= atLeast) return;
    await page.waitForTimeout(500);
  }
  throw new Error(`Requests (total) shows "${shown}", the server's nv_inference_request_* sum to ${sum}`);
}

async function closeEditors(page, H) {
  await H.runCommand(page, 'View: Close All Editors');
}

export const steps = [
  {
    name: 'real Triton (PyTriton) and real TorchServe start through the real tier registry; Add Server by URL detects Triton with the version GET /v2 names',
    async run({ page, H, root, shot }) {
      // One after the other: each picks free ports once the other's are bound (started together, TorchServe's
      // gRPC port could be the one Triton was about to take, and TorchServe stopped).
      const triton = await serve(root, 'pytriton');
      const torchserve = await serve(root, 'torchserve');
      const v2 = await getJson(`${triton.url}/v2`);
      await H.openInferenceLabView(page);
      servers.pytriton.row = await addAndCheck(page, H, triton.url, `Triton ${v2.version}`);
      // PyTriton guards the repository API (it answers 403 "This API is restricted"), so the tree says how to go on.
      await level2(page, 'restricts its model-repository API').waitFor({ timeout: 15000 });
      servers.torchserve.info = torchserve;
      await shot('61-real-triton-added');
    },
  },
  {
    name: "Edit Server… → Model names lists Triton's models; each one's readiness equals its GET /v2/models/<m>/ready; gauges equal its /metrics",
    async run({ page, H, shot }) {
      const { url, metricsUrl } = servers.pytriton.info;
      const names = ['image', 'text', 'words'];
      await row(page, servers.pytriton.row).click({ button: 'right' });
      const item = page.locator('.context-view .action-label', { hasText: 'Edit Server' });
      await item.hover();
      await page.waitForTimeout(400);
      await item.click();
      const qi = page.locator('.quick-input-widget');
      await qi.locator('.monaco-list-row', { hasText: 'Model names' }).first().click();
      await qi.locator('.quick-input-title', { hasText: 'model names' }).waitFor({ timeout: 10000 });
      await qi.locator('input').fill(names.join(', '));
      await page.keyboard.press('Enter');
      for (const m of names) {
        const ready = (await fetch(`${url}/v2/models/${m}/ready`)).status === 200;
        const r = level2(page, m);
        await r.waitFor({ timeout: 30000 });
        const desc = await description(r);
        if (!desc.startsWith(ready ? 'ready' : 'not ready'))
          throw new Error(`model ${m}: tree says "${desc}", GET /v2/models/${m}/ready says ready=${ready}`);
      }
      const metrics = level2(page, 'Metrics');
      await expand(page, metrics);
      const total = sidebar(page).locator('.monaco-list-row[aria-level="3"]', { hasText: 'Requests (total)' }).first();
      await total.waitFor({ timeout: 15000 });
      await requestsMatch(page, total, metricsUrl, 0);
      await shot('61-real-triton-tree');
    },
  },
  {
    name: "New Request… on Triton's BYTES model: the KServe v2 infer answers 200 and the panel's output equals the server's own answer to the same body",
    async run({ page, H, shot }) {
      const { url } = servers.pytriton.info;
      await newRequestOn(page, level2(page, 'text'), 'text');
      const wv = H.webviewFrame(page);
      await wv.locator('#template-select').waitFor({ timeout: 30000 });
      await wv.locator('#send').click();
      await wv.locator('#response[aria-busy="false"] #status-badge', { hasText: '200' }).waitFor({ timeout: 60000 });
      const tensors = ((await wv.locator('#tensors').textContent()) ?? '').trim();
      await shot('61-real-triton-infer');
      await wv.locator('vscode-tab-header[data-tab="request"]').click();
      const sent = JSON.parse(((await wv.locator('#sent pre').first().textContent()) ?? '').trim());
      const direct = await getJson(`${url}/v2/models/text/infer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(sent),
      });
      const upper = direct.outputs.find((o) => o.name === 'upper');
      const input = sent.inputs[0].data.flat(Infinity);
      if (upper.data.join() !== input.map((s) => String(s).toUpperCase()).join())
        throw new Error(`server answered ${JSON.stringify(upper.data)} to ${JSON.stringify(input)}`);
      for (const v of upper.data)
        if (!tensors.includes(v)) throw new Error(`the panel's tensors "${tensors}" lack the server's "${v}"`);
      // After a refresh the tree counts both requests (the panel's and the direct one), as the server does.
      await H.runCommand(page, 'Inference Lab: Refresh Servers');
      const total = sidebar(page).locator('.monaco-list-row[aria-level="3"]', { hasText: 'Requests (total)' }).first();
      await requestsMatch(page, total, servers.pytriton.info.metricsUrl, 2);
      await closeEditors(page, H);
    },
  },
  {
    name: 'Add Server by URL detects TorchServe with the version of its /api-description; models and workers equal its management API',
    async run({ page, H, shot }) {
      const { url, port } = servers.torchserve.info;
      const api = await getJson(`${url}/api-description`);
      // Triton's rows close, so that the model rows below are TorchServe's (both serve a model named "image").
      const tritonRow = row(page, servers.pytriton.row);
      await tritonRow.click();
      await page.keyboard.press('ArrowLeft');
      await sidebar(page)
        .locator('.monaco-list-row[aria-level="2"]', { hasText: 'words' })
        .waitFor({ state: 'detached' });
      servers.torchserve.row = await addAndCheck(page, H, url, `TorchServe ${api.info.version}`);
      const listed = await getJson(`http://127.0.0.1:${port + 1}/models`);
      for (const { modelName } of listed.models) {
        const [d] = await getJson(`http://127.0.0.1:${port + 1}/models/${modelName}`);
        const ready = d.workers.filter((w) => w.status === 'READY').length;
        const want = `ready · v${d.modelVersion}`;
        const desc = await description(level2(page, modelName));
        if (desc !== want || ready < 1)
          throw new Error(
            `model ${modelName}: tree "${desc}", management API ${ready} READY worker(s), v${d.modelVersion}`,
          );
      }
      await clearHover(page);
      await shot('61-real-torchserve-tree');
    },
  },
  {
    name: "New Request… on TorchServe's image model with a PNG file: the top-5 shown equals the server's JSON answer for the same bytes",
    async run({ page, H, shot, run: runDir }) {
      const { url } = servers.torchserve.info;
      const file = path.join(runDir.workspace, 'gradient.png');
      fs.writeFileSync(file, pngBytes(64, 48));
      await newRequestOn(page, level2(page, 'image'), 'image');
      const wv = H.webviewFrame(page);
      await wv.locator('#template-select').waitFor({ timeout: 30000 });
      await wv.locator('vscode-radio[value="file"]').click();
      const choose = wv.locator('vscode-button', { hasText: 'Choose file' });
      await choose.waitFor({ timeout: 10000 });
      await choose.click();
      await pickInFileDialog(page, file);
      await wv.locator('#send').click();
      await wv.locator('#response[aria-busy="false"] #status-badge', { hasText: '200' }).waitFor({ timeout: 60000 });
      const rows = await wv
        .locator('#topk-table vscode-table-row')
        .evaluateAll((trs) =>
          trs.map((tr) => [...tr.querySelectorAll('vscode-table-cell')].slice(0, 2).map((td) => td.textContent.trim())),
        );
      await shot('61-real-torchserve-top5');
      const answer = await getJson(`${url}/predictions/image`, { method: 'POST', body: fs.readFileSync(file) });
      const want = Object.entries(answer)
        .sort((a, b) => b[1] - a[1])
        .map(([label, score]) => [label, `${(score * 100).toFixed(2)}%`]);
      if (JSON.stringify(rows) !== JSON.stringify(want))
        throw new Error(`panel top-5 ${JSON.stringify(rows)} vs the server's ${JSON.stringify(want)}`);
      await closeEditors(page, H);
      stopAll();
    },
  },
];
