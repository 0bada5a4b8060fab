import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatSize, LaunchProgressTracker } from '../../../src/core/containers/launch/progressTracker';

describe('launch progress notification', () => {
  it('adds up to 100 over the phases, with the pull filling most of the bar and never going back', () => {
    const t = new LaunchProgressTracker(() => 0);
    const steps = [
      t.next({ phase: 'check', message: 'Checking' }),
      t.next({
        phase: 'pull',
        message: 'Pulling x: Downloading',
        percent: 50,
        downloadedBytes: 512 * 1024 ** 2,
        totalBytes: 1024 ** 3,
      }),
      t.next({ phase: 'pull', message: 'Pulling x: Downloading', percent: 40 }),
      t.next({ phase: 'pull', message: 'Pulling x: Pull complete', percent: 100 }),
      t.next({ phase: 'create', message: 'Creating' }),
      t.next({ phase: 'start', message: 'Starting' }),
      t.next({ phase: 'health', message: 'Waiting for http://127.0.0.1:8000/health' }),
      t.next({ phase: 'ready', message: 'ready' }),
    ];
    assert.equal(steps[1].message, 'Pulling x: Downloading (50 % · 512.0 MB of 1.00 GB)');
    assert.equal(steps[2].increment, undefined, 'a lower percentage adds nothing');
    assert.equal(Math.round(steps.reduce((a, s) => a + (s.increment ?? 0), 0)), 100);
    assert.ok(steps[3].increment! > 0);
  });

  it('shows the last log line while waiting for health, at most every interval', () => {
    let now = 0;
    const t = new LaunchProgressTracker(() => now, 300);
    assert.equal(t.log('too early: not waiting for health yet'), undefined);
    t.next({ phase: 'health', message: 'Waiting for http://127.0.0.1:8000/health: connection refused' });
    now = 1000;
    assert.equal(
      t.log('INFO Loading weights')?.message,
      'Waiting for http://127.0.0.1:8000/health: connection refused — INFO Loading weights',
    );
    now = 1100;
    assert.equal(t.log('too soon'), undefined);
    now = 1500;
    const long = t.log('x'.repeat(300))!.message;
    assert.ok(long.endsWith('…') && long.length < 200);
  });

  it('formats sizes', () => {
    assert.deepEqual([2048, 5 * 1024 ** 2, 3 * 1024 ** 3].map(formatSize), ['2 KB', '5.0 MB', '3.00 GB']);
  });
});
