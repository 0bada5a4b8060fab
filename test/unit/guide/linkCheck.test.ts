import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkGuideLinks } from '../../../src/core/guide/linkCheck';
import { classifyHref, commandHref, resolveRelative } from '../../../src/core/guide/links';
import { createMarkdown } from '../../../src/core/guide/markdown';
import { parseGuidePage } from '../../../src/core/guide/page';

const md = createMarkdown();
const page = (id: string, src: string) => parseGuidePage(md, id, src);

describe('guide links', () => {
  it("command links may only run the extension's own commands (issue 15)", () => {
    for (const href of [
      'command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%20-rf%20~%5Cn%22%7D',
      'command:workbench.action.files.save',
      'command:git.clone',
      'command:inferenceLabX.run',
    ]) {
      const link = classifyHref(href, 'x');
      assert.equal(link.kind, 'invalid', href);
      assert.match(
        link.kind === 'invalid' ? link.reason : '',
        /only Inference Lab's own commands can run from a guide page/,
      );
    }
    assert.equal(classifyHref('command:inferenceLab.guide.open', 'x').kind, 'command');
  });
  it('classifies relative pages, anchors, commands and web links', () => {
    assert.deepEqual(classifyHref('../servers/triton.md#ports-and-endpoints', 'benchmarks/metrics'), {
      kind: 'page',
      page: 'servers/triton',
      anchor: 'ports-and-endpoints',
    });
    assert.deepEqual(classifyHref('running.md', 'benchmarks/metrics'), { kind: 'page', page: 'benchmarks/running' });
    assert.deepEqual(classifyHref('#load-modes', 'benchmarks/overview'), { kind: 'anchor', anchor: 'load-modes' });
    assert.deepEqual(classifyHref('command:inferenceLab.containers.launch?%5B%22triton%22%5D', 'x'), {
      kind: 'command',
      command: 'inferenceLab.containers.launch',
      args: ['triton'],
    });
    assert.deepEqual(classifyHref('command:inferenceLab.bench.run?%7B%22group%22%3A%22embeddings%22%7D', 'x'), {
      kind: 'command',
      command: 'inferenceLab.bench.run',
      args: [{ group: 'embeddings' }],
    });
    assert.deepEqual(classifyHref('https://docs.vllm.ai/', 'x'), { kind: 'external', url: 'https://docs.vllm.ai/' });
    assert.equal(classifyHref('javascript:alert(1)', 'x').kind, 'invalid');
    assert.equal(classifyHref('../../../etc.md', 'a/b').kind, 'invalid');
    assert.equal(classifyHref('command:x.y?notjson', 'x').kind, 'invalid');
  });

  it('builds command hrefs that parse back', () => {
    const href = commandHref('inferenceLab.bench.run', { group: 'text-generation' });
    assert.deepEqual(classifyHref(href, 'x'), {
      kind: 'command',
      command: 'inferenceLab.bench.run',
      args: [{ group: 'text-generation' }],
    });
    assert.equal(resolveRelative('servers/triton', './vllm'), 'servers/vllm');
  });

  it('reports missing pages, missing anchors, unknown commands, bad arguments and http links', () => {
    const a = page(
      's/a',
      '# A\n\n## Real heading\n\n[ok](#real-heading) [bad anchor](#nope) [page](b.md#b-title) [no page](c.md) [bad page anchor](b.md#zzz)\n\n[cmd](command:nope.cmd) [preset](command:inferenceLab.containers.launch?%5B%22nginx%22%5D) [group](command:inferenceLab.bench.run?%5B%7B%22group%22%3A%22x%22%7D%5D) [web](http://example.com)\n',
    );
    const b = page('s/b', '# B title\n\ntext\n');
    const problems = checkGuideLinks([a, b]).map((p) => `${p.href}: ${p.problem}`);
    assert.equal(problems.length, 7, problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('#nope')));
    assert.ok(problems.some((p) => p.startsWith('c.md')));
    assert.ok(problems.some((p) => p.startsWith('b.md#zzz')));
    assert.ok(
      problems.some((p) => p.startsWith('command:nope.cmd') && p.includes("only Inference Lab's own commands")),
    );
    assert.ok(problems.some((p) => p.includes('unknown container preset "nginx"')));
    assert.ok(problems.some((p) => p.includes('unknown benchmark group "x"')));
    assert.ok(problems.some((p) => p.includes('https')));
  });
});
