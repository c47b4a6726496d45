import { expect, test } from 'playwright/test';
import { count, focusTerminal, openDesktop, typeLine, waitForConsole, waitForScreen } from './desktop-helpers.ts';

test('ps typed into the terminal lists the processes', async ({ page }) => {
  const shell = await openDesktop(page);
  await focusTerminal(page);
  await typeLine(page, 'ps');
  const out = await waitForConsole(page, shell, /PID\s+NAME[\s\S]*terminal\n/);
  expect(out).toMatch(/\n\s+1\s+init\n/);
  expect(out).toMatch(/\n\s+2\s+permission\n/);
  expect(out).toMatch(new RegExp(`\\n\\s+${shell}\\s+terminal\\n`));
  // The typed line is echoed by the terminal, the output is written after it.
  const screen = await waitForScreen(page, `${shell}  terminal`);
  expect(screen).toContain('zos$ ps\n');
});

test('two terminals, each with its own shell: outputs never mix', async ({ page }) => {
  const first = await openDesktop(page);
  await page.getByRole('button', { name: 'new terminal' }).click();
  await expect(page.locator('.term-tab')).toHaveCount(2);
  const terms = await page.evaluate(() => window.zos.terminals());
  const second = terms.find((t) => t.active)!.pid!;
  expect(second).not.toBe(first);
  await waitForConsole(page, second, 'zos$ ');

  await focusTerminal(page);
  await typeLine(page, 'echo beta-from-two');
  await waitForConsole(page, second, 'beta-from-two\n');

  await page.locator('.term-tab').first().click();
  await focusTerminal(page);
  await typeLine(page, 'echo alpha-from-one');
  await waitForConsole(page, first, 'alpha-from-one\n');

  // A program started in the second terminal shows there only.
  await page.locator('.term-tab').nth(1).click();
  await focusTerminal(page);
  await typeLine(page, 'spawn hello');
  const child = Number((await waitForConsole(page, second, /spawned hello as pid (\d+)/)).match(/spawned hello as pid (\d+)/)![1]);
  await waitForScreen(page, `Hello from zos! I am pid ${child}`, terms[1]!.id);

  const [one, two] = await page.evaluate(([a, b]) => [window.zos.consoleText(a), window.zos.consoleText(b)], [first, second]);
  expect(one).toContain('alpha-from-one');
  expect(one).not.toContain('beta-from-two');
  expect(two).toContain('beta-from-two');
  expect(two).not.toContain('alpha-from-one');
  const [screen1, screen2] = await page.evaluate(([a, b]) => [window.zos.screenText(a), window.zos.screenText(b)], [terms[0]!.id, terms[1]!.id]);
  expect(screen1).toContain('alpha-from-one');
  expect(screen1).not.toContain('beta-from-two');
  expect(screen1).not.toContain('Hello from zos');
  expect(screen2).toContain('beta-from-two');
  expect(screen2).not.toContain('alpha-from-one');
});

test('line editing: backspace, cursor keys, Home/End and history', async ({ page }) => {
  const shell = await openDesktop(page);
  await focusTerminal(page);

  await page.keyboard.type('echo abd');
  await page.keyboard.press('Backspace');
  await typeLine(page, 'c');
  await waitForConsole(page, shell, 'zos$ abc\n');

  await page.keyboard.type('echo wrld');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
  await typeLine(page, 'o');
  await waitForConsole(page, shell, 'zos$ world\n');

  await page.keyboard.type('cho x');
  await page.keyboard.press('Home');
  await page.keyboard.type('e');
  await page.keyboard.press('End');
  await typeLine(page, 'y');
  await waitForConsole(page, shell, 'zos$ xy\n');

  // Up twice: "echo world" again; Down then Up: back to the newest.
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect.poll(async () => count(await page.evaluate((p) => window.zos.consoleText(p), shell), 'zos$ world\n')).toBe(2);

  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.type('echo draft');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowDown'); // the draft comes back
  await page.keyboard.press('Enter');
  await waitForConsole(page, shell, 'zos$ draft\n');

  // What the terminal shows is what was sent.
  const screen = await waitForScreen(page, 'zos$ echo draft');
  for (const line of ['zos$ echo abc', 'zos$ echo world', 'zos$ echo xy']) expect(screen).toContain(`${line}\n`);
  expect(screen).not.toContain('abd');
});

for (const program of ['clock', 'spinner'] as const) {
  test(`Ctrl+C ends a spawned ${program}`, async ({ page }) => {
    const shell = await openDesktop(page);
    await focusTerminal(page);
    await typeLine(page, `spawn ${program}`);
    const out = await waitForConsole(page, shell, new RegExp(`spawned ${program} as pid (\\d+)`));
    const child = Number(out.match(/as pid (\d+)/)![1]);
    // The child's output is routed to this terminal.
    await waitForScreen(page, program === 'clock' ? 'tick 1:' : 'spinning');
    expect(await page.evaluate((p) => window.zos.processes().find((x) => x.pid === p)?.status, child)).toBe('alive');

    await page.keyboard.press('Control+C');
    const info = await page.evaluate((p) => window.zos.waitForExit(p, 10_000), child);
    expect(info.status).toBe('faulted');
    expect(info.fault?.reason).toBe('killed');
    await waitForConsole(page, shell, `^C killing pid ${child}`);
    await waitForConsole(page, shell, `[exited] pid ${child}`);
    // The shell is still there and answers.
    await typeLine(page, 'echo still-here');
    await waitForConsole(page, shell, 'still-here\n');
  });
}
