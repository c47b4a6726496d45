// The shell's serve mode in the desktop: a message that arrives while a
// line is typed is printed above it, the serve prompt and the line come
// back, and an empty line leaves serve mode.
import { expect, test, type Page } from 'playwright/test';
import { focusTerminal, openDesktop, typeLine, waitForConsole } from './desktop-helpers.ts';

const lines = async (page: Page) => (await page.evaluate(() => window.zos.screenText())).split('\n');

test('serve prints a message that arrives while a line is typed, then the serve prompt and the line again', async ({ page }) => {
  const server = await openDesktop(page);
  const client = await page.evaluate(() => window.zos.openTerminal());
  await waitForConsole(page, client, 'zos$ ');
  await page.locator('.term-tab').first().click();
  await focusTerminal(page);
  await typeLine(page, `grant 0 ${client} w`);
  await waitForConsole(page, server, `granted slot 0 to pid ${client} as its slot 3`);
  await typeLine(page, 'serve');
  await waitForConsole(page, server, 'zos[serve 0]$ ');

  await page.keyboard.type('echo typ');
  await expect.poll(async () => (await lines(page)).at(-1)).toBe('zos[serve 0]$ echo typ');
  expect(await page.evaluate((pid) => window.zos.sendInput(pid, 'send 3 0x10 hello from the client\n'), client)).toBe(0);
  await waitForConsole(page, server, `[slot 0] from pid ${client}, tag 0x10, 21 bytes: hello from the client\n`);
  await expect.poll(async () => (await lines(page)).at(-1)).toBe('zos[serve 0]$ echo typ');
  const screen = await lines(page);
  expect(screen.slice(-3, -1)).toEqual([
    `[slot 0] from pid ${client}, tag 0x10, 21 bytes: hello from the client`,
    `  (if it was a CALL, pid ${client} waits for your answer: reply ${client} <tag> <text>)`,
  ]);
  expect((await page.evaluate(() => window.zos.terminalView())).cursor.col).toBe('zos[serve 0]$ echo typ'.length);

  await typeLine(page, 'ed');
  await waitForConsole(page, server, 'zos[serve 0]$ typed\n');
  await page.keyboard.press('Enter');
  await waitForConsole(page, server, 'stopped serving slot 0: an empty line; the shell goes on\n');
  await expect.poll(async () => (await lines(page)).at(-1)).toBe('zos$ ');
});
