/**
 * The rendered `docker run` is a real command: run with the docker CLI it
 * starts the same server, recognised as ours, and the secret reaches the
 * container from the caller's environment without being in the command.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { after, describe, it } from 'node:test';
import { waitForHealth } from '../../src/core/docker/launch/healthWait';
import { resolveLaunch } from '../../src/core/docker/launch/launchSpec';
import { dockerRunArgv, renderDockerRun } from '../../src/core/docker/launch/renderRun';
import { docker, embeddedPreset, freePort, removeNamed, service, testLabels } from './helpers';

const svc = service();
const name = `il-test-render-${process.pid}`;
after(() => removeNamed(svc, name));

describe('rendered docker run on the real engine', () => {
  it('starts the same server through the docker CLI', async () => {
    const port = await freePort();
    const spec = resolveLaunch(
      embeddedPreset(),
      { name, gpus: 'none', hostPorts: { http: port }, labels: testLabels },
      { homeDir: os.homedir() },
    );
    const secret = 'hf_from_the_callers_environment';
    assert.ok(!renderDockerRun(spec).includes(secret));
    const id = execFileSync('docker', dockerRunArgv(spec), {
      encoding: 'utf8',
      env: { ...process.env, HF_TOKEN: secret },
    }).trim();
    await waitForHealth({ url: `http://127.0.0.1:${port}${spec.health.path}`, expectStatus: 200, timeoutMs: 60_000 });
    const listed = (await svc.list({ scope: 'ours' })).find((c) => c.id === id);
    assert.ok(listed, 'a container started from the rendered command is recognised as ours');
    assert.equal(listed.presetId, 'embedded-test');
    assert.equal(
      docker(['exec', id, '/usr/bin/node', '-e', 'process.stdout.write(process.env.HF_TOKEN ?? "")']),
      secret,
    );
    await svc.remove(id, { force: true });
  });
});
