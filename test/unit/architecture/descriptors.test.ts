import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { benchGroups, benchGroupTable } from '../../../src/shared/benchGroups';
import { groupEngines } from '../../../src/core/bench/groups';
import { kinds, detectionOrder } from '../../../src/core/servers/registry';
import { serverKinds } from '../../../src/core/servers/types';
import { templatesFor } from '../../../src/core/request/build/templates';

const root = path.resolve(__dirname, '..', '..', '..');
const rel = (p: string) => path.relative(root, p).split(path.sep).join('/');

const sources = (): Array<{ file: string; text: string }> => {
  const out: Array<{ file: string; text: string }> = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) out.push({ file: rel(p), text: fs.readFileSync(p, 'utf8') });
    }
  };
  for (const d of ['src', 'webview']) walk(path.join(root, d));
  return out;
};

/**
 * Places that declare a set of ids: a line naming `min` or more of them as string literals (a union, a
 * list, a one-line record), or a file keying objects by `min` or more of them (a multi-line record).
 */
function declarations(
  ids: readonly string[],
  min: number,
  allowed: readonly string[],
  lineFilter: (line: string) => boolean = () => true,
): string[] {
  const esc = ids.map((i) => i.replace(/[-.]/g, '\\$&')).join('|');
  const literal = new RegExp(`['"](${esc})['"]`, 'g');
  const key = new RegExp(`(?:^|[{,]\\s*)['"]?(${esc})['"]?\\s*:`, 'gm');
  const found: string[] = [];
  for (const { file, text } of sources()) {
    if (allowed.includes(file)) continue;
    text.split('\n').forEach((line, i) => {
      const names = new Set([...line.matchAll(literal)].map((m) => m[1]));
      if (names.size >= min && lineFilter(line)) found.push(`${file}:${i + 1} ${line.trim().slice(0, 100)}`);
    });
    const keys = new Set([...text.matchAll(key)].map((m) => m[1]));
    if (keys.size >= min && [...keys].some((k) => lineFilter(`'${k}'`)))
      found.push(`${file}: keys ${[...keys].join(', ')}`);
  }
  return found;
}

describe('one descriptor per benchmark group and per server kind', () => {
  it('benchmark groups are declared only in their descriptors (src/shared/benchGroups.ts, src/core/bench/groups.ts)', () => {
    // The kinds' descriptors key their benchmark APIs by group; the embedded server's model kinds are another vocabulary.
    const embedded = sources()
      .filter((s) => s.file.startsWith('src/core/embedded/'))
      .map((s) => s.file);
    assert.deepEqual(
      declarations(benchGroups, 2, [
        'src/shared/benchGroups.ts',
        'src/core/bench/groups.ts',
        'src/core/servers/registry.ts',
        ...embedded,
      ]),
      [],
    );
  });

  it('server kinds are declared only in src/core/servers/types.ts (the union) and registry.ts (the descriptors)', () => {
    // API names such as 'kserve' or 'tei' are not kinds: a line counts when it names a kind no API is called.
    const kindOnly = /['"](triton|oip|vllm|rayserve)['"]/;
    const allowed = ['src/core/servers/types.ts', 'src/core/servers/registry.ts'];
    const embedded = sources()
      .filter((s) => s.file.startsWith('src/core/embedded/'))
      .map((s) => s.file);
    assert.deepEqual(
      declarations(serverKinds, 3, [...allowed, ...embedded], (l) => kindOnly.test(l)),
      [],
    );
  });

  it('the descriptors are complete and agree with the schema and the manifest', () => {
    assert.deepEqual(Object.keys(groupEngines).sort(), [...benchGroups].sort());
    assert.deepEqual(Object.keys(kinds).sort(), [...serverKinds].sort());
    assert.deepEqual([...detectionOrder].sort(), [...serverKinds].sort());
    const schema = JSON.parse(fs.readFileSync(path.join(root, 'src/core/bench/schema/spec.schema.json'), 'utf8'));
    assert.deepEqual(schema.properties.group.enum, benchGroups);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    assert.deepEqual(
      pkg.contributes.configuration.properties['inferenceLab.servers'].items.properties.kind.enum
        .filter((k: string) => k !== 'auto')
        .sort(),
      [...serverKinds].sort(),
    );
    for (const [kind, d] of Object.entries(kinds)) {
      for (const [group, api] of Object.entries(d.benchApis))
        assert.ok(
          (benchGroupTable[group as keyof typeof benchGroupTable].apis as readonly string[]).includes(api!),
          `${kind}: ${group} API ${api}`,
        );
    }
  });

  it('the kinds facts read from the registry: templates, default benchmark group and API', () => {
    assert.deepEqual(templatesFor({ kind: 'tgi' }), [
      'tgi-generate-stream',
      'tgi-generate',
      'openai-chat',
      'openai-completions',
      'websocket',
      'raw',
    ]);
    assert.deepEqual(templatesFor({ kind: 'unknown' }), ['openai-chat', 'websocket', 'raw']);
    assert.equal(kinds.torchserve.benchGroup, 'image-classification');
    assert.equal(kinds.tei.benchGroup, 'embeddings');
    assert.equal(kinds.triton.benchApis['text-generation'], 'triton-generate');
    assert.equal(kinds.triton.benchApis.embeddings, 'kserve');
  });
});
