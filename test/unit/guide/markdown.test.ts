import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMarkdown, renderGuideHtml } from '../../../src/core/guide/markdown';
import { parseGuidePage } from '../../../src/core/guide/page';
import { slugify, SlugAllocator } from '../../../src/core/guide/slug';

const md = createMarkdown();

describe('guide markdown', () => {
  it('slugs headings like GitHub and de-duplicates them', () => {
    assert.equal(slugify('Open Inference Protocol (KServe v2)'), 'open-inference-protocol-kserve-v2');
    assert.equal(slugify('`config.pbtxt` essentials'), 'configpbtxt-essentials');
    const s = new SlugAllocator();
    assert.deepEqual([s.next('Ports'), s.next('Ports'), s.next('Ports')], ['ports', 'ports-1', 'ports-2']);
  });

  it('gives headings the ids the parser reports', () => {
    const src = '# Title\n\n## Load modes\n\ntext\n\n## Load modes\n';
    const html = renderGuideHtml(md, src, { pageId: 'a/b' });
    const parsed = parseGuidePage(md, 'a/b', src);
    for (const h of parsed.headings) assert.ok(html.includes(`id="${h.anchor}"`), h.anchor);
    assert.deepEqual(
      parsed.headings.map((h) => h.anchor),
      ['title', 'load-modes', 'load-modes-1'],
    );
  });

  it('escapes raw HTML and drops script URLs', () => {
    const html = renderGuideHtml(
      md,
      '# T\n\n<script>alert(1)</script> <img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))\n',
      { pageId: 'p' },
    );
    assert.ok(!html.includes('<script>'));
    assert.ok(!html.includes('<img'));
    assert.ok(html.includes('&lt;script&gt;'));
    assert.ok(!html.includes('href="javascript:'));
  });

  it('annotates links for the webview and maps images to webview URLs', () => {
    const html = renderGuideHtml(
      md,
      '[a](../servers/vllm.md#metrics) [b](#x) [c](command:inferenceLab.request.new) [d](https://docs.vllm.ai/) ![e](../images/arch.svg)',
      {
        pageId: 'benchmarks/metrics',
        imageUrl: (p) => `vscode-resource:/guide/${p}`,
      },
    );
    assert.match(html, /data-page="servers\/vllm" data-anchor="metrics"/);
    assert.match(html, /href="#x" data-anchor="x"/);
    assert.match(html, /data-command="inferenceLab.request.new"/);
    assert.match(html, /data-external="true"/);
    assert.match(html, /src="vscode-resource:\/guide\/images\/arch.svg"/);
  });
});
