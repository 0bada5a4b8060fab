// Lint: the architecture boundaries are rules, not hopes (tested in test/unit/architecture/).
//  - src/shared is the bottom vocabulary layer: it imports nothing outside itself (no package, no core, no host)
//  - src/core, src/cli and webview/ never import `vscode` or host code; only src/host imports vscode
//  - contract files (`types.ts`, `*Types.ts`) import no implementation: only other contract files and src/shared
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const vscodeOnlyInHost = {
  name: 'vscode',
  message: 'Only src/host may import vscode: core stays pure so the CLI and plain-Node tests can use it.',
};
const noHost = { group: ['**/host/**', '**/host'], message: 'Only the extension entry may depend on src/host.' };
const noVscode = { paths: [vscodeOnlyInHost], patterns: [noHost] };

const sharedRules = {
  patterns: [
    { regex: '^[^.]', message: 'src/shared is the bottom layer and imports nothing: no packages (not even vscode).' },
    {
      regex: '(^|/)(core|host|cli|webview)(/|$)',
      message: 'src/shared is the bottom layer and imports nothing outside src/shared.',
    },
  ],
};

const contractRules = {
  paths: [vscodeOnlyInHost],
  patterns: [
    noHost,
    { regex: '^[^.]', message: 'A contract file (types.ts, *Types.ts) imports no package: describe the shape here.' },
    {
      regex: '^(?!(\\.\\.?/)+(.*/)?(types|\\w*Types)$)(?!(\\.\\./)+shared/)\\.',
      message:
        'A contract file (types.ts, *Types.ts) imports no implementation: only other contract files and src/shared.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'dist-vsix/**', '**/*.mjs', '**/*.js', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts', 'webview/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', noVscode] },
  },
  { files: ['src/shared/**/*.ts'], rules: { 'no-restricted-imports': ['error', sharedRules] } },
  {
    // The benchmark measures servers; it never depends on the simulated one (shared text utilities live in src/core/text).
    files: ['src/core/bench/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...noVscode,
          patterns: [
            ...noVscode.patterns,
            {
              group: ['**/embedded/**', '**/embedded'],
              message: 'src/core/bench does not import the embedded server.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/core/**/types.ts', 'src/core/**/*Types.ts'],
    rules: { 'no-restricted-imports': ['error', contractRules] },
  },
  { files: ['test/**/*.ts', 'perf/**/*.ts'], rules: { '@typescript-eslint/no-non-null-assertion': 'off' } },
);
