// The request panel as a user drives it: New Request… on the embedded vLLM's
// model node, a streamed chat answer with live TTFT and tokens/s, "Copy as
// curl" run with curl against the embedded server, an endless stream
// cancelled mid-way, malformed answers (truncated JSON, a 10 MB body) shown as clear
// errors while the panel stays usable, then a KServe v2 infer on the
// embedded Triton over REST and over gRPC with the output tensor shown.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { expandRow as expand, openInferenceLabView, sidebar } from '../../e2e/harness.mjs';

const run = promisify(execFile);
/** Token chunks the endless stream has written (the peer's own count, independent of what the panel shows). */
let endlessSent = 0;
const state = { peer: undefined, peerUrl: '' };

/** The inline "New Request…" action of a model under a server row; waits for the panel's tab. */
async function newRequestOn(page, serverRow, modelName) {
  await expand(page, serverRow);
  const model = sidebar(page).locator('.monaco-list-row[aria-level="3"]', { hasText: modelName }).first();
  await model.hover();
  await model.locator('.action-label[aria-label^="New Request"]').click();
  await page.locator('.tabs-container .tab', { hasText: `Request: ${modelName}` }).waitFor({ timeout: 30000 });
}

/** Sets a vscode-single-select the way a pick does (value, then its change event). */
async function choose(wv, selector, value) {
  await wv.locator(selector).evaluate((el, v) => {
    el.value = v;
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
}

export async function fill(wv, name, value) {
  const input = wv.locator(`vscode-textfield[name="${name}"] input, vscode-textarea[name="${name}"] textarea`).first();
  await input.fill(value);
  await input.dispatchEvent('input');
}

export async function metric(wv, id) {
  return ((await wv.locator(`#metric-${id} .metric-value`).textContent()) ?? '').trim();
}

/** A peer that answers badly on purpose (truncated JSON, 10 MB of body) or streams tokens until cancelled. */
function startPeer() {
  const server = http.createServer((req, res) => {
    if (req.url === '/endless') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = `data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'token ' }, finish_reason: null }] })}\n\n`;
      const timer = setInterval(() => {
        res.write(chunk);
        endlessSent++;
      }, 20);
      res.on('close', () => clearInterval(timer));
      return;
    }
    if (req.url === '/big') {
      res.writeHead(200, { 'content-type': 'application/json' });
      const block = Buffer.alloc(1024 * 1024, 0x20);
      for (let i = 0; i < 10; i++) res.write(block);
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"outputs":[{"name":"o","data":[1,2');
  });
  server.unref();
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** A small RGB PNG (a colour gradient), written by hand: the journey needs a real image file to pick. */
export function pngBytes(width, height) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) row.set([(x * 255) / width, (y * 255) / height, 128], 1 + x * 3);
    rows.push(row);
  }
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    sig,
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Picks `file` (in the workspace folder) in VS Code's simple file dialog, once a "Choose …" button opened it. */
export async function pickInFileDialog(page, file) {
  const qi = page.locator('.quick-input-widget');
  await qi.waitFor({ state: 'visible', timeout: 10000 });
  // The simple file dialog fills in the folder after it shows: type the path only once it has.
  const box = qi.locator('input');
  for (let i = 0; i < 50 && !((await box.inputValue()) ?? '').endsWith('/workspace/'); i++)
    await page.waitForTimeout(100);
  await box.fill(file);
  await qi
    .locator('.monaco-list-row', { hasText: path.basename(file) })
    .first()
    .waitFor({ timeout: 10000 });
  await page.keyboard.press('Enter');
  await qi.waitFor({ state: 'hidden', timeout: 10000 });
}

export const steps = [
  {
    name: 'New Request… on the embedded vLLM model node opens the request panel for that model',
    async run({ page, H, shot }) {
      const group = await H.openEmbeddedGroup(page);
      const vllm = sidebar(page).locator('.monaco-list-row[aria-level="2"]', { hasText: 'vLLM (' }).first();
      await vllm.locator('.codicon-pass-filled').waitFor({ timeout: 60000 });
      await newRequestOn(page, vllm, 'tiny-llm');
      const wv = H.webviewFrame(page);
      await wv.locator('#server-name', { hasText: 'vLLM' }).waitFor({ timeout: 30000 });
      await wv.locator('#template-select').waitFor();
      await shot('20-request-panel');
    },
  },
  {
    name: 'Send streams the chat answer token by token with live TTFT, ITL and tokens/s',
    async run({ page, H, shot }) {
      const wv = H.webviewFrame(page);
      await fill(wv, 'maxTokens', '48');
      await wv.locator('#send').click();
      await wv.locator('#status-badge', { hasText: '200' }).waitFor({ timeout: 30000 });
      const ttft = await metric(wv, 'ttft');
      const tps = await metric(wv, 'tps');
      if (!/^\d+(\.\d+)? m?s$/.test(ttft)) throw new Error(`TTFT shows "${ttft}"`);
      if (!/^\d+(\.\d+)?$/.test(tps)) throw new Error(`tokens/s shows "${tps}"`);
      const answer = ((await wv.locator('#answer').textContent()) ?? '').trim();
      if (answer.length < 10) throw new Error(`answer "${answer}" is too short`);
      await wv.locator('#metric-server-tokens').waitFor();
      await shot('20-request-streamed');
      await wv.locator('vscode-tab-header[data-tab="timing"]').click();
      await wv.locator('#timing-table vscode-table-row', { hasText: 'Time to first byte' }).waitFor({ timeout: 10000 });
      await shot('20-request-timing');
      await wv.locator('vscode-tab-header[data-tab="generation"]').click();
    },
  },
  {
    name: 'Copy as curl: the command shown runs with curl against the embedded server',
    async run({ page, H, shot }) {
      const wv = H.webviewFrame(page);
      await fill(wv, 'maxTokens', '12');
      await wv.locator('#copy-curl').click();
      const copied = wv.locator('#copied');
      for (let i = 0; i < 50 && !((await copied.textContent()) ?? '').startsWith('curl'); i++)
        await page.waitForTimeout(100);
      const cmd = (await copied.textContent()) ?? '';
      if (!cmd.startsWith('curl -sS -N -X POST http://127.0.0.1:'))
        throw new Error(`unexpected command: ${cmd.slice(0, 120)}`);
      const { stdout } = await run('bash', ['-c', cmd], { timeout: 30000 });
      if (!stdout.includes('data: [DONE]')) throw new Error(`curl printed: ${stdout.slice(0, 300)}`);
      await wv.locator('#notice', { hasText: 'Copied as curl' }).waitFor();
      await shot('20-request-copied-curl');
    },
  },
  {
    name: 'Cancel stops an endless stream mid-way and keeps the tokens received',
    async run({ page, H, shot }) {
      state.peer = await startPeer();
      state.peerUrl = `http://127.0.0.1:${state.peer.address().port}`;
      const wv = H.webviewFrame(page);
      await choose(wv, '#template-select', 'raw');
      await wv.locator('vscode-textfield[name="path"]').waitFor({ timeout: 10000 });
      await fill(wv, 'path', `${state.peerUrl}/endless`);
      await choose(wv, 'vscode-single-select[name="framing"]', 'sse');
      await wv.locator('#send').click();
      // The new request's response area replaces the last one's (its figures must not be read).
      await wv.locator('#response[aria-busy="true"] #metric-tokens').waitFor({ timeout: 15000 });
      // Cancel once the peer has sent 15 tokens (its own count: the panel may still show the previous response's figures).
      endlessSent = 0;
      for (let i = 0; i < 150 && endlessSent < 15; i++) await page.waitForTimeout(100);
      await wv.locator('#cancel').click();
      await wv.locator('#error', { hasText: /Cancelled after \d+ tokens/ }).waitFor({ timeout: 5000 });
      const n = Number(await metric(wv, 'tokens'));
      if (!(n >= 10)) throw new Error(`${n} tokens after cancel`);
      const answer = (await wv.locator('#answer').textContent()) ?? '';
      if (!answer.startsWith('token token')) throw new Error(`answer after cancel: "${answer.slice(0, 60)}"`);
      await shot('20-request-cancelled');
    },
  },
  {
    name: 'malformed answers (truncated JSON, a 10 MB body) show a clear error and the panel stays usable',
    async run({ page, H, shot }) {
      try {
        const wv = H.webviewFrame(page);
        await choose(wv, 'vscode-single-select[name="framing"]', 'auto');
        await fill(wv, 'path', `${state.peerUrl}/truncated`);
        await wv.locator('#send').click();
        await wv.locator('#error', { hasText: 'incomplete (truncated)' }).waitFor({ timeout: 15000 });
        await shot('20-request-malformed');
        await fill(wv, 'path', `${state.peerUrl}/big`);
        await wv.locator('#send').click();
        await wv.locator('#error', { hasText: /10\.0 MB, more than the 4\.0 MB/ }).waitFor({ timeout: 30000 });
        // Still usable: back to the chat template, a normal request succeeds.
        await choose(wv, '#template-select', 'openai-chat');
        await wv.locator('#add-message').waitFor({ timeout: 10000 });
        await fill(wv, 'maxTokens', '8');
        await wv.locator('#send').click();
        await wv.locator('#status-badge', { hasText: '200' }).waitFor({ timeout: 30000 });
        await wv.locator('#history summary', { hasText: /History \(\d+\)/ }).waitFor();
        await shot('20-request-usable-after-error');
      } finally {
        state.peer.closeAllConnections();
        state.peer.close();
      }
    },
  },
  {
    name: 'KServe v2 infer on the embedded Triton over REST, then over gRPC: the output tensor and its top-5',
    async run({ page, H, shot }) {
      const triton = sidebar(page).locator('.monaco-list-row[aria-level="2"]', { hasText: 'NVIDIA Triton' }).first();
      await newRequestOn(page, triton, 'resnet50');
      const wv = H.webviewFrame(page);
      await wv.locator('.tensor[data-input="input"]').waitFor({ timeout: 30000 });
      await wv.locator('#send').click();
      await wv.locator('#status-badge', { hasText: '200' }).waitFor({ timeout: 30000 });
      await wv.locator('vscode-tab-header[data-tab="tensors"]').click();
      await wv
        .locator('.tensor-out[data-output="output"] h3', { hasText: 'shape [1, 1000]' })
        .waitFor({ timeout: 10000 });
      await shot('20-request-kserve-rest');
      await wv.locator('vscode-radio[value="grpc"]').click();
      await wv.locator('vscode-radio[value="grpc"][checked]').waitFor({ timeout: 10000 });
      await wv.locator('#send').click();
      await wv.locator('#status-text', { hasText: 'gRPC OK' }).waitFor({ timeout: 30000 });
      await wv.locator('vscode-tab-header[data-tab="topk"]').click();
      await wv.locator('#topk-table vscode-table-row').nth(4).waitFor({ timeout: 10000 });
      await shot('20-request-kserve-grpc');
    },
  },
  {
    name: 'Save… writes the request under .inference-lab/requests; a double click in the Explorer reopens it in the request editor',
    async run({ page, H, shot }) {
      const wv = H.webviewFrame(page);
      await wv.locator('#save').click();
      const qi = page.locator('.quick-input-widget');
      await qi.waitFor({ state: 'visible', timeout: 10000 });
      await qi.locator('input').fill('resnet50 over gRPC');
      await page.keyboard.press('Enter');
      await wv
        .locator('#notice', { hasText: 'Saved to .inference-lab/requests/resnet50-over-grpc.json' })
        .waitFor({ timeout: 10000 });
      await page.keyboard.press('Control+Shift+E');
      const explorer = page.locator('.explorer-folders-view');
      await explorer.waitFor({ timeout: 10000 });
      const folder = explorer.locator('.monaco-list-row', { hasText: '.inference-lab' }).first();
      await folder.waitFor({ timeout: 15000 });
      if ((await folder.getAttribute('aria-expanded')) === 'false') await folder.click();
      const requests = explorer.locator('.monaco-list-row', { hasText: 'requests' }).first();
      if ((await requests.getAttribute('aria-expanded')) === 'false') await requests.click();
      await page.locator('.tabs-container .tab', { hasText: 'Request: resnet50' }).locator('.codicon-close').click();
      await explorer.locator('.monaco-list-row', { hasText: 'resnet50-over-grpc.json' }).first().dblclick();
      await page.locator('.tabs-container .tab', { hasText: 'resnet50-over-grpc.json' }).waitFor({ timeout: 15000 });
      const editor = H.webviewFrame(page);
      await editor.locator('#server-url', { hasText: 'resnet50-over-grpc.json' }).waitFor({ timeout: 30000 });
      await editor.locator('vscode-radio[value="grpc"][checked]').waitFor({ timeout: 10000 });
      await editor.locator('#send').click();
      await editor.locator('#status-text', { hasText: 'gRPC OK' }).waitFor({ timeout: 30000 });
      await shot('20-request-saved-reopened');
    },
  },
  {
    name: 'an image file picked in the dialog becomes the input tensor (decoded and resized by the webview, NCHW, scaled)',
    async run({ page, H, shot, run: runDir }) {
      const file = path.join(runDir.workspace, 'cat.png');
      fs.writeFileSync(file, pngBytes(64, 48));
      const wv = H.webviewFrame(page);
      const imageRadio = wv.locator('.tensor[data-input="input"] vscode-radio[value="image"]');
      await imageRadio.click();
      const choose = wv.locator('vscode-button', { hasText: 'Choose image' });
      await choose.waitFor({ timeout: 10000 });
      await choose.click();
      await pickInFileDialog(page, file);
      const pathField = wv.locator('input[name="tensor.0.image.path"]');
      for (let i = 0; i < 50 && (await pathField.evaluate((el) => el.value)) !== 'cat.png'; i++)
        await page.waitForTimeout(100);
      const picked = await pathField.evaluate((el) => el.value);
      if (picked !== 'cat.png') throw new Error(`image path field shows "${picked}"`);
      await wv.locator('#send').click();
      await wv.locator('#response[aria-busy="false"] #status-text', { hasText: 'gRPC OK' }).waitFor({ timeout: 30000 });
      await wv.locator('vscode-tab-header[data-tab="request"]').click();
      await wv.locator('#sent', { hasText: '602112 bytes' }).waitFor({ timeout: 10000 });
      await shot('20-request-image-tensor');
    },
  },
  {
    name: 'the embedded Triton\'s decoupled model "words": its first draft streams over gRPC ModelStreamInfer, one message per word',
    async run({ page, H, shot }) {
      await openInferenceLabView(page); // the step before left the Explorer open
      const triton = sidebar(page).locator('.monaco-list-row[aria-level="2"]', { hasText: 'NVIDIA Triton' }).first();
      await newRequestOn(page, triton, 'words');
      const wv = H.webviewFrame(page);
      await wv.locator('vscode-radio[value="grpc-stream"][checked]').waitFor({ timeout: 30000 });
      await wv.locator('#send').click();
      await wv.locator('#response[aria-busy="false"] #status-text', { hasText: 'gRPC OK' }).waitFor({ timeout: 30000 });
      // The default BYTES data is "input 0": two words, so two streamed responses, and the answer joins them.
      await wv.locator('vscode-tab-header[data-tab="generation"]').click();
      await wv.locator('#answer', { hasText: 'input 0' }).waitFor({ timeout: 10000 });
      await wv.locator('vscode-tab-header[data-tab="messages"]').click();
      const rows = wv.locator('#messages-table vscode-table-body vscode-table-row');
      await rows.nth(1).waitFor({ timeout: 10000 });
      const data = await rows.locator('code').allTextContents();
      const words = data.map((d) => JSON.parse(d).infer_response.outputs.map((o) => o.data[0]));
      if (
        JSON.stringify(words) !==
        JSON.stringify([
          ['input', 0],
          [' 0', 1],
        ])
      )
        throw new Error(`streamed messages carry ${JSON.stringify(words)}, not the two words with their indices`);
      await shot('20-request-triton-decoupled-words');
    },
  },
];
