import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const root = path.resolve(__dirname, '..', '..', '..');

describe('architecture boundaries', () => {
  it('the lint rule rejects a vscode import in core, shared, cli and webview code, and allows it in host', async () => {
    const eslint = new ESLint({ cwd: root });
    const src = "import * as vscode from 'vscode';\nexport const x = vscode;\n";
    for (const file of ['src/core/servers/x.ts', 'src/shared/x.ts', 'src/cli/x.ts', 'webview/about/x.ts']) {
      const [res] = await eslint.lintText(src, { filePath: path.join(root, file) });
      assert.ok(
        res.messages.some((m) => m.ruleId === 'no-restricted-imports'),
        `${file}: expected no-restricted-imports, got ${JSON.stringify(res.messages.map((m) => m.ruleId))}`,
      );
    }
    const [host] = await eslint.lintText(src, { filePath: path.join(root, 'src/host/x.ts') });
    assert.deepEqual(host.messages.filter((m) => m.ruleId === 'no-restricted-imports'), []);
  });

  it('no file under src/core, src/shared or src/cli imports vscode', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts') && /from ['"]vscode['"]|require\(['"]vscode['"]\)/.test(fs.readFileSync(p, 'utf8'))) offenders.push(path.relative(root, p));
      }
    };
    for (const d of ['src/core', 'src/shared', 'src/cli']) walk(path.join(root, d));
    assert.deepEqual(offenders, []);
  });

  it('plain Node cannot resolve the vscode module here, so core tests would fail on a stray import', () => {
    assert.throws(() => require.resolve('vscode'), /Cannot find module/);
  });
});
