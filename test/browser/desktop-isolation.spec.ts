import { expect, test, type Page } from 'playwright/test';

/** Serves the site with some of the isolation headers taken out. */
async function stripHeaders(page: Page, names: string[]): Promise<void> {
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    for (const n of names) delete headers[n.toLowerCase()];
    await route.fulfill({ response, headers });
  });
}

test('without COOP and COEP the page says so, naming both headers', async ({ page }) => {
  await stripHeaders(page, ['Cross-Origin-Opener-Policy', 'Cross-Origin-Embedder-Policy']);
  await page.goto('/');
  const message = page.getByTestId('isolation-error');
  await expect(message).toBeVisible();
  await expect(message).toContainText('not cross-origin isolated');
  await expect(page.getByTestId('missing-headers')).toHaveText(
    'Cross-Origin-Opener-Policy: same-origin\nCross-Origin-Embedder-Policy: require-corp');
  expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(false);
  // The page API explains instead of hanging.
  const why = await page.evaluate(() => window.zos.ready.then(() => 'booted', (e: Error) => e.message));
  expect(why).toContain('not cross-origin isolated');
  await expect(page.locator('.xterm')).toHaveCount(0);
});

test('with only COEP missing, the message names only that header', async ({ page }) => {
  await stripHeaders(page, ['Cross-Origin-Embedder-Policy']);
  await page.goto('/');
  await expect(page.getByTestId('missing-headers')).toHaveText('Cross-Origin-Embedder-Policy: require-corp');
});
