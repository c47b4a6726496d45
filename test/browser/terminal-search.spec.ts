// Searching a terminal's scrollback: Ctrl+Shift+F or the tab bar's button
// opens a search bar; Enter / Shift+Enter go to the next / previous match,
// the bar counts the matches, Escape closes it and gives the terminal back.
import { expect, test, type Page } from 'playwright/test';
import { focusTerminal, openDesktop, typeLine, waitForConsole } from './desktop-helpers.ts';

const view = (page: Page) => page.evaluate(() => window.zos.terminalView());

test('the scrollback can be searched from a search bar', async ({ page }) => {
  const shell = await openDesktop(page);
  await focusTerminal(page);
  await typeLine(page, 'echo needle-one');
  await waitForConsole(page, shell, 'needle-one\n');
  // Push the first match up into the scrollback.
  const { rows } = await view(page);
  for (let i = 0; i < Math.ceil(rows / 15) + 1; i++) {
    await typeLine(page, 'help');
    await expect.poll(async () => (await page.evaluate((p) => window.zos.consoleText(p), shell)).split('list the commands').length - 1).toBe(i + 1);
  }
  await typeLine(page, 'echo needle-two');
  await waitForConsole(page, shell, 'needle-two\n');
  await expect.poll(async () => (await view(page)).baseY).toBeGreaterThan(0);

  const bar = page.getByTestId('terminal-search');
  await expect(bar).toBeHidden();
  await page.keyboard.press('Control+Shift+F');
  await expect(bar).toBeVisible();
  const input = bar.getByRole('searchbox');
  await expect(input).toBeFocused();
  await input.fill('needle');
  // Typed twice ("zos$ echo needle-…") and printed twice.
  const count = bar.getByTestId('search-count');
  await expect(count).toHaveText(/^\d of 4$/);
  await expect.poll(async () => (await view(page)).selection).toBe('needle');

  // Enter goes forward through all four and wraps; Shift+Enter goes back.
  const index = async () => Number((await count.textContent())!.split(' ')[0]);
  const first = await index();
  const seen = new Set<number>([first]);
  for (let i = 1; i <= 4; i++) {
    await input.press('Enter');
    await expect.poll(index).toBe(((first - 1 + i) % 4) + 1);
    seen.add(await index());
    const v = await view(page);
    expect(v.selection).toBe('needle');
    // The matches in the scrollback are scrolled into view.
    if (await index() <= 2) expect(v.viewportY).toBeLessThan(v.baseY);
  }
  expect(seen.size).toBe(4);
  await input.press('Shift+Enter');
  await expect.poll(index).toBe(((first + 2) % 4) + 1);

  await input.fill('no such text');
  await expect(count).toHaveText('no matches');

  // Escape closes the bar and gives the keyboard back to the terminal.
  await input.press('Escape');
  await expect(bar).toBeHidden();
  await typeLine(page, 'echo back-in-the-terminal');
  await waitForConsole(page, shell, 'zos$ back-in-the-terminal\n');

  // The tab bar's button opens it too.
  await page.getByRole('button', { name: 'search the scrollback' }).click();
  await expect(bar).toBeVisible();
  await expect(input).toBeFocused();
  await bar.getByRole('button', { name: 'close search' }).click();
  await expect(bar).toBeHidden();
});
