import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CommandIds } from '../../../src/shared/ids';
import { GuideCommandIds, LinkableCommandIds } from '../../../src/core/guide/commands';

const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8'));

describe('guide commands', () => {
  it('are in the command table and contributed in package.json with a category and an icon', () => {
    const ids = Object.values(CommandIds) as string[];
    const contributed = new Map<string, { category?: string; icon?: string }>(
      pkg.contributes.commands.map((c: { command: string }) => [c.command, c]),
    );
    for (const id of Object.values(GuideCommandIds)) {
      assert.ok(ids.includes(id), `${id} in CommandIds`);
      assert.equal(contributed.get(id)?.category, 'Inference Lab', id);
      assert.match(contributed.get(id)?.icon ?? '', /^\$\([a-z-]+\)$/, id);
    }
  });

  it('the walkthrough steps complete on commands guide pages may link to', () => {
    const [walk] = pkg.contributes.walkthroughs;
    for (const step of walk.steps) {
      assert.ok(fs.existsSync(path.resolve(__dirname, '..', '..', '..', step.media.markdown)), step.media.markdown);
      for (const ev of step.completionEvents as string[])
        assert.ok((LinkableCommandIds as readonly string[]).includes(ev.replace(/^onCommand:/, '')), ev);
      for (const m of (step.description as string).matchAll(/\(command:([\w.]+)\)/g))
        assert.ok((LinkableCommandIds as readonly string[]).includes(m[1]), m[1]);
    }
    assert.deepEqual(
      walk.steps.map((s: { id: string }) => s.id),
      ['addServer', 'launchContainer', 'sendRequest', 'runBenchmark', 'readGuide'],
    );
  });

  it('the guide panel can be restored after a reload', () => {
    assert.ok(pkg.activationEvents.includes('onWebviewPanel:inferenceLab.guide'));
  });
});
