/**
 * Pull with progress from a local registry (Debian's docker-registry on
 * 127.0.0.1, started by run.mjs): a two-layer image is pushed, every local
 * copy removed, and a launch pulls it back reporting one aggregated figure.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ContainerError } from '../../src/core/docker/errors';
import { launch, type LaunchProgress } from '../../src/core/docker/launch/launch';
import {
  docker,
  embeddedPreset,
  freePort,
  registry,
  registrySkip,
  removeNamed,
  service,
  testImage,
  testLabel,
  testLabels,
} from './helpers';

const svc = service();
const reg = registry();
const name = `il-test-pull-${process.pid}`;
const saved = path.join(os.tmpdir(), `il-test-image-${process.pid}.tar`);
const layered = reg ? `${reg}/inference-lab-test/layered:${process.pid}` : '';

describe('pull progress from a local registry', { skip: reg ? false : (registrySkip() ?? 'no local registry') }, () => {
  before(() => {
    // Base layer: the test image; second layer: 8 MiB of random bytes.
    const builder = `${name}-build`;
    docker([
      'run',
      '--name',
      builder,
      '--label',
      `${testLabel}=1`,
      testImage(),
      '/usr/bin/node',
      '-e',
      "require('fs').writeFileSync('/tmp/blob', require('crypto').randomBytes(8 << 20))",
    ]);
    docker(['commit', '--change', `LABEL ${testLabel}=1`, builder, layered]);
    docker(['rm', builder]);
    docker(['push', layered]);
    // Remove every local copy of both layers, so that the pull downloads them all;
    // the test image is saved first and loaded back afterwards for the other tests.
    docker(['save', '-o', saved, testImage()]);
    docker(['rmi', layered, testImage()]);
  });

  after(async () => {
    await removeNamed(svc, name);
    if (fs.existsSync(saved)) {
      docker(['load', '-i', saved]);
      fs.rmSync(saved, { force: true });
    }
  });

  it('launches the pushed image, pulling it with aggregated progress', async () => {
    assert.equal(await svc.imageExists(layered), false);
    const progress: LaunchProgress[] = [];
    const colon = layered.lastIndexOf(':');
    const preset = embeddedPreset(layered, { image: layered.slice(0, colon), tag: layered.slice(colon + 1) });
    const server = await launch(
      preset,
      { name, gpus: 'none', hostPorts: { http: await freePort() }, labels: testLabels },
      { service: svc, onProgress: (p) => progress.push(p) },
    );
    assert.equal(server.pulled, true);
    const pulls = progress.filter((p) => p.phase === 'pull' && p.percent !== undefined);
    assert.ok(pulls.length >= 3, `pull progress events: ${pulls.length}`);
    for (let i = 1; i < pulls.length; i++)
      assert.ok(pulls[i].percent! >= pulls[i - 1].percent!, 'percent never goes back');
    const last = pulls[pulls.length - 1];
    assert.equal(last.percent, 100);
    // Both layers were downloaded: more than the 8 MiB random layer, the node binary too.
    assert.ok(last.totalBytes! > 8 << 20, `total ${last.totalBytes}`);
    assert.equal(last.downloadedBytes, last.totalBytes);
    assert.ok(
      pulls.some((p) => p.percent! > 0 && p.percent! < 100),
      'intermediate progress was reported',
    );
    assert.equal((await svc.inspect(server.containerId)).running, true);
  });

  it('a tag the registry does not have: image not found', async () => {
    const err = await svc.pull(`${reg}/inference-lab-test/layered:no-such-tag`).catch((e: unknown) => e);
    assert.ok(ContainerError.is(err, 'image-not-found'), String(err));
    assert.match(err.message, /was not found: .*manifest unknown/);
  });

  it('a cancelled pull stops with a cancelled error', async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    const err = await svc.pull(layered, { signal: ctrl.signal }).catch((e: unknown) => e);
    assert.ok(ContainerError.is(err, 'cancelled'), String(err));
  });
});
