// How the terminal redraws the line being typed: output that arrives while a
// line is typed comes before the prompt, and the prompt and the line are drawn
// again after it (as readline does); Ctrl+L clears the screen and keeps them.
import { expect, test, type Page } from 'playwright/test';
import { focusTerminal, openDesktop, typeLine, waitForConsole, waitForScreen } from './desktop-helpers.ts';

const view = (page: Page) => page.evaluate(() => window.zos.terminalView());
const lines = async (page: Page) => (await page.evaluate(() => window.zos.screenText())).split('\n');

test('a line typed while a program prints is drawn again after the prompt', async ({ page }) => {
  const shell = await openDesktop(page);
  await focusTerminal(page);
  await typeLine(page, 'spawn clock');
  const child = Number((await waitForConsole(page, shell, /spawned clock as pid (\d+)/)).match(/as pid (\d+)/)![1]);
  await waitForScreen(page, 'tick 1:');
  await page.keyboard.type('echo hel');
  await page.keyboard.press('ArrowLeft'); // the cursor in the middle of the line
  const ticks = (await waitForConsole(page, child, 'tick 1:')).split('tick ').length - 1;
  await waitForScreen(page, `tick ${ticks + 2}:`); // two ticks while the line is being typed

  const screen = await lines(page);
  expect(screen.at(-1)).toBe('zos$ echo hel');
  expect(screen.at(-2)).toMatch(/^tick \d+: /);
  // Every tick is on a line of its own, and no prompt is left behind above them.
  const fromSpawn = screen.slice(screen.indexOf('zos$ spawn clock'));
  expect(fromSpawn.filter((l) => l.includes('tick')).every((l) => /^tick \d+: \d+ ms since boot$/.test(l))).toBe(true);
  expect(fromSpawn.filter((l) => l.startsWith('zos$'))).toEqual(['zos$ spawn clock', 'zos$ echo hel']);
  const v = await view(page);
  expect(v.cursor).toMatchObject({ col: 'zos$ echo he'.length, cell: 'l' });

  await page.keyboard.press('End');
  await typeLine(page, 'lo');
  await waitForConsole(page, shell, 'zos$ hello\n');
  await page.keyboard.press('Control+C');
  await page.evaluate((p) => window.zos.waitForExit(p), child);
});

test('a kernel notice printed by the shell while a line is typed: the line comes back after the new prompt', async ({ page }) => {
  const shell = await openDesktop(page);
  await focusTerminal(page);
  await page.keyboard.type('echo still typing');
  await page.evaluate(() => window.zos.showPanel('capabilities'));
  await page.getByTestId(`revoke-${shell}-2`).click();
  await page.getByTestId('confirm-ok').click(); // slot 2 is its only way to reach init: the panel asks first
  await waitForConsole(page, shell, '[revoked] slot 2');
  await expect.poll(async () => (await lines(page)).at(-1)).toBe('zos$ echo still typing');
  const screen = await lines(page);
  expect(screen.at(-2)).toBe('[revoked] slot 2 (type Endpoint, object 1, reason: explicit)');
  expect((await view(page)).cursor.col).toBe('zos$ echo still typing'.length);
  await focusTerminal(page);
  await page.keyboard.press('Enter');
  await waitForConsole(page, shell, 'zos$ still typing\n');
});

test('Ctrl+L clears the screen and keeps the prompt and the line being typed', async ({ page }) => {
  const shell = await openDesktop(page);
  await focusTerminal(page);
  await typeLine(page, 'ps');
  await waitForConsole(page, shell, /terminal\n/);
  await typeLine(page, 'echo before-clear');
  await waitForConsole(page, shell, 'before-clear\n');
  await page.keyboard.type('echo after');
  await page.keyboard.press('ArrowLeft');
  const before = await view(page);
  expect(before.cursor.line - before.baseY).toBeGreaterThan(0);

  await page.keyboard.press('Control+L');
  // The prompt line is now the top row of the screen, with the cursor where it was in the line.
  await expect.poll(async () => { const v = await view(page); return v.cursor.line - v.baseY; }).toBe(0);
  const after = await view(page);
  expect(after.cursor).toMatchObject({ col: 'zos$ echo afte'.length, cell: 'r' });
  expect((await lines(page)).at(-1)).toBe('zos$ echo after');
  // What was on the screen went into the scrollback, as in a real terminal.
  expect(await page.evaluate(() => window.zos.screenText())).toContain('zos$ echo before-clear\nbefore-clear\n');

  await page.keyboard.press('End');
  await typeLine(page, '-clear');
  await waitForConsole(page, shell, 'zos$ after-clear\n');
});

test('xterm\'s answers to a program\'s queries are not typed into the line', async ({ page }) => {
  const shell = await openDesktop(page);
  await focusTerminal(page);
  // The shell echoes a device-attributes query and a cursor-position request; xterm answers both as if typed.
  await page.evaluate((p) => window.zos.sendInput(p, 'echo \x1b[c\x1b[6n\x1b]11;?\x07asked\n'), shell);
  await waitForConsole(page, shell, 'asked\n');
  await page.keyboard.type('echo clean');
  await expect.poll(async () => (await lines(page)).at(-1)).toBe('zos$ echo clean');
  await page.keyboard.press('Enter');
  await waitForConsole(page, shell, 'zos$ clean\n');
});
