import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RawPullMessage } from '../../../../src/core/docker/engine/engineSchemas';
import { PullProgressTracker } from '../../../../src/core/docker/engine/pullProgress';
import type { PullProgress } from '../../../../src/core/docker/types';
import { fixtureText } from '../fixtures';

const recorded = (): RawPullMessage[] =>
  fixtureText('pull-progress-two-layers.ndjson')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as RawPullMessage);

describe('pull progress aggregation', () => {
  it('replays a recorded two-layer pull: monotonic, bytes from the layer sizes, 100 % at the end', () => {
    const t = new PullProgressTracker();
    const seen: PullProgress[] = recorded().map((m) => t.update(m));
    for (let i = 1; i < seen.length; i++)
      assert.ok(seen[i].percent >= seen[i - 1].percent, `percent went back at message ${i}`);
    const last = seen[seen.length - 1];
    assert.equal(last.layersTotal, 2);
    assert.equal(last.layersDone, 2);
    assert.equal(last.totalBytes, 8391357 + 39779308);
    assert.equal(last.downloadedBytes, last.totalBytes);
    assert.equal(last.percent, 100);
    // Midway: the big layer downloaded 25 MB of 40 MB, the small one complete.
    const mid = seen.find((p) => p.downloadedBytes === 8391357 + 25271734);
    assert.ok(mid, 'the aggregate reaches the recorded midpoint');
    assert.ok(mid.percent > 40 && mid.percent < 80, `midpoint percent ${mid.percent}`);
    assert.match(last.status, /Downloaded newer image/);
  });

  it('weighs layers by size and counts not-yet-sized layers as average ones', () => {
    const t = new PullProgressTracker();
    t.update({ status: 'Pulling fs layer', id: 'a' });
    t.update({ status: 'Pulling fs layer', id: 'b' });
    const p = t.update({ status: 'Downloading', id: 'a', progressDetail: { current: 50, total: 100 } });
    // a: 0.8 * 0.5 of weight 100; b: unknown size counts as 100 → 40 / 200.
    assert.equal(p.percent, 20);
    assert.equal(p.totalBytes, 100);
    const q = t.update({ status: 'Downloading', id: 'b', progressDetail: { current: 0, total: 300 } });
    assert.equal(q.percent, 20, 'a newly sized bigger layer must not pull the figure down');
    const r = t.update({ status: 'Pull complete', id: 'b' });
    assert.equal(r.percent, 85); // (40 + 300) / 400
    assert.equal(r.layersDone, 1);
  });

  it('finishes at 100 % when every layer already exists', () => {
    const t = new PullProgressTracker();
    t.update({ status: 'Pulling from library/x', id: 'latest' });
    const p = t.update({ status: 'Already exists', id: 'a' });
    assert.equal(p.percent, 100);
    assert.equal(p.downloadedBytes, 0);
    assert.equal(t.finish().percent, 100);
  });

  it('ignores the tag line and digest/status lines as layers', () => {
    const t = new PullProgressTracker();
    t.update({ status: 'Pulling from library/x', id: 'latest' });
    const p = t.update({ status: 'Digest: sha256:abc' });
    assert.equal(p.layersTotal, 0);
    assert.equal(p.percent, 0);
  });
});
