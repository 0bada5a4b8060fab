import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMarkdown } from '../../../src/core/guide/markdown';
import { parseGuidePage } from '../../../src/core/guide/page';
import { GuideSearchIndex, snippetAround } from '../../../src/core/guide/search';
import { diskGuide } from './guideFixture';

describe('guide search', () => {
  it('finds a page by a term that only appears in its body, at the right section', () => {
    const md = createMarkdown();
    const pages = [
      parseGuidePage(md, 'a', '# Alpha\n\nIntro.\n\n## Details\n\nThe flux capacitor needs 1.21 gigawatts.\n'),
      parseGuidePage(md, 'b', '# Beta\n\nNothing about that here.\n'),
    ];
    const hits = new GuideSearchIndex(pages).search('gigawatts');
    assert.equal(hits[0]?.page, 'a');
    assert.equal(hits[0]?.anchor, 'details');
    assert.match(hits[0]!.snippet, /gigawatts/);
    assert.deepEqual(new GuideSearchIndex(pages).search('qqqqqq'), []);
  });

  it('ranks title matches first, matches the last word as a prefix and forgives a typo', async () => {
    const lib = diskGuide();
    assert.equal((await lib.search('Ollama'))[0]?.page, 'servers/ollama');
    assert.equal((await lib.search('PagedAtt'))[0] !== undefined, true);
    assert.ok(
      (await lib.search('coordinated omision')).some(
        (h) => h.page === 'benchmarks/overview' && h.anchor === 'coordinated-omission',
      ),
    );
  });

  it('finds shipped pages by terms from their bodies', async () => {
    const lib = diskGuide();
    const top = async (q: string) => (await lib.search(q)).slice(0, 3).map((h) => h.page);
    assert.ok((await top('max_queue_delay_microseconds')).includes('servers/triton'));
    assert.ok((await top('burstiness')).includes('benchmarks/overview'));
    assert.ok((await top('key_file.json')).includes('servers/torchserve'));
  });

  it('cuts a snippet around the first matching term', () => {
    const text = `${'x '.repeat(200)}needle ${'y '.repeat(200)}`;
    const s = snippetAround(text, ['needle'], 60);
    assert.match(s, /^….*needle.*…$/);
    assert.ok(s.length <= 62);
  });
});
