import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkGuideLinks } from '../../../src/core/guide/linkCheck';
import { GUIDE_PAGE_IDS } from '../../../src/core/guide/toc';
import { diskGuide, pageFilesOnDisk } from './guideFixture';

describe('shipped guide pages', () => {
  it('the table of contents lists exactly the pages on disk, each once', async () => {
    const onDisk = (await pageFilesOnDisk()).sort();
    assert.deepEqual([...GUIDE_PAGE_IDS].sort(), onDisk);
    assert.equal(new Set(GUIDE_PAGE_IDS).size, GUIDE_PAGE_IDS.length);
  });

  it('every page has one H1 title and some body text', async () => {
    for (const p of await diskGuide().allParsed()) {
      assert.ok(p.title, `${p.id} has no # title`);
      assert.equal(p.headings.filter((h) => h.level === 1).length, 1, `${p.id} must have exactly one H1`);
      assert.ok(p.sections.reduce((n, s) => n + s.text.length, 0) > 800, `${p.id} is too thin`);
    }
  });

  it('every internal link resolves to a page and anchor, and every command link names a known command', async () => {
    const problems = checkGuideLinks(await diskGuide().allParsed());
    assert.deepEqual(
      problems.map((p) => `${p.page}:${p.line} ${p.href} — ${p.problem}`),
      [],
    );
  });

  it('cites sources: every server, benchmark-metric and format page links to project documentation', async () => {
    const lib = diskGuide();
    const cited = [
      'servers/triton',
      'servers/torchserve',
      'servers/tf-serving',
      'servers/vllm',
      'servers/tgi',
      'servers/ollama',
      'servers/kserve',
      'servers/ray-serve',
      'benchmarks/metrics',
      'models/formats',
      'observability/metrics',
    ];
    for (const id of cited) {
      const p = await lib.parsed(id);
      assert.ok(
        p.links.some((l) => l.href.startsWith('https://')),
        `${id} has no source link`,
      );
    }
  });

  it('the Triton page offers "Launch Triton" and the image-classification benchmark', async () => {
    const hrefs = (await diskGuide().parsed('servers/triton')).links.map((l) => decodeURIComponent(l.href));
    assert.ok(hrefs.includes('command:inferenceLab.containers.launch?["triton"]'));
    assert.ok(hrefs.includes('command:inferenceLab.bench.run?[{"group":"image-classification"}]'));
  });

  it('states the metric definitions the benchmark engine implements', async () => {
    const text = (await diskGuide().parsed('benchmarks/metrics')).sections.map((s) => s.text).join(' ');
    assert.match(text, /vLLM's TPOT = GenAI-Perf's ITL = \(E2E − TTFT\) \/ \(OSL − 1\)/);
    assert.match(text, /GuideLLM's TPOT includes TTFT/);
    assert.match(text, /pooled/);
  });
});
