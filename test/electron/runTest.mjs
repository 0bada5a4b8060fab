#!/usr/bin/env node
// The same extension-host suites as the workbench tier, in VS Code desktop
// through @vscode/test-electron — for machines that can download VS Code
// (it downloads the build named by VSCODE_TEST_VERSION, default 1.100.3).
// `npm run test:electron` builds the suites first (esbuild.mjs --tests).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
try {
  await runTests({
    version: process.env.VSCODE_TEST_VERSION || '1.100.3',
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'out', 'test', 'workbench', 'suite', 'index.js'),
    launchArgs: ['--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
} catch (e) {
  console.error(`test:electron failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
