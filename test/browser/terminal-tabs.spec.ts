// A terminal tab that is not shown is marked when output arrives in it (a
// kernel notice printed by its shell, a program's output); showing it clears
// the mark.
import { expect, test } from 'playwright/test';
import { openDesktop, waitForConsole, waitForScreen } from './desktop-helpers.ts';

test('an inactive tab is marked when output arrives there; showing it clears the mark', async ({ page }) => {
  const first = await openDesktop(page);
  await page.getByRole('button', { name: 'new terminal' }).click();
  const tabs = page.locator('.term-tab');
  await expect(tabs).toHaveCount(2);
  const second = await page.evaluate(() => window.zos.terminals().find((t) => t.active)!.pid!);
  await waitForConsole(page, second, 'zos$ ');
  const [tab1, tab2] = [tabs.nth(0), tabs.nth(1)];
  await expect(tab1).not.toHaveClass(/\bunseen\b/);
  await expect(tab2).not.toHaveClass(/\bunseen\b/);

  // A CAP_REVOKED notice for the first shell while the second tab is shown.
  await page.evaluate(() => window.zos.showPanel('capabilities'));
  await page.getByTestId(`revoke-${first}-2`).click();
  await page.getByTestId('confirm-ok').click(); // slot 2 is its only way to reach init: the panel asks first
  await waitForConsole(page, first, '[revoked] slot 2');
  await expect(tab1).toHaveClass(/\bunseen\b/);
  await expect(tab1).toHaveAttribute('title', /new output/);
  await expect(tab2).not.toHaveClass(/\bunseen\b/); // the shown tab is never marked

  await tab1.click();
  await expect(tab1).not.toHaveClass(/\bunseen\b/);
  await waitForScreen(page, '[revoked] slot 2');

  // Any output marks it too: the second shell answers a line sent to it.
  await page.evaluate((p) => window.zos.sendInput(p, 'echo hidden-output\n'), second);
  await waitForConsole(page, second, 'hidden-output\n');
  await expect(tab2).toHaveClass(/\bunseen\b/);
  await expect(tab1).not.toHaveClass(/\bunseen\b/);
  await tab2.click();
  await expect(tab2).not.toHaveClass(/\bunseen\b/);
});
