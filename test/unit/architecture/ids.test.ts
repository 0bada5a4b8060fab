import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CommandIds, ContextKeys, DiagnosticIds, PanelTypes, StatusBarIds, ViewIds } from '../../../src/shared/ids';

const root = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const tables = { CommandIds, ViewIds, PanelTypes, ContextKeys, StatusBarIds, DiagnosticIds };

const sources = (): string[] => {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) out.push(p);
    }
  };
  walk(path.join(root, 'src'));
  walk(path.join(root, 'webview'));
  return out;
};

describe('the id table (src/shared/ids.ts)', () => {
  it('is the only place that spells an id: no source file writes one as a string literal', () => {
    const ids = new Set(Object.values(tables).flatMap((t) => Object.values(t) as string[]));
    const literals: string[] = [];
    for (const file of sources()) {
      if (file.endsWith(path.join('src', 'shared', 'ids.ts'))) continue;
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/['"](inferenceLab\.[\w.]+?)(\.focus)?['"]/g)) {
        if (ids.has(m[1])) literals.push(`${path.relative(root, file)}: ${m[0]}`);
      }
    }
    assert.deepEqual(literals, []);
  });

  it('matches the manifest: every command, view and restorable panel it declares is contributed', () => {
    const commands = (pkg.contributes.commands as Array<{ command: string }>).map((c) => c.command).sort();
    assert.deepEqual(Object.values(CommandIds).slice().sort(), commands);
    const views = (pkg.contributes.views.inferenceLab as Array<{ id: string }>).map((v) => v.id).sort();
    assert.deepEqual(Object.values(ViewIds).slice().sort(), views);
    for (const t of [PanelTypes.guide, PanelTypes.results, PanelTypes.request])
      assert.ok(pkg.activationEvents.includes(`onWebviewPanel:${t}`), t);
    assert.ok(
      (pkg.contributes.customEditors as Array<{ viewType: string }>).some(
        (e) => e.viewType === PanelTypes.requestFileEditor,
      ),
    );
    assert.ok(JSON.stringify(pkg.contributes.menus).includes(`${ContextKeys.embeddedRunning}`));
  });
});
