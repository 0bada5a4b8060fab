import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
// @ts-expect-error: a plain .mjs script without type declarations
import { settingsTable, withSettingsTable, START, END } from '../../../scripts/gen-settings-table.mjs';

import { exitCodes } from '../../../src/cli/exitCodes';

const root = path.resolve(__dirname, '..', '..', '..');
const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');

describe('docs', () => {
  it("the README's CLI section lists every exit code, and docs/cli.md has a row for each (issue 15)", () => {
    const cli =
      read('README.md')
        .split(/^## /m)
        .find((sec) => sec.startsWith('Command line')) ?? '';
    const table = read('docs/cli.md');
    const codes = Object.values(exitCodes);
    assert.equal(codes.length, 10);
    for (const code of codes) {
      assert.match(cli, new RegExp(`(^|[ :·(])${code} [a-z]`, 'm'), `README CLI section lists exit code ${code}`);
      assert.match(table, new RegExp(`^ *\\| ${code} \\| \\S`, 'm'), `docs/cli.md has a row for exit code ${code}`);
    }
  });

  it('the README settings table is the one generated from package.json', () => {
    const readme = read('README.md');
    const manifest = JSON.parse(read('package.json'));
    assert.equal(readme, withSettingsTable(readme, manifest), 'stale: run `node scripts/gen-settings-table.mjs`');
    for (const key of Object.keys(manifest.contributes.configuration.properties))
      assert.ok(readme.includes(`| \`${key}\` |`), key);
  });

  it('renders one row per setting: key, JSON default, description (markdown first), enum values; escapes pipes', () => {
    const table = settingsTable({
      contributes: {
        configuration: {
          properties: {
            'x.a': { type: 'number', default: 3, description: 'Plain | piped\n  text.' },
            'x.b': {
              type: 'string',
              default: 'missing',
              markdownDescription: 'Use **this**.',
              description: 'not this',
              enum: ['missing', 'always'],
              enumDescriptions: ['only when absent', 'every time'],
            },
            'x.c': { type: 'array', default: [1, 2], description: 'List.' },
          },
        },
      },
    });
    assert.equal(
      table,
      [
        '| setting | default | what it does |',
        '|---|---|---|',
        '| `x.a` | `3` | Plain \\| piped text. |',
        '| `x.b` | `"missing"` | Use **this**. One of `"missing"`: only when absent; `"always"`: every time. |',
        '| `x.c` | `[1,2]` | List. |',
      ].join('\n'),
    );
  });

  it('a README without the markers is an error, not a silent no-op', () => {
    assert.throws(() => withSettingsTable('# no table here', { contributes: {} }), /lacks the settings markers/);
    assert.equal(
      withSettingsTable(`a\n${START}\nold\n${END}\nb`, { contributes: {} }),
      `a\n${START}\n| setting | default | what it does |\n|---|---|---|\n${END}\nb`,
    );
  });

  it('the README stays a user README: under 25 KB', () => {
    const bytes = fs.statSync(path.join(root, 'README.md')).size;
    assert.ok(bytes < 25 * 1024, `README.md is ${bytes} bytes`);
  });

  it('every relative link and image of the README and the docs points at a file that exists', () => {
    const files = [
      'README.md',
      'CONTRIBUTING.md',
      ...fs
        .readdirSync(path.join(root, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`),
    ];
    const missing: string[] = [];
    for (const f of files) {
      for (const m of read(f).matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1].split('#')[0];
        if (!target || /^[a-z]+:/i.test(target)) continue;
        if (!fs.existsSync(path.join(root, path.dirname(f), target))) missing.push(`${f} → ${m[1]}`);
      }
    }
    assert.deepEqual(missing, []);
  });
});
