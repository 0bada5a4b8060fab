/**
 * Faults and bad input in the real extension host (issue 15): the request
 * panel and the Servers view against the misbehaving servers of test/faults/
 * (the same ones the CLI fault tests use). Each case checks what the user
 * sees (the panel's error kind and message, the tree node's status, text and
 * tooltip) and that nothing that went wrong reads as a success.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { RequestDraft, RequestResult, RequestTarget } from '../../../src/shared/request';
import { defaultDraft } from '../../../src/core/request/build/templates';
import type { ViewNode } from '../../../src/core/servers/view/viewNode';
import type { ServersApi } from '../../../src/host/servers/registerServers';
import { faults, type FaultServer } from '../../faults/servers';
import { activateExtension, waitFor } from './util';

interface PanelHandle {
  run(draft: RequestDraft): Promise<RequestResult>;
  readonly state: { target: RequestTarget };
}

const cfg = () => vscode.workspace.getConfiguration('inferenceLab');
/** A raw control character (C0 but tab and newline, DEL, C1): what a server must not get onto the screen. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
const started: FaultServer[] = [];
async function start(f: Promise<FaultServer>): Promise<FaultServer> {
  const s = await f;
  started.push(s);
  return s;
}

/** A URL on which nothing listens (a dead server). */
async function deadUrl(): Promise<string> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  await new Promise<void>((r) => s.close(() => r()));
  return url;
}

const stream = (model = 'fault-llm'): RequestDraft => ({
  ...defaultDraft('openai-completions', { model, kind: 'vllm' }),
  params: { stream: true, maxTokens: 8 },
});
const plain = (model = 'fault-llm'): RequestDraft => ({
  ...defaultDraft('openai-completions', { model, kind: 'vllm' }),
  params: { stream: false, maxTokens: 8 },
});

async function panelOn(baseUrl: string, extra: Partial<RequestTarget> = {}): Promise<PanelHandle> {
  const p = await vscode.commands.executeCommand<PanelHandle>('inferenceLab.request.new', {
    baseUrl,
    kind: 'vllm',
    model: 'fault-llm',
    ...extra,
  });
  assert.ok(p, 'the command resolves to the panel');
  return p;
}

/** Nothing that went wrong passes: not ok, an error of `kind` whose message matches. */
function failed(r: RequestResult, kind: string, message: RegExp): void {
  assert.equal(r.ok, false, `ok must be false: ${JSON.stringify(r.error)}`);
  assert.equal(r.error?.kind, kind, JSON.stringify(r.error));
  assert.match(r.error!.message, message);
  assert.doesNotMatch(r.error!.message, /\bat \S+ \(.*:\d+:\d+\)/, 'no stack trace');
}

