import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { RequestDraft, RequestResult, RequestTarget } from '../../../src/shared/request';
import { serializeSavedRequest, toSavedRequest } from '../../../src/core/request/savedRequest';
import { defaultDraft } from '../../../src/core/request/build/templates';
import { activateExtension, waitFor } from './util';

/** What `inferenceLab.request.new` resolves to (the panel object of the extension host). */
interface PanelHandle {
  key: string;
  run(draft: RequestDraft): Promise<RequestResult>;
  cancel(): void;
  copy(format: 'curl', draft: RequestDraft): Promise<string>;
  readonly state: { target: RequestTarget };
}

interface Api {
  servers: { embedded: { ensureEndpoint(name: string): Promise<string | undefined> } };
}

const run = promisify(execFile);
const requestTabs = () =>
  vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.label.startsWith('Request: '));

describe('Request panel', () => {
  let vllm: string;
  let chat: RequestDraft;
  let panel: PanelHandle;

  before(async () => {
    const { api } = await activateExtension<Api>();
    const url = await api.servers.embedded.ensureEndpoint('vllm');
    assert.ok(url, 'the embedded vLLM personality runs');
    vllm = url;
    chat = {
      ...defaultDraft('openai-chat', { model: 'tiny-llm', kind: 'vllm' }),
      params: { stream: true, maxTokens: 24 },
    };
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens one panel per server and model, revealed (not duplicated) when asked again', async () => {
    const target = {
      baseUrl: vllm,
      kind: 'vllm',
      serverId: 'embedded.vllm',
      serverName: 'vLLM (embedded)',
      model: 'tiny-llm',
    };
    panel = (await vscode.commands.executeCommand<PanelHandle>('inferenceLab.request.new', target))!;
    assert.ok(panel, 'the command resolves to the panel');
    await waitFor(() => requestTabs().length === 1, 'the request tab');
    const again = await vscode.commands.executeCommand<PanelHandle>('inferenceLab.request.new', target);
    assert.equal(again, panel);
    assert.equal(requestTabs().length, 1);
  });

  it('streams a chat answer from the embedded vLLM with TTFT, tokens/s and the server token count', async () => {
    const r = await panel.run(chat);
    assert.equal(r.ok, true, r.error?.message);
    const m = r.stream!;
    assert.ok(m.ttftMs! > 0 && m.tokensPerSecond! > 0, JSON.stringify(m));
    assert.equal(m.server?.completionTokens, m.tokenCount);
    assert.ok(r.timing.ttfbMs! > 0 && r.timing.connectMs !== undefined);
  });

  it('cancel stops an endless stream mid-way and keeps what arrived', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const timer = setInterval(
        () => res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'x' } }] })}\n\n`),
        10,
      );
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const endless = (await vscode.commands.executeCommand<PanelHandle>('inferenceLab.request.new', {
        baseUrl: `http://127.0.0.1:${port}`,
        kind: 'vllm',
        model: 'endless',
      }))!;
      const pending = endless.run({ ...chat, model: 'endless' });
      await new Promise((r) => setTimeout(r, 400));
      const t0 = Date.now();
      endless.cancel();
      const r = await pending;
      assert.equal(r.cancelled, true);
      assert.ok(Date.now() - t0 < 2000, 'stopped at once');
      assert.ok(r.stream!.tokenCount > 0, 'tokens before the cancel are kept');
      assert.match(r.error!.message, /^Cancelled after \d+ tokens?$/);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('copy as curl gives a command that runs against the embedded server', async () => {
    const text = await panel.copy('curl', { ...chat, params: { stream: false, maxTokens: 8 } });
    assert.equal(await vscode.env.clipboard.readText(), text);
    const { stdout } = await run('bash', ['-c', text]);
    assert.equal(JSON.parse(stdout).object, 'chat.completion');
  });

  it('a malformed response gives a clear error and the panel stays usable', async () => {
    const server = http.createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"choices":[{"message":{"content":"cut'),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const broken = (await vscode.commands.executeCommand<PanelHandle>('inferenceLab.request.new', {
        baseUrl: `http://127.0.0.1:${port}`,
        kind: 'vllm',
        model: 'x',
      }))!;
      const r = await broken.run({ ...chat, model: 'x', params: { stream: false } });
      assert.equal(r.error?.kind, 'malformed');
      assert.match(r.error!.message, /incomplete \(truncated\)/);
      const ok = await panel.run({ ...chat, params: { stream: true, maxTokens: 4 } });
      assert.equal(ok.ok, true, ok.error?.message);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('KServe v2 infer on the embedded Triton over REST and gRPC shows the output tensor', async () => {
    const { api } = await activateExtension<Api>();
    await api.servers.embedded.ensureEndpoint('triton');
    const p = await waitFor(async () => {
      const h = await vscode.commands.executeCommand<PanelHandle>('inferenceLab.request.new', {
        id: 'emb:triton/model:resnet50',
      });
      return h?.state.target.grpcAddress ? h : undefined;
    }, 'a panel on the embedded Triton');
    const draft: RequestDraft = {
      template: 'kserve-infer',
      model: 'resnet50',
      tensors: [{ name: 'input', datatype: 'FP32', shape: [1, 3, 224, 224], data: 'random' }],
      encoding: 'json',
      kserveTransport: 'rest',
    };
    for (const kserveTransport of ['rest', 'grpc'] as const) {
      const r = await p.run({ ...draft, kserveTransport });
      assert.equal(r.ok, true, `${kserveTransport}: ${r.error?.message}`);
      const tensors = r.views.find((v) => v.type === 'tensors');
      assert.ok(
        tensors?.type === 'tensors' &&
          tensors.tensors[0].name === 'output' &&
          tensors.tensors[0].shape.join('x') === '1x1000',
        kserveTransport,
      );
    }
  });

  it('opens from a Servers tree model node', async () => {
    const p = await waitFor(async () => {
      const h = await vscode.commands.executeCommand<PanelHandle>('inferenceLab.request.new', {
        id: 'emb:vllm/model:tiny-llm',
      });
      return h?.state.target.baseUrl === vllm ? h : undefined;
    }, 'a panel for the tree node');
    assert.equal(p.state.target.model, 'tiny-llm');
    assert.equal(p.state.target.serverId, 'embedded.vllm');
    assert.match(p.state.target.wsUrl ?? '', /^ws:\/\/127\.0\.0\.1:\d+\/v1\/stream$/);
  });

  it('a saved request file opens in the request editor (the default editor of .inference-lab/requests/*.json)', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test workbench has a folder');
    const uri = vscode.Uri.joinPath(folder.uri, '.inference-lab', 'requests', 'chat-test.json');
    const saved = toSavedRequest(
      'chat test',
      { serverId: 'embedded.vllm', serverName: 'vLLM', kind: 'vllm', baseUrl: vllm, model: 'tiny-llm' },
      chat,
    );
    await vscode.workspace.fs.writeFile(uri, Buffer.from(serializeSavedRequest(saved)));
    await vscode.commands.executeCommand('vscode.open', uri);
    await waitFor(
      () =>
        vscode.window.tabGroups.all
          .flatMap((g) => g.tabs)
          .some(
            (t) =>
              t.input instanceof vscode.TabInputCustom &&
              t.input.viewType === 'inferenceLab.request.file' &&
              t.input.uri.toString() === uri.toString(),
          ),
      'the request editor tab',
    );
  });
});
