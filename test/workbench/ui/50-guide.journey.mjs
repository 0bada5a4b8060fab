// The guide as a reader uses it: open it from the palette, follow the contents
// to the Triton page, search for a term from a page body, follow an internal
// link with an anchor; three pages photographed.
export const steps = [
  {
    name: 'Open Guide from the palette shows the home page with its contents',
    async run({ page, H, shot }) {
      await H.runCommand(page, 'View: Close All Editor Groups');
      await H.runCommand(page, 'Inference Lab: Open Guide');
      const wv = H.webviewFrame(page);
      await wv.locator('article#guide-page h1', { hasText: 'Inference Lab guide' }).waitFor({ timeout: 30000 });
      await wv.locator('nav.toc a', { hasText: 'NVIDIA Triton Inference Server' }).waitFor({ timeout: 10000 });
      await shot('50-guide-home');
    },
  },
  {
    name: "the contents lead to the Triton page, which offers the extension's tools",
    async run({ page, H, shot }) {
      const wv = H.webviewFrame(page);
      await wv.locator('nav.toc a', { hasText: 'NVIDIA Triton Inference Server' }).click();
      await wv
        .locator('article#guide-page h1', { hasText: 'NVIDIA Triton Inference Server' })
        .waitFor({ timeout: 10000 });
      await wv.locator('article a[data-command="inferenceLab.containers.launch"]').first().waitFor({ timeout: 10000 });
      await shot('51-guide-triton');
    },
  },
  {
    name: 'search finds a page by a word of its body, and an internal link with an anchor resolves',
    async run({ page, H, shot }) {
      const wv = H.webviewFrame(page);
      await wv.locator('#guide-search').click();
      await page.keyboard.type('burstiness');
      await wv.locator('.results a.hit', { hasText: 'Benchmarking inference servers' }).first().click();
      await wv
        .locator('article#guide-page h1', { hasText: 'Benchmarking inference servers' })
        .waitFor({ timeout: 10000 });
      await wv.locator('article a[data-page="benchmarks/metrics"]').first().click();
      await wv.locator('article#guide-page h1', { hasText: 'Metric definitions' }).waitFor({ timeout: 10000 });
      await shot('52-guide-metrics');
    },
  },
];
