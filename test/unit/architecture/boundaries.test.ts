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
    assert.deepEqual(
      host.messages.filter((m) => m.ruleId === 'no-restricted-imports'),
      [],
    );
  });

  const restricted = async (file: string, src: string) => {
    const [res] = await new ESLint({ cwd: root }).lintText(src, { filePath: path.join(root, file) });
    return res.messages.filter((m) => m.ruleId === 'no-restricted-imports').length > 0;
  };

  it('src/shared imports nothing: no package, no core, host, cli or webview code; other shared files are fine', async () => {
    for (const [file, spec] of [
      ['src/shared/x.ts', '../core/request/execute'],
      ['src/shared/messages/x.ts', '../../core/util/abort'],
      ['src/shared/messages/x.ts', '../../host/extension'],
      ['src/shared/x.ts', '../webview/about/model'],
      ['src/shared/x.ts', 'undici'],
      ['src/shared/x.ts', 'node:fs'],
    ])
      assert.equal(
        await restricted(file, `import { a } from '${spec}';\nexport const x = a;\n`),
        true,
        `${file} importing ${spec}`,
      );
    for (const [file, spec] of [
      ['src/shared/messages/x.ts', '../request'],
      ['src/shared/messages/x.ts', './protocol'],
      ['src/shared/x.ts', './format'],
    ])
      assert.equal(
        await restricted(file, `import { a } from '${spec}';\nexport const x = a;\n`),
        false,
        `${file} importing ${spec}`,
      );
  });

  it('contract files (types.ts, *Types.ts) import only other contracts and src/shared, never an implementation', async () => {
    for (const [file, spec] of [
      ['src/core/servers/types.ts', './adapters/oipGrpc'],
      ['src/core/servers/types.ts', '../metrics/gauges'],
      ['src/core/docker/presets/presetTypes.ts', '../launch/launch'],
      ['src/core/servers/types.ts', 'dockerode'],
      ['src/core/servers/types.ts', 'vscode'],
    ])
      assert.equal(
        await restricted(file, `import type { A } from '${spec}';\nexport type X = A;\n`),
        true,
        `${file} importing ${spec}`,
      );
    for (const [file, spec] of [
      ['src/core/servers/types.ts', '../metrics/types'],
      ['src/core/embedded/models/types.ts', '../faultTypes'],
      ['src/core/request/fooTypes.ts', '../../shared/request'],
    ])
      assert.equal(
        await restricted(file, `import type { A } from '${spec}';\nexport type X = A;\n`),
        false,
        `${file} importing ${spec}`,
      );
  });

  it('the benchmark does not import the embedded server (its tokenizer lives in src/core/text)', async () => {
    assert.equal(
      await restricted(
        'src/core/bench/workload/tokens.ts',
        "import { countTokens } from '../../embedded/models/tokenizer';\nexport const x = countTokens;\n",
      ),
      true,
    );
    assert.equal(
      await restricted(
        'src/core/bench/workload/tokens.ts',
        "import { countTokens } from '../../text/tokenizer';\nexport const x = countTokens;\n",
      ),
      false,
    );
  });

  it('the whole source tree passes the layer rules', async () => {
    const results = await new ESLint({ cwd: root }).lintFiles(['src', 'webview']);
    const broken = results.flatMap((r) =>
      r.messages
        .filter((m) => m.ruleId === 'no-restricted-imports')
        .map((m) => `${path.relative(root, r.filePath)}:${m.line} ${m.message}`),
    );
    assert.deepEqual(broken, []);
  });

  it('no file under src/core, src/shared or src/cli imports vscode', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts') && /from ['"]vscode['"]|require\(['"]vscode['"]\)/.test(fs.readFileSync(p, 'utf8')))
          offenders.push(path.relative(root, p));
      }
    };
    for (const d of ['src/core', 'src/shared', 'src/cli']) walk(path.join(root, d));
    assert.deepEqual(offenders, []);
  });

  it('plain Node cannot resolve the vscode module here, so core tests would fail on a stray import', () => {
    assert.throws(() => require.resolve('vscode'), /Cannot find module/);
  });
});
