/**
 * The Servers view inside the real extension host: servers from settings and
 * the embedded server probed for real, bad input turned into clear messages,
 * and the tree commands. Servers that misbehave are small node:http servers
 * opened here on free 127.0.0.1 ports and closed at the end.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { ViewNode } from '../../../src/core/servers/view/viewNode';
import type { ServersApi } from '../../../src/host/servers/registerServers';
import { startSelfSignedServer } from '../../unit/servers/tlsServer';
import { activateExtension, waitFor } from './util';

const cfg = () => vscode.workspace.getConfiguration('inferenceLab');
const opened: http.Server[] = [];

async function listen(handler: http.RequestListener): Promise<string> {
  const s = http.createServer(handler);
  opened.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

async function closedPortUrl(): Promise<string> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  await new Promise<void>((r) => s.close(() => r()));
  return url;
}

describe('Servers view', function () {
  this.timeout(120_000);
  let servers: ServersApi;
  let endpoints: Record<string, string>;
  let tls: Awaited<ReturnType<typeof startSelfSignedServer>>;

  const tree = async () => (await servers.service()).tree();
  const node = async (id: string): Promise<ViewNode | undefined> =>
    (await tree()).flatMap((n) => [n, ...(n.children ?? [])]).find((n) => n.id === id);
  const refresh = () => vscode.commands.executeCommand('inferenceLab.servers.refresh');
  const setServers = (list: unknown[]) => cfg().update('servers', list, vscode.ConfigurationTarget.Global);

  before(async () => {
    ({
      api: { servers },
    } = await activateExtension<{ servers: ServersApi }>());
    // Discovery would probe this machine's well-known ports: not what these tests are about.
    await cfg().update('discovery.enabled', false, vscode.ConfigurationTarget.Global);
    await cfg().update('refresh.timeoutMs', 2000, vscode.ConfigurationTarget.Global);
    endpoints = (await vscode.commands.executeCommand<Record<string, string>>('inferenceLab.embedded.start'))!;
    await vscode.commands.executeCommand('inferenceLab.views.servers.focus');
  });

  after(async () => {
    await setServers([]);
    await cfg().update('discovery.enabled', undefined, vscode.ConfigurationTarget.Global);
    await cfg().update('refresh.timeoutMs', undefined, vscode.ConfigurationTarget.Global);
    await Promise.all(opened.map((s) => new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r())))));
    await tls?.close();
  });

  it('shows the embedded server as "Embedded" with one ready server node per personality', async () => {
    assert.ok(endpoints.vllm?.startsWith('http://127.0.0.1:'), JSON.stringify(endpoints));
    await refresh();
    const group = (await tree()).find((n) => n.id === 'group:embedded');
    assert.ok(group, 'the Embedded group');
    assert.equal(group.contextValue, 'group.embedded.running');
    const names = Object.keys(endpoints).filter((k) =>
      ['vllm', 'triton', 'tgi', 'ollama', 'torchserve', 'tfserving', 'tei', 'rayserve'].includes(k),
    );
    assert.deepEqual(group.children!.map((c) => c.id).sort(), names.map((n) => `emb:${n}`).sort());
    for (const c of group.children!)
      assert.match(c.contextValue, /^server\.embedded\.[a-z]+\.ready$/, `${c.id}: ${c.tooltip}`);
  });

  it('probes a server added to settings by URL: detected kind and version, models, metrics, endpoints, model facts on expand', async () => {
    await setServers([{ id: 'local-vllm', name: 'Local vLLM', url: endpoints.vllm }]);
    const n = await waitFor(async () => {
      await refresh();
      const x = await node('cfg:local-vllm');
      return x?.contextValue === 'server.configured.vllm.ready' ? x : undefined;
    }, 'the configured server to probe ready');
    assert.match(n.description!, /^vLLM \S+/);
    assert.equal(n.icon, 'pass-filled');
    const roles = n.children!.map((c) => c.role);
    assert.ok(roles.includes('model') && roles.includes('metrics') && roles.includes('endpoints'), roles.join());
    const model = n.children!.find((c) => c.role === 'model')!;
    const facts = await (await servers.service()).modelChildren(model.id, n.id, model.model!);
    assert.ok(
      facts.some((f) => f.role === 'property'),
      JSON.stringify(facts.map((f) => f.label)),
    );
    const choices = await servers.directory.list();
    assert.ok(choices.some((c) => c.id === 'local-vllm' && c.status === 'ready' && c.models.length > 0));
  });

  it('gives each kind of bad input its own clear message, never a stack trace', async () => {
    const unauthorized = await listen((_q, r) => ((r.statusCode = 401), r.end('{"error":"Unauthorized"}')));
    const html = await listen(
      (_q, r) => (
        r.setHeader('content-type', 'text/html'),
        r.end('<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>')
      ),
    );
    const silent = await listen(() => undefined);
    tls = await startSelfSignedServer();
    const refused = await closedPortUrl();
    await setServers([
      { id: 'bad-url', url: 'localhost:8000' },
      { id: 'refused', url: refused },
      { id: 'auth', url: unauthorized },
      { id: 'html', url: html },
      { id: 'slow', url: silent, timeoutMs: 400 },
      ...(tls
        ? [
            { id: 'tls', url: tls.url },
            { id: 'tls-ok', url: tls.url, allowSelfSigned: true },
          ]
        : []),
    ]);
    const expected: Array<[string, string, RegExp]> = [
      ['bad-url', 'unreachable', /valid URL|scheme/i],
      ['refused', 'unreachable', /Connection refused/],
      ['auth', 'auth-failed', /authentication failed \(HTTP 401\)/i],
      ['html', 'unrecognized', /HTML/],
      ['slow', 'unreachable', /Timed out/],
      ...(tls
        ? ([
            ['tls', 'unreachable', /TLS|certificate/i],
            ['tls-ok', 'ready', /./],
          ] as Array<[string, string, RegExp]>)
        : []),
    ];
    await waitFor(
      async () => {
        await refresh();
        for (const [id, status] of expected)
          if (!(await node(`cfg:${id}`))?.contextValue.endsWith(`.${status}`)) return false;
        return true;
      },
      'every bad server to reach its status',
      30_000,
    );
    for (const [id, status, message] of expected) {
      const n = (await node(`cfg:${id}`))!;
      assert.ok(n.contextValue.endsWith(`.${status}`), `${id}: ${n.contextValue}`);
      if (status !== 'ready') assert.match(n.tooltip!, message, `${id} tooltip: ${n.tooltip}`);
      assert.doesNotMatch(n.tooltip!, /\bat \S+ \(.*:\d+:\d+\)/, `${id}: no stack trace`);
    }
    if (!tls) console.log('openssl not installed: the self-signed TLS cases were not run');
  });

  it('copies URLs, opens raw metrics and removes a server', async () => {
    await setServers([{ id: 'local-vllm', name: 'Local vLLM', url: endpoints.vllm, kind: 'vllm' }]);
    await waitFor(
      async () => (await refresh(), (await node('cfg:local-vllm'))?.contextValue.endsWith('.ready')),
      'the server',
    );
    assert.equal(await vscode.commands.executeCommand('inferenceLab.servers.copyUrl', 'local-vllm'), endpoints.vllm);
    assert.equal(await vscode.env.clipboard.readText(), endpoints.vllm);
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>(
      'inferenceLab.servers.openMetrics',
      'local-vllm',
    );
    assert.ok(doc?.isUntitled);
    assert.match(doc.getText(), /^# Scraped from /);
    assert.match(doc.getText(), /vllm:num_requests_running/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(
      await vscode.commands.executeCommand('inferenceLab.servers.remove', 'local-vllm', { confirm: false }),
      true,
    );
    const stored = cfg().inspect<unknown[]>('servers')?.globalValue ?? [];
    assert.equal(stored.length, 0);
    await waitFor(async () => !(await node('cfg:local-vllm')), 'the node to go');
  });

  it('keeps API keys out of settings: an entry holding one is refused with a clear message', async () => {
    await setServers([{ id: 'leaky', url: endpoints.vllm, apiKey: 'sk-should-not-be-here' }]);
    const problem = await waitFor(async () => (await tree()).find((n) => n.role === 'problem'), 'the problem node');
    assert.match(problem.tooltip!, /secret storage/);
    assert.doesNotMatch(problem.tooltip!, /sk-should-not-be-here/);
  });
});
