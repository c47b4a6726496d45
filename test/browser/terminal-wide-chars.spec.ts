// Wide characters (CJK, emoji) and combining ones in the line being typed:
// the cursor must stay on the cell of the character it is before, as xterm
// (with its Unicode 11 widths) drew it, also across a wrapped line.
import { expect, test, type Page } from 'playwright/test';
import { focusTerminal, openDesktop, waitForConsole, waitForScreen } from './desktop-helpers.ts';

const view = (page: Page) => page.evaluate(() => window.zos.terminalView());
const cellUnderCursor = async (page: Page) => (await view(page)).cursor.cell;
const lastLine = async (page: Page) => (await page.evaluate(() => window.zos.screenText())).split('\n').at(-1);

/** Presses `key` once per expected cell and checks the cell under the cursor after each press. */
async function walk(page: Page, key: string, cells: string[]): Promise<void> {
  for (const cell of cells) {
    await page.keyboard.press(key);
    await expect.poll(() => cellUnderCursor(page), { message: `after ${key}, the cursor is on ${JSON.stringify(cell)}` }).toBe(cell);
  }
}

test('CJK and emoji: the cursor follows typing, Left/Right, Backspace and Delete', async ({ page }) => {
  const shell = await openDesktop(page);
  await focusTerminal(page);
  await page.keyboard.type('echo 漢字😀ab');
  await expect.poll(() => lastLine(page)).toBe('zos$ echo 漢字😀ab');
  // "zos$ echo " is 10 columns, 漢 字 😀 two each, a b one each.
  await expect.poll(async () => (await view(page)).cursor.col).toBe(18);

  await walk(page, 'ArrowLeft', ['b', 'a', '😀', '字', '漢', ' ']);
  await walk(page, 'ArrowRight', ['漢', '字', '😀']);
  await page.keyboard.press('Backspace'); // removes 字; the cursor stays on 😀
  await expect.poll(() => lastLine(page)).toBe('zos$ echo 漢😀ab');
  await expect.poll(() => cellUnderCursor(page)).toBe('😀');
  await page.keyboard.press('Delete'); // removes 😀; now on a
  await expect.poll(() => lastLine(page)).toBe('zos$ echo 漢ab');
  await expect.poll(() => cellUnderCursor(page)).toBe('a');
  await page.keyboard.type('世界');
  await expect.poll(() => lastLine(page)).toBe('zos$ echo 漢世界ab');
  await expect.poll(() => cellUnderCursor(page)).toBe('a');
  await page.keyboard.press('Enter');
  await waitForConsole(page, shell, 'zos$ 漢世界ab\n');
});

test('combining marks and variation selectors move with the character they join', async ({ page }) => {
  const shell = await openDesktop(page);
  await focusTerminal(page);
  // e + COMBINING ACUTE, HEAVY BLACK HEART + VS16, and a ZWJ family: xterm joins
  // each zero-width code point to the cell before it.
  await page.keyboard.type('echo x');
  await page.keyboard.insertText('e\u0301');
  await page.keyboard.insertText('\u2764\ufe0f');
  await page.keyboard.insertText('👨\u200d👩\u200d👧');
  await page.keyboard.type('y');
  await walk(page, 'ArrowLeft', ['y', '👧', '👩\u200d', '👨\u200d', '\u2764\ufe0f', 'e\u0301', 'x']);
  await walk(page, 'ArrowRight', ['e\u0301', '\u2764\ufe0f']);
  await page.keyboard.press('Backspace'); // the whole é goes
  await expect.poll(() => cellUnderCursor(page)).toBe('\u2764\ufe0f');
  await page.keyboard.press('Enter');
  await waitForConsole(page, shell, 'zos$ x\u2764\ufe0f👨\u200d👩\u200d👧y\n');
});

test('a wrapped line of wide characters: a character that does not fit the last column starts the next row', async ({ page }) => {
  const shell = await openDesktop(page);
  await focusTerminal(page);
  const { cols } = await view(page);
  // "zos$ echo " is 10 columns. Pad so that one wide character would start in
  // the last column: xterm leaves that column empty and wraps the character.
  const pad = (cols - 11) % 2 === 0 ? 'ab' : 'a';
  const wide = '漢字'.repeat(Math.ceil(cols / 2));
  const line = `echo ${pad}${wide}`;
  await page.keyboard.type(line);
  await waitForScreen(page, `zos$ ${line}`);
  const end = await view(page);
  const clusters = [...`${pad}${wide}`];
  // The wide character that would start in the last column (10 + pad + 2 per wide one before it).
  const wrappedAt = pad.length + (cols - 11 - pad.length) / 2;
  expect(Number.isInteger(wrappedAt)).toBe(true);

  // Walk back over the whole typed text: every step lands on its character.
  await walk(page, 'ArrowLeft', clusters.slice().reverse());
  const start = await view(page);
  expect(start.cursor).toMatchObject({ col: 10 });
  expect(end.cursor.line).toBeGreaterThan(start.cursor.line);
  // Forward to the wrapped character: it is at column 0 of the next row.
  await walk(page, 'ArrowRight', clusters.slice(1, wrappedAt + 1));
  expect((await view(page)).cursor).toMatchObject({ line: start.cursor.line + 1, col: 0 });

  // Deleting a wide character before it pulls it back into the row above.
  await walk(page, 'ArrowLeft', [clusters[wrappedAt - 1]!, clusters[wrappedAt - 2]!]);
  await page.keyboard.press('Backspace');
  await expect.poll(() => cellUnderCursor(page)).toBe(clusters[wrappedAt - 2]);
  await walk(page, 'ArrowRight', [clusters[wrappedAt - 1]!, clusters[wrappedAt]!]);
  expect((await view(page)).cursor).toMatchObject({ line: start.cursor.line, col: cols - 3 });

  await page.keyboard.press('End');
  await page.keyboard.type('!');
  const removed = wrappedAt - 3 - pad.length; // its index in `wide`
  const expected = `echo ${pad}${wide.slice(0, removed)}${wide.slice(removed + 1)}!`;
  await waitForScreen(page, `zos$ ${expected}`);
  await page.keyboard.press('Enter');
  await waitForConsole(page, shell, `zos$ ${expected.slice(5)}\n`);
});
