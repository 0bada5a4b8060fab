// The user runs "Inference Lab: About / Status" from the palette, reads the
// status inside the webview and refreshes it with the button.
export const steps = [
  {
    name: 'the palette command opens the About panel and the webview renders the status',
    async run({ page, H, shot }) {
      await H.runCommand(page, 'Inference Lab: About / Status');
      await page.locator('.tabs-container .tab', { hasText: 'Inference Lab: About' }).waitFor({ timeout: 30000 });
      const wv = H.webviewFrame(page);
      const heading = wv.locator('h1', { hasText: 'Inference Lab' });
      await heading.waitFor({ timeout: 30000 });
      const activation = await wv.locator('#activation').textContent();
      if (!/Activated in \d+(\.\d+)? ms/.test(activation ?? ''))
        throw new Error(`unexpected activation text "${activation}"`);
      await wv.locator('#env-table vscode-table-cell', { hasText: '1.100' }).first().waitFor({ timeout: 10000 });
      await shot('02-about-panel');
    },
  },
  {
    name: 'the Refresh button round-trips through the extension host',
    async run({ page, H }) {
      const wv = H.webviewFrame(page);
      const before = await wv.locator('#activation').textContent();
      await page.waitForTimeout(1100); // the refreshed-at time has a one-second resolution
      await wv.locator('#refresh').click();
      await wv
        .locator('#activation')
        .filter({ hasNotText: before ?? '' })
        .waitFor({ timeout: 10000 });
    },
  },
];