describe('Faults: the request panel against misbehaving servers', function () {
  this.timeout(60_000);
  before(async () => {
    await activateExtension();
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await cfg().update('request.timeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    await Promise.all(started.splice(0).map((s) => s.close()));
  });

  it('a 200 with truncated JSON is a failed request that says the JSON is incomplete', async () => {
    const s = await start(faults.truncatedJson());
    const r = await (await panelOn(s.url)).run(plain());
    assert.equal(r.status, 200);
    failed(r, 'malformed', /^The JSON response is incomplete \(truncated\)/);
  });

  it('a 200 with invalid JSON names what arrived', async () => {
    const s = await start(faults.invalidJson());
    const r = await (await panelOn(s.url)).run(plain());
    assert.equal(r.status, 200);
    failed(
      r,
      'malformed',
      /^The response is not valid JSON: .* \(Content-Type: application\/json\); it begins "\{this is not json\}"$/,
    );
  });

  it('a 200 of binary garbage labelled JSON is a failed request, not a success', async () => {
    const s = await start(faults.binaryGarbage());
    const r = await (await panelOn(s.url)).run(plain());
    assert.equal(r.status, 200);
    failed(r, 'malformed', /^The response is not valid JSON: .*; it begins "\\x00\\xff\\x1b\[2J\\x89PNG"$/);
    assert.doesNotMatch(r.error!.message, RAW_CONTROL, 'no raw control character in the message');
  });

  it('an HTML page where an event stream was asked for says what came instead', async () => {
    const s = await start(faults.wrongContentType());
    const r = await (await panelOn(s.url)).run(stream());
    failed(r, 'malformed', /^Expected an event stream \(text\/event-stream\) but the server sent text\/html/);
  });

  it('a stream of cut-off JSON events fails at the event, with its text', async () => {
    const s = await start(faults.truncatedStreamJson());
    const r = await (await panelOn(s.url)).run(stream());
    failed(r, 'malformed', /^Stream event 1 is not valid JSON .*"choices":\[\{"text":" to/);
  });

  it('a stream that ends with [DONE] but never sent a generation event is not a success', async () => {
    const s = await start(faults.noGenerationEvent());
    const r = await (await panelOn(s.url)).run(stream());
    assert.equal(r.status, 200);
    failed(r, 'malformed', /^The stream ended without a generation event/);
    assert.equal(r.stream?.tokenCount, 0);
  });

  it('a stream reset mid-way keeps the tokens that arrived and says the connection was closed', async () => {
    const s = await start(faults.resetMidStream(2));
    const r = await (await panelOn(s.url)).run(stream());
    failed(r, 'connection-reset', /^Connection closed by the server/);
    assert.equal(r.stream?.tokenCount, 2);
  });

  it('a stalled stream ends at the request timeout setting with a timeout error, keeping what arrived', async () => {
    await cfg().update('request.timeoutSeconds', 2, vscode.ConfigurationTarget.Global);
    try {
      const s = await start(faults.stalledStream());
      const t0 = Date.now();
      const r = await (await panelOn(s.url)).run(stream());
      const took = Date.now() - t0;
      failed(r, 'timeout', /^The server sent nothing for 2 s after its answer began; stopped by the request timeout/);
      assert.equal(r.stream?.tokenCount, 1);
      assert.ok(took >= 1900 && took < 10_000, `ended after ${took} ms`);
    } finally {
      await cfg().update('request.timeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a server that never answers ends at the request timeout setting', async () => {
    await cfg().update('request.timeoutSeconds', 1, vscode.ConfigurationTarget.Global);
    try {
      const s = await start(faults.stall());
      const r = await (await panelOn(s.url)).run(stream());
      failed(r, 'timeout', /^Timed out after 1 s: waiting for the response headers$/);
    } finally {
      await cfg().update('request.timeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  for (const status of [401, 403] as const)
    it(`HTTP ${status} says "Authentication failed" with the status and the server's message`, async () => {
      const s = await start(faults.auth(status));
      const r = await (await panelOn(s.url)).run(plain());
      assert.equal(r.status, status);
      failed(r, 'auth', new RegExp(`^Authentication failed \\(HTTP ${status}\\).*Invalid API key`));
    });

  it('an HTTP/1.1 server on the gRPC port is named as such, not "connection refused"', async () => {
    const s = await start(faults.http1());
    const p = await panelOn(s.url, { kind: 'triton', grpcAddress: `127.0.0.1:${s.port}`, model: 'm' });
    const r = await p.run({
      template: 'kserve-infer',
      model: 'm',
      tensors: [{ name: 'input', datatype: 'FP32', shape: [1, 4], data: 'random' }],
      encoding: 'json',
      kserveTransport: 'grpc',
    });
    assert.equal(r.ok, false);
    assert.equal(
      r.error!.message,
      `127.0.0.1:${s.port} answers, but not with gRPC (HTTP/2): it looks like an HTTP/1.1 server. Give the server's gRPC port (e.g. 8001 for Triton, 8081 for KServe).`,
    );
  });

  it('a 2 MB response header is refused with a clear message', async () => {
    const s = await start(faults.hugeHeader());
    const r = await (await panelOn(s.url)).run(plain());
    assert.equal(r.status, undefined, 'no status: the answer was never read');
    failed(
      r,
      'malformed',
      /^The server's response headers are larger than the limit \(16 KB\) \(http:\/\/127\.0\.0\.1:\d+\/v1\/completions\)$/,
    );
  });

  it('a dead server is "Connection refused" with its address', async () => {
    const url = await deadUrl();
    const r = await (await panelOn(url)).run(plain());
    failed(r, 'connection-refused', new RegExp(`^Connection refused .*${url.replace(/[.:/]/g, '\\$&')}`));
  });

  it('a server answering well is still a success (the control case)', async () => {
    const s = await start(faults.good());
    const r = await (await panelOn(s.url)).run(stream());
    assert.equal(r.ok, true, r.error?.message);
    assert.equal(r.stream?.tokenCount, 3);
  });
});

describe('Faults: the Servers view against misbehaving servers', function () {
  this.timeout(120_000);
  let servers: ServersApi;
  const tree = async () => (await servers.service()).tree();
  const node = async (id: string): Promise<ViewNode | undefined> =>
    (await tree()).flatMap((n) => [n, ...(n.children ?? [])]).find((n) => n.id === id);
  const refresh = () => vscode.commands.executeCommand('inferenceLab.servers.refresh');

  before(async () => {
    ({
      api: { servers },
    } = await activateExtension<{ servers: ServersApi }>());
    await cfg().update('discovery.enabled', false, vscode.ConfigurationTarget.Global);
    await cfg().update('refresh.timeoutMs', 2000, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await cfg().update('servers', [], vscode.ConfigurationTarget.Global);
    await cfg().update('discovery.enabled', undefined, vscode.ConfigurationTarget.Global);
    await cfg().update('refresh.timeoutMs', undefined, vscode.ConfigurationTarget.Global);
    await Promise.all(started.splice(0).map((s) => s.close()));
  });

  it('each fault gets its status, a one-line reason on the node and the same reason in the tooltip', async () => {
    const [a401, a403, models401, huge, malformed, control, good] = await Promise.all([
      start(faults.auth(401)),
      start(faults.auth(403)),
      start(faults.authOnModels()),
      start(faults.hugeHeader()),
      start(faults.malformedModels()),
      start(faults.controlChars()),
      start(faults.good()),
    ]);
    const dead = await deadUrl();
    await cfg().update(
      'servers',
      [
        { id: 'f-401', url: a401.url },
        { id: 'f-403', url: a403.url },
        { id: 'f-models-401', url: models401.url },
        { id: 'f-huge', url: huge.url },
        { id: 'f-malformed', url: malformed.url, kind: 'openai' },
        { id: 'f-control', url: control.url, kind: 'openai' },
        { id: 'f-dead', url: dead },
        { id: 'f-good', url: good.url, kind: 'openai' },
      ],
      vscode.ConfigurationTarget.Global,
    );
    const expected: Array<[string, string, RegExp]> = [
      ['f-401', 'auth-failed', /^Authentication failed \(HTTP 401\)/],
      ['f-403', 'auth-failed', /^Authentication failed \(HTTP 403\)/],
      ['f-models-401', 'auth-failed', /^Authentication failed \(HTTP 401\)/],
      [
        'f-huge',
        'unrecognized',
        /^Reached, but its answers could not be read: The server's response headers are larger than the limit \(16 KB\)/,
      ],
      ['f-malformed', 'ready', /./],
      ['f-control', 'ready', /./],
      ['f-dead', 'unreachable', /^Connection refused/],
      ['f-good', 'ready', /./],
    ];
    await waitFor(
      async () => {
        await refresh();
        for (const [id, status] of expected)
          if (!(await node(`cfg:${id}`))?.contextValue.endsWith(`.${status}`)) return false;
        return true;
      },
      'every fault server to reach its status',
      40_000,
    ).catch(async (e: Error) => {
      const now = await Promise.all(
        expected.map(async ([id]) => {
          const n = await node(`cfg:${id}`);
          return `${id}=${n?.contextValue} "${n?.description}" ${JSON.stringify(n?.children?.map((c) => c.label))}`;
        }),
      );
      throw new Error(`${e.message}; now: ${now.join(', ')}`);
    });
    for (const [id, status, message] of expected) {
      const n = (await node(`cfg:${id}`))!;
      assert.ok(n.contextValue.endsWith(`.${status}`), `${id}: ${n.contextValue}`);
      const shown = [n, ...(n.children ?? [])].map((c) => `${c.label} ${c.description ?? ''} ${c.tooltip ?? ''}`);
      assert.doesNotMatch(shown.join('\n'), RAW_CONTROL, `${id}: no raw control character`);
      if (status === 'ready') continue;
      const reason = n.children?.find((c) => c.id === `${n.id}/error`);
      assert.ok(reason, `${id}: the reason is a child node`);
      assert.match(reason.label, message, `${id} reason: ${reason.label}`);
      assert.ok(n.tooltip!.includes(reason.label.slice(0, 30)), `${id} tooltip: ${n.tooltip}`);
    }
    // Names a server sends with escape sequences are shown escaped: readable, inert.
    const c = (await node('cfg:f-control'))!;
    assert.deepEqual(
      c.children!.filter((x) => x.role === 'model').map((x) => x.label),
      ['m\\x1b[31mred\\x1b]0;title\\x07'],
    );
    for (const id of ['f-401', 'f-403', 'f-models-401']) {
      const n = (await node(`cfg:${id}`))!;
      assert.match(n.description!, /^(vLLM 0\.10\.1 · )?authentication failed$/, `${id} description: ${n.description}`);
      assert.equal(n.icon, 'lock');
    }
    // Malformed model data: the server is ready, its model list fault is a warning on the node, not a model.
    const m = (await node('cfg:f-malformed'))!;
    assert.deepEqual(
      m.children!.filter((c) => c.role === 'model').map((c) => c.label),
      [],
    );
    assert.match(m.children!.find((c) => c.id === `${m.id}/models-error`)?.label ?? '', /JSON/);
  });
});

describe('Credentials stay out of the log, the history and copies', function () {
  this.timeout(90_000);
  const secrets = ['pw-url-1', 'key-query-2', 'typed-key-3', 'typed-key-4', 'pw-url-5', 'tok-url-6'];
  let logFile: vscode.Uri;
  const readLog = async () => Buffer.from(await vscode.workspace.fs.readFile(logFile)).toString('utf8');

  before(async () => {
    const { api } = await activateExtension<{ logUri: vscode.Uri }>();
    logFile = vscode.Uri.joinPath(api.logUri, 'Inference Lab.log');
    // Debug lines (one per sent request) are written too: a secret must not hide at a level the user can turn on.
    await vscode.commands.executeCommand('_extensionTests.setLogLevel', 'debug');
  });
  after(async () => {
    await vscode.commands.executeCommand('_extensionTests.setLogLevel', 'info');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await cfg().update('servers', [], vscode.ConfigurationTarget.Global);
    await Promise.all(started.splice(0).map((s) => s.close()));
  });

  it('a request with a password in the URL, a token in the query and keys typed into headers leaves none of them behind', async () => {
    const s = await start(faults.http1());
    const p = (await panelOn(`http://alice:pw-url-1@127.0.0.1:${s.port}`)) as PanelHandle & {
      copy(format: 'curl', d: RequestDraft): Promise<string>;
      ctx: { history: { list(serverId: string): unknown[] } };
    };
    const draft: RequestDraft = {
      template: 'raw',
      model: 'fault-llm',
      method: 'POST',
      path: '/v1/completions?api_key=key-query-2&x=1',
      headers: [
        { name: 'Authorization', value: 'Bearer typed-key-3' },
        { name: 'X-Api-Key', value: 'typed-key-4' },
        { name: 'Content-Type', value: 'application/json' },
      ],
      body: '{"model":"fault-llm","prompt":"hi"}',
    };
    const r = await p.run(draft);
    assert.equal(r.status, 404, r.error?.message);
    const line = `request POST http://127.0.0.1:${s.port}/v1/completions?x=1 → 404`;
    const log = await waitFor(
      async () => ((await readLog()).includes(line) ? readLog() : undefined),
      'the request line',
    );
    for (const secret of secrets.slice(0, 4)) assert.ok(!log.includes(secret), `${secret} is not in the log`);

    const history = JSON.stringify(p.ctx.history.list(p.state.target.serverId)[0]);
    for (const secret of secrets.slice(0, 4)) assert.ok(!history.includes(secret), `${secret} is not in the history`);
    assert.ok(history.includes('/v1/completions?api_key=${apiKey}&x=1'), history);
    assert.ok(history.includes('"value":"Bearer ${apiKey}"'), history);
    assert.ok(history.includes(`"baseUrl":"http://127.0.0.1:${s.port}"`), history);

    const curl = await p.copy('curl', draft);
    for (const secret of secrets.slice(0, 4))
      assert.ok(!curl.includes(secret), `${secret} is not in the copy: ${curl}`);
    assert.match(curl, /-H 'authorization: Bearer '"\$INFERENCE_LAB_API_KEY"/);
  });

  it('a server added with credentials in its URL shows and logs it without them', async () => {
    const s = await start(faults.good());
    const url = `http://carol:pw-url-5@127.0.0.1:${s.port}/?token=tok-url-6`;
    await cfg().update('servers', [{ id: 'creds', url, kind: 'openai' }], vscode.ConfigurationTarget.Global);
    const { api } = await activateExtension<{ servers: ServersApi }>();
    const n = await waitFor(async () => {
      await vscode.commands.executeCommand('inferenceLab.servers.refresh');
      const tree = await (await api.servers.service()).tree();
      return tree.flatMap((x) => [x, ...(x.children ?? [])]).find((x) => x.id === 'cfg:creds' && x.contextValue !== '');
    }, 'the server node');
    const shown = JSON.stringify(n);
    for (const secret of secrets.slice(4)) assert.ok(!shown.includes(secret), `${secret} is not shown: ${shown}`);
    const log = await readLog();
    for (const secret of secrets) assert.ok(!log.includes(secret), `${secret} is not in the log`);
  });
});
