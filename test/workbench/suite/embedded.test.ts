/**
 * The embedded server inside the extension host: started on demand, its
 * endpoints offered to other panels, stopped by command or by turning the
 * setting off, and reported to the About panel's component list.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ServersApi } from '../../../src/host/servers/registerServers';
import { activateExtension, waitFor } from './util';

const cfg = () => vscode.workspace.getConfiguration('inferenceLab');

/** True when something answers HTTP at `url` (a closed port rejects). */
async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

describe('embedded server', function () {
  this.timeout(120_000);
  let api: ServersApi;

  before(async () => {
    ({
      api: { servers: api },
    } = await activateExtension<{ servers: ServersApi }>());
  });

  after(async () => {
    await cfg().update('embeddedServer.enabled', undefined, vscode.ConfigurationTarget.Global);
  });

  it('starts on demand and hands other panels its endpoints', async () => {
    const vllm = await api.embedded.ensureEndpoint('vllm');
    assert.ok(vllm?.startsWith('http://127.0.0.1:'), String(vllm));
    assert.equal(api.embedded.state.phase, 'running');
    assert.equal(api.embedded.endpoint('vllm'), vllm);
    assert.equal(api.embedded.endpoint('no-such-endpoint'), undefined);
    const models = (await (await fetch(`${vllm}/v1/models`)).json()) as { data: Array<{ id: string }> };
    assert.ok(models.data.length > 0, 'the personality answers with its simulated models');
    const about = api.components().find((c) => c.name === 'Embedded server');
    assert.equal(about?.state, 'running');
    assert.ok(about?.detail?.includes(vllm!), String(about?.detail));
  });

  it('stops by command: ports closed, no Embedded group, the About panel says so', async () => {
    const vllm = (await api.embedded.ensureEndpoint('vllm'))!;
    await vscode.commands.executeCommand('inferenceLab.embedded.stop');
    assert.equal(api.embedded.state.phase, 'stopped');
    assert.equal(api.embedded.endpoint('vllm'), undefined);
    assert.equal(await answers(`${vllm}/health`), false, 'the port is closed');
    const service = await api.service();
    assert.ok(!service.tree().some((n) => n.id === 'group:embedded'));
    assert.equal(api.components().find((c) => c.name === 'Embedded server')?.state, 'stopped');
  });

  it('starts again by command with every personality listening', async () => {
    const endpoints = (await vscode.commands.executeCommand<Record<string, string>>('inferenceLab.embedded.start'))!;
    for (const name of api.embedded.state.personalities.map((p) => p.name))
      assert.ok(endpoints[name], `${name} endpoint`);
    assert.equal(await answers(`${endpoints.vllm}/health`), true);
  });

  it('turning the setting off stops it, and on-demand use no longer starts it', async () => {
    await cfg().update('embeddedServer.enabled', false, vscode.ConfigurationTarget.Global);
    await waitFor(() => api.embedded.state.phase === 'stopped', 'the server to stop');
    assert.equal(await api.embedded.ensureEndpoint('vllm'), undefined);
    await cfg().update('embeddedServer.enabled', true, vscode.ConfigurationTarget.Global);
    assert.ok(await api.embedded.ensureEndpoint('vllm'));
  });
});
